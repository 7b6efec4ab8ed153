use crate::api_access::{TokensError, TokensSnapshot};
use leptos::prelude::*;

/// The API access page: the workspace's live service tokens (admins
/// only), and once, a token the viewer just created.
#[server(endpoint = "api-access/load")]
pub async fn load_service_tokens() -> Result<TokensSnapshot, TokensError> {
    use crate::accounts::session::{self, Admin};
    use crate::api_access::{service, NewServiceToken};
    use crate::doors::load_for_actor;

    load_for_actor(async |state, actor| {
        let admin = Admin::check(actor.clone()).ok();
        let (tokens, new_token) = match &admin {
            Some(admin) => (
                service::list(state, admin).await?,
                session::take_for_page::<NewServiceToken>(super::NEW_TOKEN).await,
            ),
            None => (Vec::new(), None),
        };
        Ok(TokensSnapshot {
            viewer: crate::use_cases::viewer::of(state, actor).await,
            can_manage: admin.is_some(),
            workspace_id: actor.workspace.as_str().to_string(),
            tokens,
            new_token,
            viewer_id: actor.user_id.clone(),
            now: state.clock.now(),
        })
    })
    .await
}
