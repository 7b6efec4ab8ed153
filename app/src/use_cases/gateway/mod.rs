//! A call through the AI gateway, decided from the console's own records:
//! the service token and its right to call models, the workspace's policy
//! in force (AI on, the budget, who may use the feature, the allowed
//! models, the provider and its key), and the person the call is for
//! (their role and whether they are suspended), never from what the
//! service claims about them. What comes out names where the call goes and
//! with which key; the key is opened for this call only.

use crate::api_access::policy_document::AiOff;
use crate::api_access::service::{PolicyError, TokenProblem};
use crate::domain::{Role, UserId, WorkspaceId};
use crate::features::rules::{Audience, Feature, FEATURES};
use crate::model_provider::rules::KeyProvider;
use crate::model_provider::service as model_provider;
use crate::state::AppState;
use crate::usage::prices::family_of;
use crate::usage::rules::PaidBy;
use crate::use_cases::live_policy::LivePolicy;
use secrecy::SecretString;

mod people;
pub use people::{People, REMEMBERED_FOR};

/// Which of the two APIs the service speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ApiFormat {
    /// `/gateway/openai/v1/…`: chat completions, responses, embeddings.
    OpenAi,
    /// `/gateway/anthropic/v1/messages`.
    Anthropic,
}

impl ApiFormat {
    fn provider_name(self) -> &'static str {
        match self {
            ApiFormat::OpenAi => "OpenAI",
            ApiFormat::Anthropic => "Anthropic",
        }
    }
}

/// Which call the service makes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModelCall {
    /// OpenAI's `chat/completions`; served by Anthropic too, translated.
    ChatCompletions,
    /// OpenAI's `responses`: OpenAI-compatible providers only.
    Responses,
    /// OpenAI's `embeddings`: Anthropic has none.
    Embeddings,
    /// Anthropic's `messages`; served by OpenAI too, translated.
    Messages,
}

impl ModelCall {
    /// The API the call belongs to.
    pub fn format(self) -> ApiFormat {
        match self {
            ModelCall::Messages => ApiFormat::Anthropic,
            _ => ApiFormat::OpenAi,
        }
    }

    /// Its path under the provider's API base.
    pub fn path(self) -> &'static str {
        match self {
            ModelCall::ChatCompletions => "chat/completions",
            ModelCall::Responses => "responses",
            ModelCall::Embeddings => "embeddings",
            ModelCall::Messages => "messages",
        }
    }

    /// The call made of the provider when it speaks `speaks`: the same, or
    /// its translation; `None` when the provider has nothing like it.
    pub fn served_as(self, speaks: ApiFormat) -> Option<ModelCall> {
        match (self, speaks) {
            (call, speaks) if call.format() == speaks => Some(call),
            (ModelCall::ChatCompletions, ApiFormat::Anthropic) => Some(ModelCall::Messages),
            (ModelCall::Messages, ApiFormat::OpenAi) => Some(ModelCall::ChatCompletions),
            _ => None,
        }
    }
}

/// What the service said about its call.
#[derive(Debug, Clone, Copy)]
pub struct CallRequest<'a> {
    pub token: &'a str,
    pub call: ModelCall,
    /// `X-AI-Feature`; not needed with a token made for one feature.
    pub feature: Option<&'a str>,
    /// `X-AI-User`, OpenAI's `user` or Anthropic's `metadata.user_id`: an
    /// e-mail address or an account id.
    pub person: Option<&'a str>,
    /// The model the body names, if it names one.
    pub model: Option<&'a str>,
}

/// The metrics' label for a model off the list (allowed because every
/// model is).
pub const OTHER_MODEL: &str = "other";

/// The operator's keys for the managed provider
/// (`AI_MANAGED_OPENAI_API_KEY`, `AI_MANAGED_ANTHROPIC_API_KEY`).
#[derive(Debug, Clone, Default)]
pub struct ManagedKeys {
    pub openai: Option<SecretString>,
    pub anthropic: Option<SecretString>,
}

