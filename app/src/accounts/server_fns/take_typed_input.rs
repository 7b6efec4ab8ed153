use crate::accounts::typed_input::TypedInput;
use crate::accounts::AuthError;
use leptos::prelude::*;

/// What a refused plain form on `page` typed, shown once when the page
/// renders the refusal: from the sealed copy its URL carries (`sealed`,
/// signed-out forms), else from the session (see `accounts::typed_input`).
#[server(endpoint = "typed-input")]
pub async fn take_typed_input(
    page: String,
    sealed: Option<String>,
) -> Result<TypedInput, AuthError> {
    use crate::accounts::typed_input;
    Ok(match sealed {
        Some(sealed) => typed_input::opened_from_url(&page, &sealed),
        None => typed_input::take(&page).await,
    })
}
