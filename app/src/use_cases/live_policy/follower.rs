//! Following the changes other replicas make, on PostgreSQL.

use super::LivePolicy;
use crate::domain::WorkspaceId;
use crate::state::AppState;
use std::sync::Arc;

/// The name the notification connection goes by in `pg_stat_activity`.
pub const LISTENER_NAME: &str = "ai-console-policy-listener";

/// `database_url` with the listener's application name.
fn listener_url(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(mut url) => {
            url.query_pairs_mut()
                .append_pair("application_name", LISTENER_NAME);
            url.to_string()
        }
        Err(_) => database_url.to_string(),
    }
}

/// Follows changes other replicas make, on PostgreSQL: listens for their
/// notifications on a connection of its own and reloads the workspace each
/// one names. When that connection drops, answers come from the database
/// until it is back and everything has been reloaded. Runs until the
/// process ends.
pub async fn follow_postgres(live: Arc<LivePolicy>, state: AppState, database_url: String) {
    use sqlx::postgres::PgListener;
    let mut retry = std::time::Duration::from_millis(100);
    loop {
        let connected = async {
            let mut listener = PgListener::connect(&listener_url(&database_url)).await?;
            listener.listen(crate::db::POLICY_CHANNEL).await?;
            // Whatever changed while nobody listened.
            live.load_all(&state).await?;
            live.mark_current(true);
            Ok::<_, sqlx::Error>(listener)
        }
        .await;
        let mut listener = match connected {
            Ok(listener) => {
                tracing::info!("following policy changes of other replicas");
                retry = std::time::Duration::from_millis(100);
                listener
            }
            Err(error) => {
                tracing::warn!(%error, "cannot follow policy changes yet; answering from the database");
                live.mark_current(false);
                tokio::time::sleep(retry).await;
                retry = (retry * 2).min(std::time::Duration::from_secs(5));
                continue;
            }
        };
        loop {
            match listener.try_recv().await {
                Ok(Some(notification)) => {
                    live.reload(&state, &WorkspaceId::new(notification.payload()))
                        .await;
                }
                // The connection was lost: changes may be missed from now.
                Ok(None) | Err(_) => {
                    tracing::warn!("lost the policy notification connection; answering from the database until it is back");
                    live.mark_current(false);
                    break;
                }
            }
        }
    }
}
