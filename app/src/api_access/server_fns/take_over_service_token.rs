use crate::api_access::TokensError;
use leptos::prelude::*;

/// Makes another admin's service token the viewer's, so it keeps working
/// when the admin who made it leaves or is no longer an admin.
#[server(endpoint = "api-access/take-over")]
pub async fn take_over_service_token(token_id: String) -> Result<(), TokensError> {
    use crate::accounts::session::Admin;
    use crate::api_access::{service, TokensNotice};
    use crate::doors::{change_and_return, done_or_error};
    use crate::paths::API_ACCESS;

    let back_to = done_or_error(API_ACCESS, TokensNotice::TakenOver.code());
    change_and_return(back_to, async |state, actor| {
        service::take_over(state, &Admin::check(actor.clone())?, &token_id).await
    })
    .await
}
