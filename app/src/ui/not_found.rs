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
