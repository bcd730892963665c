//! The WASM entry point. It hydrates the islands the server rendered and
//! nothing else: all app code lives in the `app` crate.

// Link the app crate so its `#[island]` exports end up in this module.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
