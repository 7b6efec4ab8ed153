//! A person's data across the screens that keep some of it: the account's
//! own (accounts), the invitations they sent (members) and the service
//! tokens they made (API access), in one download.

use crate::accounts::personal_data::{rfc3339, InvitationData, PersonalData, TokenData};
use crate::accounts::session::Actor;
use crate::accounts::AuthError;
use crate::state::AppState;

/// Everything the console keeps about `actor`, for "Download your data".
pub async fn export(state: &AppState, actor: &Actor) -> Result<PersonalData, AuthError> {
    let failed = AuthError::logged("exporting someone's data");
    let mut data = crate::accounts::service::export(state, actor).await?;
    let (workspace, user_id) = (&actor.workspace, &actor.user_id);
    let at = |secs: Option<i64>| secs.map(rfc3339);
    data.invitations_sent = crate::members::service::invitations_sent_by(state, workspace, user_id)
        .await
        .map_err(failed)?
        .into_iter()
        .map(|invitation| InvitationData {
            email: invitation.email,
            role: invitation.role.label().to_string(),
            created_at: rfc3339(invitation.created_at),
            expires_at: rfc3339(invitation.expires_at),
            used_at: at(invitation.used_at),
        })
        .collect();
    data.service_tokens_created = crate::api_access::service::made_by(state, workspace, user_id)
        .await
        .map_err(failed)?
        .into_iter()
        .map(|(token, revoked_at)| TokenData {
            name: token.name,
            may_receive_keys: token.may_receive_keys,
            created_at: rfc3339(token.created_at),
            last_used_at: at(token.last_used_at),
            expires_at: at(token.expires_at),
            revoked_at: at(revoked_at),
        })
        .collect();
    Ok(data)
}
