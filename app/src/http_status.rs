//! The HTTP status a server function answers with when it fails. Leptos
//! answers every server-function error with 500; our errors know better.

use leptos::prelude::use_context;
use leptos_axum::ResponseOptions;

pub trait HasStatus {
    fn status(&self) -> http::StatusCode;
}

/// Sets the response status for `outcome`'s error, if it has one. A
/// redirect set afterwards (forms without JavaScript) still wins.
pub fn answer_with<T, E: HasStatus>(outcome: &Result<T, E>) {
    if let (Err(error), Some(response)) = (outcome, use_context::<ResponseOptions>()) {
        response.set_status(error.status());
    }
}
