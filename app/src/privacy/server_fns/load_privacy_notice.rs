use crate::boundary::LoadError;
use crate::privacy::PrivacyNotice;
use leptos::prelude::*;

/// The Privacy page's facts, for anyone, signed in or not.
#[server(endpoint = "privacy")]
pub async fn load_privacy_notice() -> Result<PrivacyNotice, LoadError> {
    crate::doors::serve(
        |_| None,
        async |state| {
            crate::privacy::service::notice(state)
                .await
                .map_err(|error| {
                    tracing::error!(%error, "reading the privacy notice's facts failed");
                    LoadError::Unavailable
                })
        },
    )
    .await
}