/// Where an allowed call goes.
#[derive(Debug)]
pub struct Upstream {
    pub workspace: WorkspaceId,
    pub token_id: String,
    /// When the caller's token stops working, if it expires.
    pub token_expires_at: Option<i64>,
    pub feature: Feature,
    /// The person it runs for, when the service named one.
    pub person: Option<UserId>,
    /// The model to ask for: the one named, or the workspace's default.
    pub model: String,
    /// The model as the metrics name it: itself if on the workspace's
    /// list, else [`OTHER_MODEL`].
    pub model_label: String,
    /// The call made of the provider: the service's own, or its
    /// translation into the provider's API.
    pub provider_call: ModelCall,
    /// An OpenAI-compatible endpoint, not OpenAI itself (older parameter
    /// names only).
    pub compatible: bool,
    /// The provider's API base, e.g. `https://api.openai.com/v1`.
    pub base_url: String,
    pub key: SecretString,
    pub paid_by: PaidBy,
}

/// Why the gateway refused a call. Each has a stable code; the message
/// says what to do.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GatewayRefusal {
    #[error("{} (the service token is the API key)", .0.message())]
    Unauthorized(TokenProblem),
    #[error("this service token may not call models through the gateway; an admin can create one with \"May call models through the gateway\" on the API access page")]
    NoGatewayRight,
    #[error("AI is switched off for this workspace by its admins")]
    AiSwitchedOff,
    #[error("this month's AI budget is spent; AI is off until {until_text}", until_text = crate::domain::time::format_utc(*until))]
    BudgetSpent { until: i64 },
    #[error("say which feature the call is for in the X-AI-Feature header: one of {expected}")]
    FeatureMissing { expected: String },
    #[error("this token's calls are for {fixed}; X-AI-Feature names {asked}")]
    FeatureNotForToken { fixed: String, asked: String },
    #[error("\"{feature}\" is not a feature; expected one of {expected}")]
    FeatureUnknown { feature: String, expected: String },
    #[error("{feature} is switched off for everyone in this workspace")]
    FeatureClosed { feature: &'static str },
    #[error("{feature} is open to admins only; name the person it runs for (X-AI-User) — only admins may use it")]
    AdminsOnly { feature: &'static str },
    #[error("no one in this workspace has the account or e-mail address given as the person")]
    PersonUnknown,
    #[error("the person's account is suspended")]
    PersonSuspended,
    #[error("name the model to use; this workspace has no default model")]
    ModelMissing,
    #[error("the model \"{model}\" is not allowed in this workspace; allowed: {allowed}")]
    ModelNotAllowed { model: String, allowed: String },
    #[error(
        "this workspace's models are served by {serving}, which has no {call} API; use {instead}"
    )]
    NotOffered {
        serving: &'static str,
        call: &'static str,
        instead: &'static str,
    },
    #[error("the managed provider is not set up for {0} calls on this console")]
    NoManagedKey(&'static str),
    #[error("the gateway cannot decide right now; do not retry at once")]
    Unavailable,
}

