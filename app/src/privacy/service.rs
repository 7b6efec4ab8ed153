//! The facts of the Privacy page, read from the deployment and the
//! workspace's model provider; and who still has to hear of a change.
//!
//! Layer: screens.

use super::{ModelPartner, NoticeChange, PrivacyNotice, RetentionFacts};
use crate::accounts::session::{self, Actor};
use crate::model_provider::rules::{KeyProvider, Processing};
use crate::state::AppState;

/// Everything the Privacy page states for this deployment.
pub async fn notice(state: &AppState) -> Result<PrivacyNotice, sqlx::Error> {
    let deployment = &state.deployment;
    let region = deployment.providers.region;
    let (key, route) =
        crate::model_provider::service::serving(state, &deployment.workspace).await?;
    let name = match key.as_ref().map(|key| key.provider) {
        None => "OpenAI, the provider this console manages".to_string(),
        Some(KeyProvider::OpenAiCompatible) => format!(
            "the workspace's own OpenAI-compatible endpoint ({})",
            host_of(&route.base_url)
        ),
        Some(provider) => format!("{}, with the workspace's own key", provider.label()),
    };
    let (processed, crosses_border) = match route.processing {
        Processing::InRegion(region) => (format!("in {}", region.in_words()), false),
        Processing::LeavesRegion { to, .. } => (format!("in {}", to.in_words()), true),
        Processing::Unknown => (
            "wherever that endpoint's operator processes them: the console cannot tell".to_string(),
            true,
        ),
    };
    let privacy = &deployment.privacy;
    Ok(PrivacyNotice {
        updated: privacy.updated.clone(),
        operator_name: privacy.operator_name.clone(),
        operator_contact: privacy.operator_contact.clone(),
        region: region.in_words().to_string(),
        partners: vec![ModelPartner {
            name,
            processed,
            crosses_border,
        }],
        retention: RetentionFacts {
            audit_days: deployment.retention.audit_days,
            invitation_days: deployment.retention.invitation_days,
            usage_days: deployment.usage.retention_days,
            idle_minutes: session::IDLE_LIFETIME_SECS / 60,
            absolute_hours: session::ABSOLUTE_LIFETIME_SECS / 3600,
            failure_minutes: crate::accounts::throttle::HORIZON_SECS / 60,
        },
        cookie_name: session::cookie_name(state.deployment.served_over_tls()).to_string(),
        sign_on_issuer: deployment
            .single_sign_on
            .as_ref()
            .map(|sso| sso.issuer.clone()),
        budget_webhook: deployment.usage.budget_webhook.is_some(),
        operator_sections: privacy.operator_sections.clone(),
    })
}

fn host_of(url: &str) -> String {
    url::Url::parse(url)
        .ok()
        .and_then(|url| url.host_str().map(str::to_string))
        .unwrap_or_else(|| url.to_string())
}

/// The notice change `actor` has not dismissed yet: the operator moved
/// the notice's date on after their account was created.
pub async fn change_to_tell(state: &AppState, actor: &Actor) -> Option<NoticeChange> {
    let version = &state.deployment.privacy.updated;
    let took_effect = start_of_day(version)?;
    let user = crate::accounts::service::find(state, &actor.user_id).await?;
    let seen = user.privacy_notice_seen.as_deref() == Some(version.as_str());
    (!seen && user.created_at < took_effect).then(|| NoticeChange {
        version: version.clone(),
    })
}

/// Notes that `actor` read of the current notice's change.
pub async fn dismiss_change(state: &AppState, actor: &Actor) -> Result<(), sqlx::Error> {
    crate::accounts::service::note_privacy_notice_seen(
        state,
        &actor.user_id,
        &state.deployment.privacy.updated,
    )
    .await
}

/// `YYYY-MM-DD` as the Unix second its day starts (UTC).
fn start_of_day(date: &str) -> Option<i64> {
    let date: jiff::civil::Date = date.parse().ok()?;
    date.to_zoned(jiff::tz::TimeZone::UTC)
        .ok()
        .map(|day| day.timestamp().as_second())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_notice_date_takes_effect_at_the_start_of_its_day() {
        assert_eq!(start_of_day("2026-11-25"), Some(1_795_564_800));
        assert_eq!(start_of_day("25.11.2026"), None);
    }
}
