use crate::features::FeaturesError;
use leptos::prelude::*;

/// Decides whether agents only `propose` changes or `apply` them.
#[server(endpoint = "settings/ai/features/agent-actions")]
pub async fn set_agent_actions(actions: String, version: i64) -> Result<(), FeaturesError> {
    use crate::features::rules::AgentActions;
    use crate::features::service::Choice;

    super::ssr::save(
        AgentActions::from_key(&actions).map(Choice::AgentActions),
        version,
    )
    .await
}
