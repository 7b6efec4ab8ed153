//! The browser entry point: hydrates the page's islands (the switches);
//! everything else on the page is server-rendered HTML that needs no code.

// Linking `app` brings in its `#[island]` components, which register
// themselves for `hydrate_islands`.
pub use app;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
