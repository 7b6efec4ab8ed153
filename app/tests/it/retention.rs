//! Housekeeping deletes what is past its retention and keeps the rest:
//! audit entries (400 days by default), invitations expired or used more
//! than 30 days ago, and failed sign-in records no throttle looks at.
#![cfg(feature = "ssr")]

use app::activity::log as audit;
use app::domain::{Plan, Role};
use app::state::days;

const NOW: i64 = 1_700_000_000;

async fn count(state: &app::state::AppState, table: &str) -> i64 {
    sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {table}"))
        .fetch_one(&state.pool)
        .await
        .unwrap()
}

#[tokio::test]
async fn records_past_their_retention_are_deleted_and_the_rest_kept() {
    let fresh = test_support::fresh_state(Plan::Team).await;
    let state = &fresh.state;
    let workspace = state.deployment.workspace.clone();
    for at in [NOW - days(401), NOW - days(399), NOW] {
        let entry = audit::NewEntry {
            workspace: &workspace,
            at,
            actor_id: None,
            actor_name: "Ada",
            subject: "AI features",
            old_value: Some("On"),
            new_value: Some("Off"),
        };
        app::db::commit(&state.pool, async |tx| audit::record(tx, entry).await)
            .await
            .unwrap();
    }
    for (id, expires_at) in [
        ("old", NOW - days(31)),
        ("recent", NOW - days(29)),
        ("live", NOW + days(7)),
    ] {
        let invitation = app::members::store::NewInvitation {
            id,
            token_hash: id,
            workspace: &workspace,
            email: "grace@example.com",
            role: Role::Member,
            invited_by_name: "Ada",
            invited_by_id: "u-ada",
            created_at: expires_at - days(7),
            expires_at,
        };
        app::db::commit(&state.pool, async |tx| {
            app::members::store::insert_invitation(tx, invitation).await
        })
        .await
        .unwrap();
    }
    for (attempt, at) in [("a1", NOW - 2 * 60 * 60), ("a2", NOW - 60)] {
        sqlx::query(
            "INSERT INTO sign_in_failures (attempt, account, client, at) VALUES ($1, 'max@example.com', '192.0.2.7', $2)",
        )
        .bind(attempt)
        .bind(at)
        .execute(&state.pool)
        .await
        .unwrap();
    }

    assert_eq!(
        app::api_access::service::forget_old_entries(state)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app::members::service::forget_old_invitations(state)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        app::accounts::service::forget_old_failures(state)
            .await
            .unwrap(),
        1
    );
    assert_eq!(count(state, "audit_log").await, 2);
    assert_eq!(count(state, "invitations").await, 2);
    assert_eq!(count(state, "sign_in_failures").await, 1);
}
