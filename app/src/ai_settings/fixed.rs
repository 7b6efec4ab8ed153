//! Settings an operator fixes in the server's configuration
//! (config-as-code). A fixed setting wins over whatever is stored, shows
//! read-only on the page, and no server function can change it.
//!
//! Layer: domain.

use super::rules::{AiSettings, SwitchSetting};
use serde::{Deserialize, Serialize};

/// The switches the operator fixed, each `None` when the page decides.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FixedSettings {
    /// `AI_FEATURES=on|off`.
    pub ai_enabled: Option<bool>,
    /// `AI_TRAINING=on|off`.
    pub training_allowed: Option<bool>,
}

impl FixedSettings {
    /// The value the operator fixed for `setting`, if any.
    pub fn value_of(&self, setting: SwitchSetting) -> Option<bool> {
        match setting {
            SwitchSetting::AiEnabled => self.ai_enabled,
            SwitchSetting::TrainingAllowed => self.training_allowed,
        }
    }

    /// The variable that fixes `setting`, if one does.
    pub fn fixed_by(&self, setting: SwitchSetting) -> Option<&'static str> {
        self.value_of(setting).map(|_| variable(setting))
    }

    /// What applies: the operator's values over the stored choices.
    pub fn apply(&self, stored: AiSettings) -> AiSettings {
        AiSettings {
            ai_enabled: self.ai_enabled.unwrap_or(stored.ai_enabled),
            training_allowed: self.training_allowed.unwrap_or(stored.training_allowed),
        }
    }
}

/// The configuration variable of each switch.
pub fn variable(setting: SwitchSetting) -> &'static str {
    match setting {
        SwitchSetting::AiEnabled => "AI_FEATURES",
        SwitchSetting::TrainingAllowed => "AI_TRAINING",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_values_win_over_stored_ones_and_unfixed_ones_pass_through() {
        let stored = AiSettings {
            ai_enabled: true,
            training_allowed: true,
        };
        let fixed = FixedSettings {
            ai_enabled: Some(false),
            training_allowed: None,
        };
        assert_eq!(
            fixed.apply(stored),
            AiSettings {
                ai_enabled: false,
                training_allowed: true
            }
        );
        assert_eq!(
            fixed.fixed_by(SwitchSetting::AiEnabled),
            Some("AI_FEATURES")
        );
        assert_eq!(fixed.fixed_by(SwitchSetting::TrainingAllowed), None);
        assert_eq!(FixedSettings::default().apply(stored), stored);
    }
}
