//! Pages that answer with a status instead of content: not found, not
//! allowed, and the one guard every page uses to ask for an account.

use leptos::prelude::*;
use leptos_meta::Title;

/// Shown for any unknown path; sets the HTTP status to 404 during SSR.
#[component]
pub fn NotFound() -> impl IntoView {
    set_status(http::StatusCode::NOT_FOUND);
    view! {
        <Title text="Page not found" />
        <section class="error-page">
            <h1>"Page not found"</h1>
            <p>"There is no page at this address. It may have moved, or the link may be mistyped."</p>
            <p><a href="/">"Go to the home page"</a>" or "<a href="/lessons">"browse the lessons"</a>"."</p>
        </section>
    }
}

/// Sets the response status when rendering on the server; no-op in the browser.
pub fn set_status(status: http::StatusCode) {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(status);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = status;
}

/// 403 with a sentence.
#[component]
pub fn Forbidden() -> impl IntoView {
    set_status(http::StatusCode::FORBIDDEN);
    view! {
        <Title text="Not allowed" />
        <section class="error-page">
            <h1>"Not allowed"</h1>
            <p>"Your account does not have permission to see this page."</p>
        </section>
    }
}

/// The signed-in user of a page that needs `access`. A visitor is sent to
/// sign in and come back to `back`; the wrong role gets [`Forbidden`]. The
/// `Err` is the view to show instead of the page.
pub fn page_user(
    access: crate::auth::session::Access,
    back: &str,
) -> Result<crate::auth::model::User, AnyView> {
    use crate::error::AppError;
    match access.check(crate::auth::session::current_user()) {
        Ok(user) => Ok(user),
        Err(AppError::Unauthorized) => {
            super::redirect(&format!("/login?next={back}"));
            Err(().into_any())
        }
        Err(_) => Err(view! { <Forbidden /> }.into_any()),
    }
}
