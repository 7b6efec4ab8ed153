//! The product's AI features and who may use each. The catalogue below is
//! the one place a feature is declared: adding one is one entry.
//!
//! Layer: domain.

use crate::domain::Role;
use serde::{Deserialize, Serialize};

/// One AI feature of the product.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Feature {
    Assistant,
    Agents,
    SemanticSearch,
}

/// How a feature is named and what it starts as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FeatureSpec {
    pub feature: Feature,
    /// The key services and the configuration use.
    pub key: &'static str,
    pub title: &'static str,
    pub description: &'static str,
    /// Who may use it until an admin decides.
    pub default_audience: Audience,
    /// The variable that fixes it in the server configuration.
    pub variable: &'static str,
}

/// Every feature, in the order the page lists them.
pub const FEATURES: [FeatureSpec; 3] = [
    FeatureSpec {
        feature: Feature::Assistant,
        key: "assistant",
        title: "AI assistant",
        description: "Suggests code, queries and text in the editor. It only suggests: people decide what to keep.",
        default_audience: Audience::Everyone,
        variable: "AI_FEATURE_ASSISTANT",
    },
    FeatureSpec {
        feature: Feature::Agents,
        key: "agents",
        title: "Agents",
        description: "Carry out tasks of several steps on someone's behalf, such as preparing a report or fixing a broken pipeline.",
        default_audience: Audience::AdminsOnly,
        variable: "AI_FEATURE_AGENTS",
    },
    FeatureSpec {
        feature: Feature::SemanticSearch,
        key: "semantic_search",
        title: "Semantic search",
        description: "Finds workspace content by meaning. Workspace content is sent to the model provider to be embedded.",
        default_audience: Audience::Everyone,
        variable: "AI_FEATURE_SEMANTIC_SEARCH",
    },
];

impl Feature {
    pub fn spec(self) -> &'static FeatureSpec {
        FEATURES
            .iter()
            .find(|spec| spec.feature == self)
            .unwrap_or(&FEATURES[0])
    }

    pub fn key(self) -> &'static str {
        self.spec().key
    }

    pub fn title(self) -> &'static str {
        self.spec().title
    }

    pub fn from_key(key: &str) -> Option<Self> {
        FEATURES
            .iter()
            .find(|spec| spec.key == key)
            .map(|spec| spec.feature)
    }
}

/// Who may use a feature.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
pub enum Audience {
    #[strum(serialize = "everyone")]
    Everyone,
    #[strum(serialize = "admins")]
    AdminsOnly,
    #[strum(serialize = "no-one")]
    NoOne,
}

impl Audience {
    pub const ALL: &'static [Audience] = <Audience as strum::VariantArray>::VARIANTS;

    /// The form's, the store's and the configuration's word for it.
    pub fn key(self) -> &'static str {
        self.into()
    }

    pub fn from_key(key: &str) -> Option<Self> {
        key.parse().ok()
    }

    pub fn label(self) -> &'static str {
        match self {
            Audience::Everyone => "Everyone",
            Audience::AdminsOnly => "Admins only",
            Audience::NoOne => "No one",
        }
    }

    /// Whether someone with `role` is in this audience.
    pub fn includes(self, role: Role) -> bool {
        match self {
            Audience::Everyone => true,
            Audience::AdminsOnly => role == Role::Admin,
            Audience::NoOne => false,
        }
    }
}

/// What agents may do with what they prepare.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    Serialize,
    Deserialize,
    Default,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
pub enum AgentActions {
    /// They propose changes; a person applies them.
    #[default]
    #[strum(serialize = "propose")]
    ProposeOnly,
    /// They apply changes themselves.
    #[strum(serialize = "apply")]
    ApplyChanges,
}

impl AgentActions {
    pub const ALL: &'static [AgentActions] = <AgentActions as strum::VariantArray>::VARIANTS;

    pub fn key(self) -> &'static str {
        self.into()
    }

    pub fn from_key(key: &str) -> Option<Self> {
        key.parse().ok()
    }

    pub fn label(self) -> &'static str {
        match self {
            AgentActions::ProposeOnly => "Propose changes for a person to apply",
            AgentActions::ApplyChanges => "Apply changes themselves",
        }
    }

    /// The variable that fixes it.
    pub const VARIABLE: &'static str = "AI_AGENTS_ACTIONS";
}

/// Each feature's audience and the agents' actions, as chosen (or as the
/// operator fixed them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeatureChoices {
    pub assistant: Audience,
    pub agents: Audience,
    pub semantic_search: Audience,
    pub agent_actions: AgentActions,
}

impl Default for FeatureChoices {
    fn default() -> Self {
        let mut choices = FeatureChoices {
            assistant: Audience::Everyone,
            agents: Audience::Everyone,
            semantic_search: Audience::Everyone,
            agent_actions: AgentActions::default(),
        };
        for spec in FEATURES {
            choices.set(spec.feature, spec.default_audience);
        }
        choices
    }
}

