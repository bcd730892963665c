//! Header, footer and the skip link around every page.

use leptos::prelude::*;

use super::theme::ThemeToggle;
use crate::i18n::Lang;
use crate::t;

#[component]
pub fn Layout(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">{t!("skip-to-content")}</a>
        <header class="site-header">
            <nav class="nav" aria-label=t!("nav-main")>
                <a class="brand" href="/">{t!("site-name")}</a>
                <ul class="nav-links">
                    <li><a href="/lessons">{t!("nav-lessons")}</a></li>
                    <li><a href="/salaries">{t!("nav-salaries")}</a></li>
                    {match crate::auth::session::current_user() {
                        Some(user) => view! {
                            {user.role.can_teach().then(|| view! { <li><a href="/instructor">{t!("nav-teach")}</a></li><li><a href="/editor">{t!("nav-editor")}</a></li> })}
                            {user.role.is_admin().then(|| view! { <li><a href="/admin/users">{t!("nav-users")}</a></li> })}
                            <li><a href="/dashboard">{t!("nav-dashboard")}</a></li>
                            <li><a href="/account">{t!("nav-account")}</a></li>
                            <li>
                                <form method="post" action="/logout" class="inline-form">
                                    <button type="submit" class="link-button">{t!("nav-sign-out")}</button>
                                </form>
                            </li>
                        }.into_any(),
                        None => view! { <li><a href="/login">{t!("nav-sign-in")}</a></li> }.into_any(),
                    }}
                </ul>
                <ThemeToggle title=t!("theme-switch-title") label=t!("theme-toggle") />
            </nav>
        </header>
        <main id="main" class="container" tabindex="-1">
            {children()}
        </main>
        <footer class="site-footer">
            <p>
                {t!("footer-about")}" "
                <a href="/healthz">{t!("footer-status")}</a>
            </p>
            <LanguageSwitch />
        </footer>
    }
}

/// The language switcher: one button per language in a plain form, so it
/// works without JavaScript; the server stores the choice in a cookie and
/// sends the reader back to the page.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let current = Lang::current();
    view! {
        <form method="post" action="/lang" class="lang-switch">
            <span id="lang-label">{t!("lang-label")}": "</span>
            {Lang::ALL
                .into_iter()
                .map(|lang| {
                    view! {
                        <button
                            type="submit"
                            name="lang"
                            value=lang.code()
                            lang=lang.code()
                            class="link-button"
                            aria-describedby="lang-label"
                            aria-current=(lang == current).then_some("true")
                        >
                            {lang.native_name()}
                        </button>
                    }
                })
                .collect_view()}
        </form>
    }
}
