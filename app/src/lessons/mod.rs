//! Lessons: the markdown curriculum, loaded and rendered once, listed,
//! read, searched, and hot-reloaded.

pub mod api;
pub mod compose;
pub mod model;
pub mod pages;

server_modules!(
    fences,
    front_matter,
    import,
    load,
    media,
    render,
    search,
    store,
    watch
);

/// The store of the request being rendered. Pages outside islands run only
/// on the server, so in the browser build this is always `None`.
pub fn current_store() -> Option<std::sync::Arc<model::ContentStore>> {
    #[cfg(feature = "ssr")]
    {
        leptos::prelude::use_context::<crate::state::AppState>().map(|s| s.content.get())
    }
    #[cfg(not(feature = "ssr"))]
    None
}
