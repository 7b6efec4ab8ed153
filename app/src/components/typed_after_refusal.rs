use crate::accounts::server_fns::take_typed_input;
use crate::accounts::typed_input::TypedInput;
use leptos::prelude::*;

/// What the refused plain form on `page` typed, for the page to fill in
/// again: opened from `sealed` (the URL's `typed`, signed-out forms) or
/// taken from the session (once), and only when the page shows a refusal
/// (`refused`), so an ordinary visit leaves it alone.
pub fn typed_after_refusal(
    page: &'static str,
    refused: bool,
    sealed: Option<String>,
) -> Resource<TypedInput> {
    Resource::new_blocking(
        move || sealed.clone(),
        move |sealed| async move {
            if !refused {
                return TypedInput::default();
            }
            take_typed_input(page.to_string(), sealed)
                .await
                .unwrap_or_default()
        },
    )
}
