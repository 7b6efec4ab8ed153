//! The doors from the page's Features section to the features service,
//! one server function a file. Plain forms: each save sends the browser
//! back to the section with its outcome, with or without JavaScript.

mod load_features;
mod set_agent_actions;
mod set_feature_audience;

pub use load_features::{load_features, FeaturesSnapshot, LoadFeatures};
pub use set_agent_actions::{set_agent_actions, SetAgentActions};
pub use set_feature_audience::{set_feature_audience, SetFeatureAudience};

#[cfg(feature = "ssr")]
mod ssr {
    use crate::accounts::session::Admin;
    use crate::boundary::Refusal;
    use crate::doors::change_and_return;
    use crate::features::service::{self, Choice};
    use crate::features::{FeaturesError, FeaturesNotice, FEATURES_SECTION};
    use crate::paths::AI_SETTINGS;

    /// Saves `choice` (made from the form's words, `None` if they name no
    /// choice) as the request's admin, then sends the browser back to the
    /// Features section with the outcome.
    pub async fn save(choice: Option<Choice>, based_on: i64) -> Result<(), FeaturesError> {
        let back_to = |outcome: &Result<(), FeaturesError>| {
            let query = match outcome {
                Ok(()) => format!("features={}", FeaturesNotice::Saved.code()),
                Err(error) => format!("features_error={}", error.code()),
            };
            Some(format!("{AI_SETTINGS}?{query}#{FEATURES_SECTION}"))
        };
        change_and_return(back_to, async |state, actor| {
            let admin = Admin::check(actor.clone())?;
            let choice = choice.ok_or(FeaturesError::ChoiceInvalid)?;
            service::save(state, &admin, choice, based_on).await
        })
        .await
    }
}
