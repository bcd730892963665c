//! Header, footer and the skip link around every page.

use leptos::prelude::*;

use super::theme::ThemeToggle;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">"Skip to content"</a>
        <header class="site-header">
            <nav class="nav" aria-label="Main">
                <a class="brand" href="/">"Backend Academy"</a>
                <ul class="nav-links">
                    <li><a href="/lessons">"Lessons"</a></li>
                    <li><a href="/salaries">"Salaries"</a></li>
                    <li><a href="/login">"Sign in"</a></li>
                </ul>
                <ThemeToggle />
            </nav>
        </header>
        <main id="main" class="container" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>
                "Backend Academy — an open, self-hosted curriculum for backend developers. "
                <a href="/healthz">"Status"</a>
            </p>
        </footer>
    }
}
