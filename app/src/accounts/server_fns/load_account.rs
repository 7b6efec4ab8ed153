use crate::accounts::AccountSummary;
use crate::boundary::LoadError;
use leptos::prelude::*;

/// The signed-in person's own account, as "Your account" shows it.
#[server(endpoint = "account/summary")]
pub async fn load_account() -> Result<AccountSummary, LoadError> {
    crate::boundary::load_for_actor(async |state, actor| {
        crate::accounts::service::summary(state, actor)
            .await
            .map_err(|_| LoadError::Unavailable)
    })
    .await
}
