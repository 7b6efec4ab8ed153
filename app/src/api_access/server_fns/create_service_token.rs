use crate::api_access::TokensError;
use leptos::prelude::*;

/// Creates a service token; the page then shows it once. A checked
/// `may_call_models` box lets it call models through the AI gateway, for
/// the `gateway_feature` chosen (empty: the service says with each call). A
/// checked `may_receive_keys` box lets the token receive the decrypted provider
/// key, and needs the admin's `password` typed again. `lifetime` is one
/// of the form's choices (30, 90, 365 days, never); 90 days if absent.
#[server(endpoint = "api-access/create")]
pub async fn create_service_token(
    name: String,
    may_receive_keys: Option<String>,
    may_call_models: Option<String>,
    gateway_feature: Option<String>,
    lifetime: Option<String>,
    password: Option<String>,
) -> Result<(), TokensError> {
    use crate::accounts::client;
    use crate::accounts::session::{self, Admin};
    use crate::api_access::service::{self, NewTokenForm};
    use crate::api_access::{NewServiceToken, TokensNotice};
    use crate::doors::{change_and_return, done_or_error};
    use crate::paths::API_ACCESS;

    let back_to = done_or_error(API_ACCESS, TokensNotice::Created.code());
    change_and_return(back_to, async |state, actor| {
        let admin = Admin::check(actor.clone())?;
        let client = client::address(&state.deployment.trusted_proxies);
        let form = NewTokenForm {
            name: &name,
            may_receive_keys: may_receive_keys.is_some(),
            may_call_models: may_call_models.is_some(),
            gateway_feature: gateway_feature.as_deref().unwrap_or_default(),
            lifetime: lifetime.as_deref().unwrap_or_default(),
            password: password.as_deref(),
            client: &client,
        };
        let token = service::create(state, &admin, form).await?;
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
