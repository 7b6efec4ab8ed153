use crate::api_access::TokensError;
use leptos::prelude::*;

/// Creates a service token; the page then shows it once. A checked
/// `may_receive_keys` box lets the token receive the decrypted provider
/// key.
#[server(endpoint = "api-access/create")]
pub async fn create_service_token(
    name: String,
    may_receive_keys: Option<String>,
) -> Result<(), TokensError> {
    use crate::accounts::session::{self, Admin};
    use crate::api_access::{service, NewServiceToken, TokensNotice};
    use crate::boundary::{change_and_return, done_or_error};
    use crate::routes::API_ACCESS;

    let back_to = done_or_error(API_ACCESS, TokensNotice::Created.code());
    change_and_return(back_to, async |state, actor| {
        let admin = Admin::check(actor.clone())?;
        let token = service::create(state, &admin, &name, may_receive_keys.is_some()).await?;
        let shown_once = NewServiceToken {
            name: name.trim().to_string(),
            token,
        };
        session::keep_for_page(super::NEW_TOKEN, &shown_once)
            .await
            .ok_or(TokensError::Unavailable)
    })
    .await
}
