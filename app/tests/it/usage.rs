//! Usage ingestion against a real database: each event once however often
//! and however concurrently it is sent, and days counted in the
//! deployment's time zone.
#![cfg(feature = "ssr")]

use app::domain::Plan;
use app::usage::rules::check_report;
use app::usage::service::Receipt;
use app::usage::store;
use app::use_cases::usage_report::ingest;
use std::sync::Arc;

fn report(ids: std::ops::Range<usize>, at: &str) -> Vec<app::usage::rules::UsageEvent> {
    let events: Vec<String> = ids
        .map(|n| {
            format!(
                r#"{{"id":"e{n}","at":"{at}","feature":"assistant","model":"gpt-4o","input_tokens":100,"output_tokens":10}}"#
            )
        })
        .collect();
    check_report(
        format!(r#"{{"events":[{}]}}"#, events.join(",")).as_bytes(),
        &test_support::REPORTS_ACCEPTED,
    )
    .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_same_events_sent_at_once_from_two_places_count_once() {
    let fresh = test_support::fresh_state(Plan::Team).await;
    let state = fresh.state.clone();
    let workspace = state.deployment.workspace.clone();
    let events = report(0..300, "2023-11-14T12:00:00Z");
    let send = |state: app::state::AppState, events: Vec<_>, workspace| {
        tokio::spawn(async move { ingest(&state, &workspace, &events, false).await.unwrap() })
    };
    let first = send(state.clone(), events.clone(), workspace.clone());
    let second = send(state.clone(), events.clone(), workspace.clone());
    let (first, second): (Receipt, Receipt) = (first.await.unwrap(), second.await.unwrap());
    assert_eq!(first.new + second.new, 300);
    assert_eq!(first.duplicates + second.duplicates, 300);
    let days = store::days_since(&state.pool, &workspace, "2023-11-01")
        .await
        .unwrap();
    assert_eq!(days.len(), 1);
    assert_eq!(days[0].totals.events, 300);
    assert_eq!(days[0].totals.input_tokens, 30_000);
    assert_eq!(days[0].paid_by, "managed");
}

#[tokio::test]
async fn a_day_and_a_month_begin_in_the_deployments_time_zone() {
    let mut fresh = test_support::fresh_state(Plan::Team).await;
    Arc::make_mut(&mut fresh.state.deployment).usage.time_zone =
        jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    let state = fresh.state.clone();
    let workspace = state.deployment.workspace.clone();
    // 23:30 UTC on 31 October is 00:30 on 1 November in Berlin.
    ingest(
        &state,
        &workspace,
        &report(0..1, "2023-10-31T23:30:00Z"),
        true,
    )
    .await
    .unwrap();
    let days = store::days_since(&state.pool, &workspace, "2023-10-01")
        .await
        .unwrap();
    assert_eq!(days[0].day, "2023-11-01");
    assert_eq!(days[0].paid_by, "own_key");
}
