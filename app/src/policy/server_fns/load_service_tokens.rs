use crate::policy::{TokensError, TokensSnapshot};
use leptos::prelude::*;

/// The API access page: the workspace's live service tokens (admins
/// only), and once, a token the viewer just created.
#[server(endpoint = "api-access/load")]
pub async fn load_service_tokens() -> Result<TokensSnapshot, TokensError> {
    use crate::accounts::session;
    use crate::domain::Role;
    use crate::policy::{service, NewServiceToken};
    use crate::state;

    let outcome = async {
        let state = state::current().ok_or(TokensError::Unavailable)?;
        let actor = session::require_actor(&state).await?;
        let tokens = service::list(&state, &actor).await?;
        let can_manage = actor.role == Role::Admin;
        let new_token = match session::current_session().await {
            Some(session) if can_manage => session
                .remove::<NewServiceToken>(super::ssr::NEW_TOKEN)
                .await
                .unwrap_or_else(|error| {
                    tracing::error!(%error, "reading a new service token failed");
                    None
                }),
            _ => None,
        };
        Ok(TokensSnapshot {
            viewer: actor.viewer(),
            can_manage,
            workspace_id: actor.workspace.as_str().to_string(),
            tokens,
            new_token,
        })
    }
    .await;
    crate::http_status::answer_with(&outcome);
    outcome
}
