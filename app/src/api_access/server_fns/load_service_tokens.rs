use crate::api_access::{NewServiceToken, ServiceToken, TokensError};
use crate::use_cases::viewer::Viewer;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Everything the API access page shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensSnapshot {
    pub viewer: Viewer,
    pub can_manage: bool,
    pub workspace_id: String,
    /// Tokens not revoked (expired ones included), newest first; empty
    /// for members.
    pub tokens: Vec<ServiceToken>,
    /// The viewing admin's account, to tell their tokens from others'.
    pub viewer_id: crate::domain::UserId,
    /// When the page was made, for "expires in 3 days".
    pub now: i64,
    pub new_token: Option<NewServiceToken>,
    /// Where services reach this console (`AI_CONSOLE_PUBLIC_URL`), if the
    /// operator said; else the page names it in words.
    pub public_url: Option<String>,
}

/// The API access page: the workspace's live service tokens (admins
/// only), and once, a token the viewer just created.
#[server(endpoint = "api-access/load")]
pub async fn load_service_tokens() -> Result<TokensSnapshot, TokensError> {
    use crate::accounts::session::{self, Admin};
    use crate::api_access::service;
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
            public_url: state.deployment.public_url.clone(),
        })
    })
    .await
}