impl FeatureChoices {
    pub fn audience(&self, feature: Feature) -> Audience {
        match feature {
            Feature::Assistant => self.assistant,
            Feature::Agents => self.agents,
            Feature::SemanticSearch => self.semantic_search,
        }
    }

    pub fn set(&mut self, feature: Feature, audience: Audience) {
        match feature {
            Feature::Assistant => self.assistant = audience,
            Feature::Agents => self.agents = audience,
            Feature::SemanticSearch => self.semantic_search = audience,
        }
    }
}

/// Choices the operator fixed in the configuration, each `None` where the
/// page decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FixedFeatures {
    pub assistant: Option<Audience>,
    pub agents: Option<Audience>,
    pub semantic_search: Option<Audience>,
    pub agent_actions: Option<AgentActions>,
}

impl FixedFeatures {
    pub fn audience(&self, feature: Feature) -> Option<Audience> {
        match feature {
            Feature::Assistant => self.assistant,
            Feature::Agents => self.agents,
            Feature::SemanticSearch => self.semantic_search,
        }
    }

    pub fn set(&mut self, feature: Feature, audience: Audience) {
        match feature {
            Feature::Assistant => self.assistant = Some(audience),
            Feature::Agents => self.agents = Some(audience),
            Feature::SemanticSearch => self.semantic_search = Some(audience),
        }
    }

    /// What applies: fixed values over stored choices.
    pub fn apply(&self, mut stored: FeatureChoices) -> FeatureChoices {
        for spec in FEATURES {
            if let Some(audience) = self.audience(spec.feature) {
                stored.set(spec.feature, audience);
            }
        }
        if let Some(actions) = self.agent_actions {
            stored.agent_actions = actions;
        }
        stored
    }
}

/// Whether a feature may run for someone, and if not, why.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Allowed,
    /// The workspace's AI switch is off: every feature is.
    AiOff,
    /// The feature is off for everyone.
    OffForEveryone,
    /// Only admins may use it.
    AdminsOnly,
}

impl Decision {
    pub fn is_allowed(self) -> bool {
        self == Decision::Allowed
    }

    /// The reason in words, for services to pass on.
    pub fn reason(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::AiOff => "AI features are turned off for this workspace",
            Decision::OffForEveryone => "this feature is turned off for everyone in this workspace",
            Decision::AdminsOnly => "this feature is for the workspace's admins only",
        }
    }

    /// A stable code for the reason.
    pub fn code(self) -> &'static str {
        match self {
            Decision::Allowed => "allowed",
            Decision::AiOff => "ai-off",
            Decision::OffForEveryone => "feature-off",
            Decision::AdminsOnly => "admins-only",
        }
    }
}

/// Whether `feature` may run for someone with `role`: the workspace's AI
/// switch first, then the feature's audience.
pub fn decide(ai_enabled: bool, audience: Audience, role: Role) -> Decision {
    if !ai_enabled {
        return Decision::AiOff;
    }
    match audience {
        Audience::NoOne => Decision::OffForEveryone,
        audience if audience.includes(role) => Decision::Allowed,
        _ => Decision::AdminsOnly,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_ai_switch_overrides_every_feature() {
        for &audience in Audience::ALL {
            for role in [Role::Admin, Role::Member] {
                assert_eq!(decide(false, audience, role), Decision::AiOff);
            }
        }
    }

    #[test]
    fn the_audience_decides_by_role() {
        assert_eq!(
            decide(true, Audience::Everyone, Role::Member),
            Decision::Allowed
        );
        assert_eq!(
            decide(true, Audience::AdminsOnly, Role::Admin),
            Decision::Allowed
        );
        assert_eq!(
            decide(true, Audience::AdminsOnly, Role::Member),
            Decision::AdminsOnly
        );
        assert_eq!(
            decide(true, Audience::NoOne, Role::Admin),
            Decision::OffForEveryone
        );
    }

    #[test]
    fn every_feature_is_declared_once_with_a_default() {
        let defaults = FeatureChoices::default();
        assert_eq!(defaults.agents, Audience::AdminsOnly);
        assert_eq!(defaults.assistant, Audience::Everyone);
        assert_eq!(defaults.agent_actions, AgentActions::ProposeOnly);
        for spec in FEATURES {
            assert_eq!(Feature::from_key(spec.key), Some(spec.feature));
            assert_eq!(defaults.audience(spec.feature), spec.default_audience);
        }
        for &audience in Audience::ALL {
            assert_eq!(Audience::from_key(audience.key()), Some(audience));
        }
    }

    #[test]
    fn fixed_choices_win_over_stored_ones() {
        let fixed = FixedFeatures {
            agents: Some(Audience::NoOne),
            agent_actions: Some(AgentActions::ApplyChanges),
            ..FixedFeatures::default()
        };
        let applied = fixed.apply(FeatureChoices::default());
        assert_eq!(applied.agents, Audience::NoOne);
        assert_eq!(applied.assistant, Audience::Everyone);
        assert_eq!(applied.agent_actions, AgentActions::ApplyChanges);
    }
}
