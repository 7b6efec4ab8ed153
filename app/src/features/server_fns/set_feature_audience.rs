use crate::features::FeaturesError;
use leptos::prelude::*;

/// Decides who may use one AI feature: `everyone`, `admins` or `no-one`.
#[server(endpoint = "settings/ai/features/audience")]
pub async fn set_feature_audience(
    feature: String,
    audience: String,
    version: i64,
) -> Result<(), FeaturesError> {
    use crate::features::rules::{Audience, Feature};
    use crate::features::service::Choice;

    let choice = Feature::from_key(&feature)
        .zip(Audience::from_key(&audience))
        .map(|(feature, audience)| Choice::Audience(feature, audience));
    super::ssr::save(choice, version).await
}
