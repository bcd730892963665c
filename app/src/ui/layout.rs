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
                    {match crate::auth::session::current_user() {
                        Some(user) => view! {
                            {user.role.can_teach().then(|| view! { <li><a href="/instructor">"Teach"</a></li><li><a href="/editor">"Editor"</a></li> })}
                            {user.role.is_admin().then(|| view! { <li><a href="/admin/users">"Users"</a></li> })}
                            <li><a href="/dashboard">"Dashboard"</a></li>
                            <li><a href="/account">"Account"</a></li>
                            <li>
                                <form method="post" action="/logout" class="inline-form">
                                    <button type="submit" class="link-button">"Sign out"</button>
                                </form>
                            </li>
                        }.into_any(),
                        None => view! { <li><a href="/login">"Sign in"</a></li> }.into_any(),
                    }}
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
