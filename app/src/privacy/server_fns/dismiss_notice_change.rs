use crate::boundary::LoadError;
use leptos::prelude::*;

/// "Got it" on the banner about a changed privacy notice: it does not
/// show again for this version. Back to the page it was on.
#[server(endpoint = "privacy/dismiss")]
pub async fn dismiss_notice_change(back_to: String) -> Result<(), LoadError> {
    let back = crate::accounts::safe_next(Some(&back_to)).to_string();
    crate::doors::change_and_return(
        move |_| Some(back),
        async |state, actor| {
            crate::privacy::service::dismiss_change(state, actor)
                .await
                .map_err(|error| {
                    tracing::error!(%error, "noting a dismissed notice failed");
                    LoadError::Unavailable
                })
        },
    )
    .await
}
