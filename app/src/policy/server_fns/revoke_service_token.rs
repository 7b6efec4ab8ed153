use crate::policy::TokensError;
use leptos::prelude::*;

/// Revokes a service token: the policy API refuses it from then on.
#[server(endpoint = "api-access/revoke")]
pub async fn revoke_service_token(token_id: String) -> Result<(), TokensError> {
    use crate::policy::{service, TokensNotice};

    super::ssr::change_and_return(TokensNotice::Revoked, async |state, actor| {
        service::revoke(state, actor, &token_id).await
    })
    .await
}
