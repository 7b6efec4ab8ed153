//! Who may use each AI feature: reading what applies (the operator's
//! fixed values over the admins' choices) and saving one choice with the
//! same optimistic versions and audit entries as every other setting.

use super::rules::{AgentActions, Audience, Feature, FeatureChoices};
use super::{store, FeaturesError};
use crate::accounts::session::Admin;
use crate::activity::log as audit;
use crate::db::versions::{claim_version, version_of};
use crate::domain::WorkspaceId;
use crate::state::AppState;
use std::collections::BTreeMap;

/// The choices that apply to `workspace`: what the policy API serves.
pub async fn applied(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<FeatureChoices, sqlx::Error> {
    let stored = store::load(&state.pool, workspace).await?;
    Ok(state.deployment.fixed_features.apply(stored))
}

/// The version of every choice, by its key.
pub async fn versions(
    state: &AppState,
    workspace: &WorkspaceId,
) -> Result<BTreeMap<String, i64>, sqlx::Error> {
    let mut versions = BTreeMap::new();
    for choice in store::choice_keys() {
        let version = version_of(&state.pool, workspace, &store::version_key(choice)).await?;
        versions.insert(choice.to_string(), version.version);
    }
    Ok(versions)
}

/// One choice an admin makes on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Choice {
    Audience(Feature, Audience),
    AgentActions(AgentActions),
}

impl Choice {
    fn key(self) -> &'static str {
        match self {
            Choice::Audience(feature, _) => feature.key(),
            Choice::AgentActions(_) => store::AGENT_ACTIONS,
        }
    }

    fn value(self) -> &'static str {
        match self {
            Choice::Audience(_, audience) => audience.key(),
            Choice::AgentActions(actions) => actions.key(),
        }
    }

    fn title(self) -> String {
        match self {
            Choice::Audience(feature, _) => format!("{}: who may use it", feature.title()),
            Choice::AgentActions(_) => "Agents: what they may do".into(),
        }
    }

    fn label(self) -> &'static str {
        match self {
            Choice::Audience(_, audience) => audience.label(),
            Choice::AgentActions(actions) => actions.label(),
        }
    }

    fn label_in(self, choices: &FeatureChoices) -> &'static str {
        match self {
            Choice::Audience(feature, _) => choices.audience(feature).label(),
            Choice::AgentActions(_) => choices.agent_actions.label(),
        }
    }

    fn fixed(self, state: &AppState) -> bool {
        let fixed = &state.deployment.fixed_features;
        match self {
            Choice::Audience(feature, _) => fixed.audience(feature).is_some(),
            Choice::AgentActions(_) => fixed.agent_actions.is_some(),
        }
    }
}

/// Saves `choice` for the admin's workspace if nobody changed it since
/// version `based_on`; the audit entry says what it was and what it is.
pub async fn save(
    state: &AppState,
    admin: &Admin,
    choice: Choice,
    based_on: i64,
) -> Result<(), FeaturesError> {
    if choice.fixed(state) {
        return Err(FeaturesError::FixedByServer);
    }
    let now = state.clock.now();
    let saved = crate::db::write_policy(state, &admin.workspace, async |tx| {
        let version_key = store::version_key(choice.key());
        let claimed = claim_version(
            tx,
            &admin.workspace,
            &version_key,
            based_on,
            &admin.name,
            now,
        )
        .await?;
        if let Err(last_change) = claimed {
            return Ok(Err(FeaturesError::Conflict(last_change)));
        }
        let before = choice.label_in(&store::load(&mut **tx, &admin.workspace).await?);
        store::save(tx, &admin.workspace, choice.key(), choice.value()).await?;
        audit::record_change(
            tx,
            admin.actor(),
            now,
            &choice.title(),
            Some(before),
            choice.label(),
        )
        .await?;
        Ok(Ok(()))
    })
    .await;
    match saved {
        Ok(outcome) => outcome,
        Err(error) => {
            tracing::error!(%error, choice = choice.key(), "saving a feature choice failed");
            Err(FeaturesError::Unavailable)
        }
    }
}
