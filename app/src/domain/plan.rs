use serde::{Deserialize, Serialize};
use std::{fmt, str::FromStr};

/// The subscription a workspace is on. Deployment configuration decides it;
/// admins cannot change it from the page.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum Plan {
    Community,
    #[default]
    Team,
    Enterprise,
}

/// How the training choice is offered on a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrainingControl {
    /// The workspace's admins decide, with a switch.
    AdminChoice,
    /// The plan itself guarantees AI usage is never used for training, so
    /// there is nothing to decide and no switch is shown.
    NeverUsed,
}

impl Plan {
    /// Every plan.
    pub const ALL: [Plan; 3] = [Plan::Community, Plan::Team, Plan::Enterprise];

    /// Who decides whether AI sessions may be used for training.
    pub fn training_control(self) -> TrainingControl {
        match self {
            Plan::Community | Plan::Team => TrainingControl::AdminChoice,
            Plan::Enterprise => TrainingControl::NeverUsed,
        }
    }

    /// The name used in configuration (`AI_PLAN=team`).
    pub fn config_name(self) -> &'static str {
        match self {
            Plan::Community => "community",
            Plan::Team => "team",
            Plan::Enterprise => "enterprise",
        }
    }
}

impl fmt::Display for Plan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Plan::Community => "Community",
            Plan::Team => "Team",
            Plan::Enterprise => "Enterprise",
        })
    }
}

/// A plan name the configuration gave that no plan has.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown plan \"{given}\"; expected one of: community, team, enterprise")]
pub struct PlanParseError {
    pub given: String,
}

impl FromStr for Plan {
    type Err = PlanParseError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let wanted = s.trim();
        Plan::ALL
            .into_iter()
            .find(|plan| plan.config_name().eq_ignore_ascii_case(wanted))
            .ok_or_else(|| PlanParseError {
                given: s.to_string(),
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_parse_from_their_configuration_names_in_any_case() {
        assert_eq!("community".parse(), Ok(Plan::Community));
        assert_eq!(" Team ".parse(), Ok(Plan::Team));
        assert_eq!("ENTERPRISE".parse(), Ok(Plan::Enterprise));
    }

    #[test]
    fn an_unknown_plan_names_the_allowed_values() {
        let err = "gold".parse::<Plan>().unwrap_err();
        assert_eq!(
            err.to_string(),
            "unknown plan \"gold\"; expected one of: community, team, enterprise"
        );
    }

    #[test]
    fn only_enterprise_guarantees_no_training() {
        assert_eq!(
            Plan::Community.training_control(),
            TrainingControl::AdminChoice
        );
        assert_eq!(Plan::Team.training_control(), TrainingControl::AdminChoice);
        assert_eq!(
            Plan::Enterprise.training_control(),
            TrainingControl::NeverUsed
        );
    }

    #[test]
    fn the_default_plan_is_team() {
        assert_eq!(Plan::default(), Plan::Team);
    }
}
