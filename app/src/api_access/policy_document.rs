//! The policy document the AI services receive, as JSON. Its OpenAPI
//! schema is derived from these types (utoipa), so the description served
//! at `/api/v1/openapi.json` cannot drift from what is sent.

use crate::domain::Role;
use crate::features::rules::{decide, AgentActions, Audience, Feature, FeatureChoices, FEATURES};
use secrecy::{ExposeSecret, SecretString};
use serde::{Serialize, Serializer};
use std::collections::BTreeMap;
use utoipa::ToSchema;

/// The AI policy of a workspace, as it applies now.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Policy)]
pub struct PolicyDocument {
    /// The workspace's id.
    pub workspace_id: String,
    /// Whether any AI feature may run. When false, call no model.
    pub ai_enabled: bool,
    /// Why AI is off (null while it is on): `switched_off` (an admin
    /// turned it off, or the server configuration) or `budget_exhausted`
    /// (this month's budget is spent and set to stop AI).
    #[schema(required = true, example = "budget_exhausted")]
    pub ai_off_reason: Option<&'static str>,
    /// When AI comes back on by itself (Unix seconds): the start of the
    /// next month, for `budget_exhausted`; null otherwise. An admin raising
    /// the budget brings it back sooner.
    #[schema(required = true)]
    pub ai_off_until: Option<i64>,
    /// Whether the workspace's AI sessions may be used to improve AI
    /// features (the plan's guarantee and the operator's configuration
    /// applied).
    pub training_allowed: bool,
    pub provider: ProviderPolicy,
    /// Who may use each AI feature, by its key (`assistant`, `agents`,
    /// `semantic_search`). Before using one for someone, check it here (or
    /// ask with `?feature=…&role=…`).
    #[schema(value_type = BTreeMap<String, FeaturePolicy>)]
    pub features: FeaturesPolicy,
    pub models: ModelsPolicy,
}

/// Why AI is off for a workspace.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AiOff {
    /// The AI switch is off (an admin's choice or the operator's).
    SwitchedOff,
    /// This month's budget is spent and set to stop AI, until `until`
    /// (Unix seconds) unless an admin raises it first.
    BudgetExhausted { until: i64 },
}

impl AiOff {
    /// The stable code in the policy document.
    pub fn code(self) -> &'static str {
        match self {
            AiOff::SwitchedOff => "switched_off",
            AiOff::BudgetExhausted { .. } => "budget_exhausted",
        }
    }

    /// When AI comes back by itself, if it does.
    pub fn until(self) -> Option<i64> {
        match self {
            AiOff::SwitchedOff => None,
            AiOff::BudgetExhausted { until } => Some(until),
        }
    }
}

/// Which models services may use.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Models)]
pub struct ModelsPolicy {
    /// Every model the provider offers may be used (`allowed` lists them
    /// as last listed); false: only those in `allowed`.
    pub all_allowed: bool,
    /// The models services may use. Ask for no other.
    pub allowed: Vec<String>,
    /// The model to use unless there is a reason to pick another; null:
    /// the service picks among `allowed`.
    #[schema(required = true)]
    pub default: Option<String>,
}

