use crate::api_access::TokensError;
use leptos::prelude::*;

/// Revokes a service token: the policy API refuses it from then on.
#[server(endpoint = "api-access/revoke")]
pub async fn revoke_service_token(token_id: String) -> Result<(), TokensError> {
    use crate::accounts::session::Admin;
    use crate::api_access::{service, TokensNotice};
    use crate::doors::{change_and_return, done_or_error};
    use crate::paths::API_ACCESS;

    let back_to = done_or_error(API_ACCESS, TokensNotice::Revoked.code());
    change_and_return(back_to, async |state, actor| {
        service::revoke(state, &Admin::check(actor.clone())?, &token_id).await
    })
    .await
}
