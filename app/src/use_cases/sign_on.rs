//! What a person the identity provider vouched for becomes: the account
//! (found, linked or created by the accounts screen) with the role their
//! groups map to, applied by the Members screen, which keeps the
//! workspace's last admin.

use crate::accounts::single_sign_on::{account_for, SingleSignOn, VerifiedPerson};
use crate::accounts::AuthError;
use crate::state::AppState;

/// Signs `person` in: returns the user's id once their account exists
/// with the role their groups map to now.
pub async fn sign_in_verified(
    state: &AppState,
    sso: &SingleSignOn,
    person: &VerifiedPerson,
) -> Result<String, AuthError> {
    let (user_id, role) = account_for(state, sso, person).await?;
    crate::members::service::apply_sign_on_role(state, &user_id, role)
        .await
        .map_err(AuthError::logged("applying the role from single sign-on"))?;
    Ok(user_id)
}
