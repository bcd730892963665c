//! Pages that answer with a status instead of content: not found, not
//! allowed, and the one guard every page uses to ask for an account.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::t;

/// The pages that are only a status, a title and a sentence.
#[derive(Clone, Copy)]
enum StatusPage {
    NotFound,
    Forbidden,
}

impl StatusPage {
    fn view(self) -> impl IntoView {
        use http::StatusCode;
        let (status, title, sentence) = match self {
            StatusPage::NotFound => (
                StatusCode::NOT_FOUND,
                t!("not-found-title"),
                t!("not-found-text"),
            ),
            StatusPage::Forbidden => (
                StatusCode::FORBIDDEN,
                t!("forbidden-title"),
                t!("forbidden-text"),
            ),
        };
        set_status(status);
        view! {
            <Title text=title.clone() />
            <section class="error-page">
                <h1>{title}</h1>
                <p>{sentence}</p>
                <p><a href="/">{t!("status-go-home")}</a>" "{t!("status-or")}" "<a href="/lessons">{t!("status-browse")}</a>"."</p>
            </section>
        }
    }
}

/// Shown for any unknown path (404).
#[component]
pub fn NotFound() -> impl IntoView {
    StatusPage::NotFound.view()
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

/// A signed-in user without the role a page needs (403).
#[component]
pub fn Forbidden() -> impl IntoView {
    StatusPage::Forbidden.view()
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

/// The part of a page that shows `data` once loaded. On the server the page
/// waits for it (every route renders `SsrMode::Async`), so readers without
/// JavaScript get it complete. A refusal or a missing record shows the 404
/// page (a cohort id reveals nothing); other errors show their sentence.
pub fn loaded<T, V>(
    data: Resource<Result<T, crate::error::AppError>>,
    show: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> impl IntoView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
{
    use crate::error::AppError;
    view! {
        <Suspense fallback=|| view! { <p>{t!("loading")}</p> }>
            {move || {
                let show = show.clone();
                Suspend::new(async move {
                    match data.await {
                        Ok(d) => show(d).into_any(),
                        Err(AppError::NotFound(_) | AppError::Forbidden) => view! { <NotFound /> }.into_any(),
                        Err(e) => view! { <p class="error" role="alert">{e.sentence(crate::i18n::Lang::current())}</p> }.into_any(),
                    }
                })
            }}
        </Suspense>
    }
}

/// A page for callers with `access` that shows what `fetch` loads: the
/// guard of [`page_user`], then [`loaded`].
pub fn guarded<T, V, Fut>(
    access: crate::auth::session::Access,
    back: &str,
    fetch: impl Fn() -> Fut + Send + Sync + 'static,
    show: impl Fn(T) -> V + Clone + Send + Sync + 'static,
) -> AnyView
where
    T: Clone + Send + Sync + serde::Serialize + serde::de::DeserializeOwned + 'static,
    V: IntoView + 'static,
    Fut: std::future::Future<Output = Result<T, crate::error::AppError>> + Send + 'static,
{
    if let Err(view) = page_user(access, back) {
        return view;
    }
    let data = Resource::new_blocking(|| (), move |_| fetch());
    loaded(data, show).into_any()
}
