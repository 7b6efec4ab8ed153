use crate::boundary::LoadError;
use leptos::prelude::*;

/// "Your account" as its page shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AccountSummary {
    pub viewer: crate::use_cases::viewer::Viewer,
    pub email: String,
    /// Signs in through the identity provider: no password here, and the
    /// e-mail address is the provider's.
    pub signs_in_with_sign_on: bool,
}

/// The signed-in person's own account, as "Your account" shows it.
#[server(endpoint = "account/summary")]
pub async fn load_account() -> Result<AccountSummary, LoadError> {
    crate::doors::load_for_actor(async |state, actor| {
        let (email, signs_in_with_sign_on) = crate::accounts::service::own_account(state, actor)
            .await
            .map_err(|_| LoadError::Unavailable)?;
        Ok(AccountSummary {
            viewer: crate::use_cases::viewer::of(state, actor).await,
            email,
            signs_in_with_sign_on,
        })
    })
    .await
}