/// Each AI feature, by its key (`assistant`, `agents`, `semantic_search`).
#[derive(Debug, Serialize)]
pub struct FeaturesPolicy(pub BTreeMap<&'static str, FeaturePolicy>);

/// One AI feature.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Feature)]
pub struct FeaturePolicy {
    /// Whether it may run for anyone now: AI is on and its audience is not
    /// `no-one`.
    pub enabled: bool,
    /// Who may use it: `everyone`, `admins` or `no-one` (kept while AI is
    /// off, when `enabled` is false for every feature).
    #[schema(value_type = String, example = "everyone")]
    pub audience: &'static str,
    /// Agents only: whether they may apply changes themselves (false: they
    /// propose changes for a person to apply).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub may_apply_changes: Option<bool>,
    #[serde(skip)]
    #[schema(ignore)]
    pub audience_is: Audience,
}

impl FeaturesPolicy {
    /// The features as they apply, under the workspace's AI switch.
    pub fn of(ai_enabled: bool, choices: &FeatureChoices) -> Self {
        let features = FEATURES
            .iter()
            .map(|spec| {
                let audience = choices.audience(spec.feature);
                let policy = FeaturePolicy {
                    enabled: ai_enabled && audience != Audience::NoOne,
                    audience: audience.key(),
                    may_apply_changes: (spec.feature == Feature::Agents)
                        .then_some(choices.agent_actions == AgentActions::ApplyChanges),
                    audience_is: audience,
                };
                (spec.key, policy)
            })
            .collect();
        FeaturesPolicy(features)
    }
}

/// The plain answer to "may this feature run for this role?".
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = FeatureDecision)]
pub struct FeatureDecision {
    pub workspace_id: String,
    #[schema(example = "agents")]
    pub feature: String,
    /// `admin` or `member`.
    #[schema(example = "member")]
    pub role: String,
    pub allowed: bool,
    /// Why, as a stable code: `allowed`, `ai-off`, `budget-exhausted`,
    /// `feature-off` or `admins-only`.
    #[schema(example = "admins-only")]
    pub code: &'static str,
    /// Why, in words a service can pass on.
    pub reason: &'static str,
    /// Agents only: whether they may apply changes themselves.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub may_apply_changes: Option<bool>,
}

impl FeaturesPolicy {
    /// Whether `feature` may run for someone with `role`; `None` for a
    /// feature this policy does not have.
    pub fn decide(
        &self,
        ai_off: Option<AiOff>,
        workspace_id: &str,
        feature: &str,
        role: Role,
    ) -> Option<FeatureDecision> {
        let policy = self.0.get(feature)?;
        let decision = decide(ai_off.is_none(), policy.audience_is, role);
        let (code, reason) = match ai_off {
            Some(AiOff::BudgetExhausted { .. }) => (
                "budget-exhausted",
                "this month's AI budget for this workspace is spent",
            ),
            _ => (decision.code(), decision.reason()),
        };
        Some(FeatureDecision {
            workspace_id: workspace_id.to_string(),
            feature: feature.to_string(),
            role: role.key().to_string(),
            allowed: decision.is_allowed(),
            code,
            reason,
            may_apply_changes: policy.may_apply_changes,
        })
    }
}

/// Which model provider serves the workspace, and where.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = Provider)]
pub struct ProviderPolicy {
    /// `managed`, `openai`, `anthropic` or `openai_compatible`.
    #[schema(value_type = String, example = "managed")]
    pub kind: &'static str,
    /// The base URL to call.
    pub endpoint: String,
    /// The workspace's region: `us` or `eu`.
    #[schema(value_type = String, example = "us")]
    pub region: &'static str,
    /// Where the endpoint processes requests (`us`, `eu`); null when
    /// unknown (a custom endpoint).
    #[schema(value_type = Option<String>, required = true)]
    pub processed_in: Option<&'static str>,
    /// The last four characters of the workspace key, if it has one.
    #[schema(required = true)]
    pub key_last4: Option<String>,
    /// The workspace key. Only for tokens allowed to receive keys, only
    /// when the workspace has one, and only while AI is on; each answer
    /// with it is audited.
    #[serde(skip_serializing_if = "Option::is_none", serialize_with = "expose_key")]
    #[schema(value_type = Option<String>)]
    pub key: Option<SecretString>,
    /// A key the workspace replaced that still works until its grace
    /// period ends, so jobs begun with it can finish. Only for tokens
    /// allowed to receive keys, while AI is on.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retiring_key: Option<RetiringKeyPolicy>,
}

/// A replaced key in its grace period.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = RetiringKey)]
pub struct RetiringKeyPolicy {
    /// The replaced key.
    #[serde(serialize_with = "expose")]
    #[schema(value_type = String)]
    pub key: SecretString,
    /// Its last four characters.
    pub key_last4: String,
    /// When it stops working (Unix seconds).
    pub usable_until: i64,
}

fn expose<S: Serializer>(key: &SecretString, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(key.expose_secret())
}

fn expose_key<S: Serializer>(key: &Option<SecretString>, serializer: S) -> Result<S::Ok, S::Error> {
    match key {
        Some(key) => serializer.serialize_str(key.expose_secret()),
        None => serializer.serialize_none(),
    }
}
