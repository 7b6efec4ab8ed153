use crate::policy::TokensError;
use leptos::prelude::*;

/// Creates a service token; the page then shows it once. A checked
/// `may_receive_keys` box lets the token receive the decrypted provider
/// key.
#[server(endpoint = "api-access/create")]
pub async fn create_service_token(
    name: String,
    may_receive_keys: Option<String>,
) -> Result<(), TokensError> {
    use crate::accounts::session;
    use crate::policy::{service, NewServiceToken, TokensNotice};

    super::ssr::change_and_return(TokensNotice::Created, async |state, actor| {
        let token = service::create(state, actor, &name, may_receive_keys.is_some()).await?;
        let session = session::current_session()
            .await
            .ok_or(TokensError::Unavailable)?;
        let shown_once = NewServiceToken {
            name: name.trim().to_string(),
            token,
        };
        session
            .insert(super::ssr::NEW_TOKEN, shown_once)
            .await
            .map_err(|error| {
                tracing::error!(%error, "keeping a new service token failed");
                TokensError::Unavailable
            })
    })
    .await
}
