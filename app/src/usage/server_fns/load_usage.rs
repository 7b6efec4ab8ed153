use crate::boundary::LoadError;
use crate::usage::UsageSnapshot;
use leptos::prelude::*;

/// This month's usage and the last 30 days' spend, for any signed-in
/// person of the workspace (members see it too; nothing here is changed).
#[server(endpoint = "settings/ai/usage/load")]
pub async fn load_usage() -> Result<UsageSnapshot, LoadError> {
    use crate::usage::service;

    crate::doors::load_for_actor(async |state, actor| service::snapshot(state, actor).await).await
}