impl GatewayRefusal {
    /// The stable code services may match on.
    pub fn code(&self) -> &'static str {
        match self {
            GatewayRefusal::Unauthorized(_) => "invalid_token",
            GatewayRefusal::NoGatewayRight => "token_not_allowed",
            GatewayRefusal::AiSwitchedOff => "ai_switched_off",
            GatewayRefusal::BudgetSpent { .. } => "budget_exhausted",
            GatewayRefusal::FeatureMissing { .. } => "feature_missing",
            GatewayRefusal::FeatureUnknown { .. } => "feature_unknown",
            GatewayRefusal::FeatureNotForToken { .. } => "feature_not_for_token",
            GatewayRefusal::FeatureClosed { .. } => "feature_closed",
            GatewayRefusal::AdminsOnly { .. } => "feature_admins_only",
            GatewayRefusal::PersonUnknown => "person_unknown",
            GatewayRefusal::PersonSuspended => "person_suspended",
            GatewayRefusal::ModelMissing => "model_missing",
            GatewayRefusal::ModelNotAllowed { .. } => "model_not_allowed",
            GatewayRefusal::NotOffered { .. } => "provider_format",
            GatewayRefusal::NoManagedKey(_) => "managed_provider_unavailable",
            GatewayRefusal::Unavailable => "gateway_unavailable",
        }
    }

    /// What is wrong with the token, for `WWW-Authenticate`.
    pub fn token_problem(&self) -> Option<TokenProblem> {
        match self {
            GatewayRefusal::Unauthorized(problem) => Some(*problem),
            _ => None,
        }
    }

    /// The HTTP status it answers with.
    pub fn status(&self) -> u16 {
        match self {
            GatewayRefusal::Unauthorized(_) => 401,
            GatewayRefusal::NoGatewayRight
            | GatewayRefusal::AiSwitchedOff
            | GatewayRefusal::BudgetSpent { .. }
            | GatewayRefusal::FeatureClosed { .. }
            | GatewayRefusal::FeatureNotForToken { .. }
            | GatewayRefusal::AdminsOnly { .. }
            | GatewayRefusal::PersonSuspended
            | GatewayRefusal::ModelNotAllowed { .. } => 403,
            GatewayRefusal::FeatureMissing { .. }
            | GatewayRefusal::FeatureUnknown { .. }
            | GatewayRefusal::PersonUnknown
            | GatewayRefusal::ModelMissing
            | GatewayRefusal::NotOffered { .. } => 400,
            GatewayRefusal::NoManagedKey(_) | GatewayRefusal::Unavailable => 503,
        }
    }
}

impl From<PolicyError> for GatewayRefusal {
    fn from(error: PolicyError) -> Self {
        match error {
            PolicyError::Unauthorized(problem) => GatewayRefusal::Unauthorized(problem),
            // The gateway finds the workspace from the token itself.
            PolicyError::NotFound => GatewayRefusal::Unauthorized(TokenProblem::Unknown),
            PolicyError::Unavailable => GatewayRefusal::Unavailable,
        }
    }
}

fn feature_keys() -> String {
    FEATURES
        .iter()
        .map(|spec| spec.key)
        .collect::<Vec<_>>()
        .join(", ")
}

