//! The doors from the page's Features section to the features service,
//! one server function a file. Plain forms: each save sends the browser
//! back to the section with its outcome, with or without JavaScript.

mod load_features;
mod set_agent_actions;
mod set_feature_audience;

pub use load_features::{load_features, FeaturesSnapshot, LoadFeatures};
pub use set_agent_actions::{set_agent_actions, SetAgentActions};
pub use set_feature_audience::{set_feature_audience, SetFeatureAudience};

/// Where the section's plain forms send the browser back to.
pub const OUTCOME: crate::doors::SectionOutcome = crate::doors::SectionOutcome {
    key: "features",
    anchor: crate::features::FEATURES_SECTION,
};

#[cfg(feature = "ssr")]
mod ssr {
    use crate::doors::change_as_admin;
    use crate::features::service::{self, Choice};
    use crate::features::{FeaturesError, FeaturesNotice};

    /// Saves `choice` (made from the form's words, `None` if they name no
    /// choice) as the request's admin.
    pub async fn save(choice: Option<Choice>, based_on: i64) -> Result<(), FeaturesError> {
        let done = |_: &()| FeaturesNotice::Saved;
        change_as_admin(super::OUTCOME, done, Vec::new(), async |state, admin| {
            let choice = choice.ok_or(FeaturesError::ChoiceInvalid)?;
            service::save(state, admin, choice, based_on).await
        })
        .await
    }
}
