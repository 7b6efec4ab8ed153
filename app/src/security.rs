//! The Content-Security-Policy of rendered pages. Leptos puts a fresh nonce
//! on its inline hydration script for every response; only that script, our
//! own files and our own wasm may run.
//!
//! Layer: platform.

use leptos::{nonce::use_nonce, prelude::use_context};
use leptos_axum::ResponseOptions;

/// The Content-Security-Policy of a page whose inline script carries `nonce`.
pub fn page_policy(nonce: &str) -> String {
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; \
         base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
    )
}

/// Called while the page shell renders, when the nonce is known.
pub fn set_page_policy() {
    let (Some(nonce), Some(response)) = (use_nonce(), use_context::<ResponseOptions>()) else {
        tracing::error!(
            "no nonce or response options while rendering; page served without its CSP"
        );
        return;
    };
    match http::HeaderValue::from_str(&page_policy(&nonce)) {
        Ok(policy) => response.insert_header(http::header::CONTENT_SECURITY_POLICY, policy),
        Err(error) => tracing::error!(%error, "could not build the page's CSP header"),
    }
}