/// Decides `call`: refused, or where it goes. Reads the policy from
/// memory, and a named person from `people` (the database when not
/// remembered).
pub async fn decide(
    state: &AppState,
    live: &LivePolicy,
    managed: &ManagedKeys,
    people: &People,
    call: CallRequest<'_>,
) -> Result<Upstream, GatewayRefusal> {
    let (token, inputs) = live.authenticate_any(state, call.token).await?;
    if !token.may_call_models {
        return Err(GatewayRefusal::NoGatewayRight);
    }
    match inputs.ai_off(state.clock.now()) {
        Some(AiOff::SwitchedOff) => return Err(GatewayRefusal::AiSwitchedOff),
        Some(AiOff::BudgetExhausted { until }) => {
            return Err(GatewayRefusal::BudgetSpent { until })
        }
        None => {}
    }
    let asked = call
        .feature
        .map(str::trim)
        .filter(|asked| !asked.is_empty());
    let named = match (token.gateway_feature.as_deref(), asked) {
        (Some(fixed), Some(asked)) if fixed != asked => {
            return Err(GatewayRefusal::FeatureNotForToken {
                fixed: fixed.to_string(),
                asked: asked.to_string(),
            })
        }
        (Some(fixed), _) => Some(fixed),
        (None, asked) => asked,
    };
    let feature = match named {
        None => {
            return Err(GatewayRefusal::FeatureMissing {
                expected: feature_keys(),
            })
        }
        Some(key) => Feature::from_key(key).ok_or_else(|| GatewayRefusal::FeatureUnknown {
            feature: key.to_string(),
            expected: feature_keys(),
        })?,
    };
    let person = match call
        .person
        .map(str::trim)
        .filter(|person| !person.is_empty())
    {
        Some(person) => Some(find_person(state, people, &token.workspace, person).await?),
        None => None,
    };
    let title = feature.title();
    match inputs.features.audience(feature) {
        Audience::Everyone => {}
        Audience::NoOne => return Err(GatewayRefusal::FeatureClosed { feature: title }),
        Audience::AdminsOnly => match &person {
            Some((_, Role::Admin)) => {}
            _ => return Err(GatewayRefusal::AdminsOnly { feature: title }),
        },
    }
    let allowed = inputs.models.choice.in_effect(&inputs.models.offered);
    let listed = |name: &str| allowed.iter().any(|allowed| allowed == name);
    let model = match call.model.map(str::trim).filter(|model| !model.is_empty()) {
        Some(model) => {
            let in_family = family_of(model).is_some_and(listed);
            if !inputs.models.choice.all && !listed(model) && !in_family {
                return Err(GatewayRefusal::ModelNotAllowed {
                    model: model.to_string(),
                    allowed: allowed.join(", "),
                });
            }
            model.to_string()
        }
        None => inputs
            .models
            .choice
            .default
            .clone()
            .ok_or(GatewayRefusal::ModelMissing)?,
    };
    // With every model allowed a service may name any: the metrics label
    // only models on the list (or of a listed family), so their label
    // values stay bounded.
    let model_label = if listed(&model) || family_of(&model).is_some_and(listed) {
        model.clone()
    } else {
        OTHER_MODEL.to_string()
    };
    let format = call.call.format();
    let (base_url, key, paid_by, speaks, compatible) = match &inputs.current {
        Some(record) => {
            let speaks = match record.provider {
                KeyProvider::Anthropic => ApiFormat::Anthropic,
                KeyProvider::OpenAi | KeyProvider::OpenAiCompatible => ApiFormat::OpenAi,
            };
            let key = model_provider::open_key(state, record).map_err(|error| {
                tracing::error!(%error, "opening a provider key for the gateway failed");
                GatewayRefusal::Unavailable
            })?;
            let compatible = record.provider == KeyProvider::OpenAiCompatible;
            let base_url = inputs.route.base_url.clone();
            (base_url, key, PaidBy::OwnKey, speaks, compatible)
        }
        None => {
            let endpoints = &state.deployment.providers.endpoints;
            let (base_url, key) = match format {
                ApiFormat::OpenAi => (inputs.route.base_url.clone(), managed.openai.clone()),
                ApiFormat::Anthropic => (endpoints.anthropic.clone(), managed.anthropic.clone()),
            };
            let key = key.ok_or(GatewayRefusal::NoManagedKey(format.provider_name()))?;
            (base_url, key, PaidBy::Managed, format, false)
        }
    };
    let provider_call = call
        .call
        .served_as(speaks)
        .ok_or_else(|| not_offered(call.call, speaks))?;
    Ok(Upstream {
        workspace: token.workspace.clone(),
        token_id: token.id.clone(),
        token_expires_at: token.expires_at,
        feature,
        person: person.map(|(id, _)| id),
        model,
        model_label,
        provider_call,
        compatible,
        base_url,
        key,
        paid_by,
    })
}

/// Why `call` cannot be served by a provider that speaks `speaks`.
fn not_offered(call: ModelCall, speaks: ApiFormat) -> GatewayRefusal {
    match (call, speaks) {
        (ModelCall::Embeddings, _) => GatewayRefusal::NotOffered {
            serving: "Anthropic",
            call: "embeddings",
            instead: "a workspace key for an OpenAI-compatible provider for embeddings",
        },
        _ => GatewayRefusal::NotOffered {
            serving: "Anthropic",
            call: "Responses",
            instead: "chat completions (/gateway/openai/v1/chat/completions) or Anthropic's messages (/gateway/anthropic/v1/messages)",
        },
    }
}

/// The person `given` names (an account id or e-mail address) in
/// `workspace`, with their role; refused when unknown or suspended.
async fn find_person(
    state: &AppState,
    people: &People,
    workspace: &WorkspaceId,
    given: &str,
) -> Result<(UserId, Role), GatewayRefusal> {
    let found = people
        .find(&state.pool, workspace, given)
        .await
        .map_err(|error| {
            tracing::error!(%error, "looking up a gateway call's person failed");
            GatewayRefusal::Unavailable
        })?
        .ok_or(GatewayRefusal::PersonUnknown)?;
    if found.suspended {
        return Err(GatewayRefusal::PersonSuspended);
    }
    Ok((found.id, found.role))
}
