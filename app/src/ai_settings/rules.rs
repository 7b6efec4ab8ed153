//! Layer: domain.

use crate::domain::{Plan, SettingVersion, TrainingControl};
use serde::{Deserialize, Serialize};

/// What a workspace's admins chose on the page.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct AiSettings {
    /// Whether any AI feature runs for any member of the workspace.
    pub ai_enabled: bool,
    /// Whether admins agreed that the workspace's AI sessions may be used to
    /// improve AI features. Independent of `ai_enabled`.
    pub training_allowed: bool,
}

impl Default for AiSettings {
    /// AI is on, as in every comparable product, but nothing is used for
    /// training unless an admin explicitly agrees: our privacy policy
    /// promises that prompts and outputs are not used to train models.
    fn default() -> Self {
        AiSettings {
            ai_enabled: true,
            training_allowed: false,
        }
    }
}

impl AiSettings {
    /// Whether AI usage is actually eligible for training: the plan's
    /// guarantee wins over any stored choice.
    pub fn training_in_effect(&self, plan: Plan) -> bool {
        match plan.training_control() {
            TrainingControl::AdminChoice => self.training_allowed,
            TrainingControl::NeverUsed => false,
        }
    }
}

/// The on/off settings of the page. Each one is its own server function and
/// its own form field; this names them for the UI and for redirects.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum SwitchSetting {
    AiEnabled,
    TrainingAllowed,
}

impl SwitchSetting {
    /// Every switch, in page order.
    pub const ALL: &'static [SwitchSetting] = <SwitchSetting as strum::VariantArray>::VARIANTS;

    /// Stable identifier used in URLs and element ids.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// The switch a key names.
    pub fn from_key(key: &str) -> Option<Self> {
        key.parse().ok()
    }

    /// How the page and the activity log name the setting.
    pub fn title(self) -> &'static str {
        match self {
            SwitchSetting::AiEnabled => "AI features",
            SwitchSetting::TrainingAllowed => "AI training",
        }
    }

    /// The switch's value in `settings`.
    pub fn value_in(self, settings: &AiSettings) -> bool {
        match self {
            SwitchSetting::AiEnabled => settings.ai_enabled,
            SwitchSetting::TrainingAllowed => settings.training_allowed,
        }
    }
}

/// `On` / `Off`, as the page and the activity log show a switch.
pub fn on_off(value: bool) -> &'static str {
    if value {
        "On"
    } else {
        "Off"
    }
}

/// The version of each switch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SwitchVersions {
    pub ai_enabled: SettingVersion,
    pub training_allowed: SettingVersion,
}

impl SwitchVersions {
    /// The version of `setting`.
    pub fn of(&self, setting: SwitchSetting) -> &SettingVersion {
        match setting {
            SwitchSetting::AiEnabled => &self.ai_enabled,
            SwitchSetting::TrainingAllowed => &self.training_allowed,
        }
    }
}

/// A switch's stored value and version after a successful save.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedSwitch {
    pub value: bool,
    pub version: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_workspace_has_ai_on_and_training_off() {
        let settings = AiSettings::default();
        assert!(settings.ai_enabled);
        assert!(!settings.training_allowed);
    }

    #[test]
    fn the_enterprise_plan_overrides_a_stored_training_choice() {
        let settings = AiSettings {
            ai_enabled: true,
            training_allowed: true,
        };
        assert!(settings.training_in_effect(Plan::Team));
        assert!(settings.training_in_effect(Plan::Community));
        assert!(!settings.training_in_effect(Plan::Enterprise));
    }

    #[test]
    fn training_choice_does_not_depend_on_ai_being_on() {
        let settings = AiSettings {
            ai_enabled: false,
            training_allowed: true,
        };
        assert!(settings.training_in_effect(Plan::Team));
    }

    #[test]
    fn setting_keys_round_trip() {
        for &setting in SwitchSetting::ALL {
            assert_eq!(SwitchSetting::from_key(setting.key()), Some(setting));
        }
        assert_eq!(SwitchSetting::from_key("nope"), None);
    }
}
