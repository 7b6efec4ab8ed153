//! Budgets against a real database: each line crossed exactly once however
//! many reports race, the stop and its end with the month in the usage
//! time zone, a higher budget lifting the stop, and the webhook's signed,
//! retried deliveries.
#![cfg(feature = "ssr")]

use app::accounts::service::{self as accounts, NewAccount};
use app::accounts::session::Actor;
use app::activity::log as audit;
use app::budget::rules::MonthlyBudget;
use app::budget::webhook::{self, BudgetWebhook, SIGNATURE_HEADER};
use app::budget::{service, BudgetError};
use app::domain::{Currency, Plan, Role};
use app::state::AppState;
use app::usage::rules::check_report;
use app::use_cases::usage_report::ingest;
use std::sync::{Arc, Mutex};
use test_support::PASSWORD;

/// 2023-11-14 22:13:20 UTC, where every test clock starts.
const START: i64 = 1_700_000_000;

/// `count` events of `cost_each` (in the currency), ids from `first`,
/// each of a model of its own (so concurrent reports add to different
/// day totals and nothing but the budget makes them wait for each other).
fn events(first: usize, count: usize, cost_each: &str) -> Vec<app::usage::rules::UsageEvent> {
    let events: Vec<String> = (first..first + count)
        .map(|n| {
            format!(
                r#"{{"id":"e{n}","at":"2023-11-14T12:00:00Z","feature":"assistant","model":"model-{n}","input_tokens":1,"output_tokens":1,"cost":{cost_each}}}"#
            )
        })
        .collect();
    check_report(
        format!(r#"{{"events":[{}]}}"#, events.join(",")).as_bytes(),
        &test_support::REPORTS_ACCEPTED,
    )
    .unwrap()
}

async fn admin_of(state: &AppState) -> Actor {
    let workspace = state.deployment.workspace.clone();
    let account = NewAccount {
        name: "Ada",
        email: "ada@example.com",
        password: PASSWORD,
        password_again: PASSWORD,
    };
    let user_id = accounts::create_account(state, &workspace, Role::Admin, account)
        .await
        .unwrap();
    Actor {
        user_id: user_id.into(),
        workspace,
        name: "Ada".into(),
        role: Role::Admin,
    }
}

async fn set_budget(state: &AppState, ada: &Actor, amount: &str, warn: &str, at_limit: &str) {
    let version = app::db::versions::version_of(&state.pool, &ada.workspace, service::VERSION_KEY)
        .await
        .unwrap()
        .version;
    let budget = MonthlyBudget::parse(amount, warn, at_limit, Currency::USD).unwrap();
    service::save(state, &test_support::admin(ada), Some(budget), version)
        .await
        .unwrap();
}

/// A workspace (`adjust`ed first) whose budget of `amount`, set to stop
/// AI, was then spent by `ones` events of 1.00.
async fn spent_budget(
    amount: &str,
    ones: usize,
    adjust: impl FnOnce(&mut AppState),
) -> (test_support::Fresh, Actor) {
    let mut fresh = test_support::fresh_state(Plan::Team).await;
    adjust(&mut fresh.state);
    let ada = admin_of(&fresh.state).await;
    set_budget(&fresh.state, &ada, amount, "", "stop_ai").await;
    ingest(&fresh.state, &ada.workspace, &events(0, ones, "1.0"), false)
        .await
        .unwrap();
    (fresh, ada)
}

/// The activity entries the budget itself wrote.
async fn crossings(state: &AppState) -> Vec<String> {
    let (entries, _) = audit::page(&state.pool, &state.deployment.workspace, 0)
        .await
        .unwrap();
    entries
        .into_iter()
        .filter(|entry| entry.actor_name == "Monthly budget")
        .map(|entry| entry.new_value.unwrap_or_default())
        .collect()
}

async fn queued(state: &AppState) -> Vec<String> {
    sqlx::query_scalar("SELECT kind FROM budget_notifications ORDER BY kind DESC")
        .fetch_all(&state.pool)
        .await
        .unwrap()
}

fn with_webhook(state: &mut AppState, url: &str) {
    Arc::make_mut(&mut state.deployment).usage.budget_webhook = Some(BudgetWebhook {
        url: url.parse().unwrap(),
        secret: "a shared secret of some length".to_string().into(),
    });
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn each_line_is_crossed_once_however_many_reports_race() {
    let mut fresh = test_support::fresh_state(Plan::Team).await;
    with_webhook(&mut fresh.state, "http://127.0.0.1:9/unused");
    let state = fresh.state.clone();
    let ada = admin_of(&state).await;
    set_budget(&state, &ada, "10", "50", "stop_ai").await;
    // A second replica: its own connections to the same database.
    let mut replica = state.clone();
    replica.pool = app::db::connect(state.pool.connect_options().database_url.as_ref())
        .await
        .unwrap();
    replica.policy_hook = Arc::new(app::use_cases::live_policy::LivePolicy::default());

    // Twenty reports of 1.00 each, at once, half through each replica:
    // 5.00 and 10.00 are each reached by exactly one of them.
    let reports: Vec<_> = (0..20)
        .map(|n| {
            let state = if n % 2 == 0 {
                state.clone()
            } else {
                replica.clone()
            };
            tokio::spawn(async move {
                let workspace = state.deployment.workspace.clone();
                ingest(&state, &workspace, &events(n, 1, "1.0"), false)
                    .await
                    .unwrap()
            })
        })
        .collect();
    for report in reports {
        assert_eq!(report.await.unwrap().new, 1);
    }
    let lines = crossings(&state).await;
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(lines
        .iter()
        .any(|line| line.starts_with("50 % warning reached")));
    assert!(lines.iter().any(|line| line.starts_with("Budget spent")));
    assert_eq!(queued(&state).await, ["budget.warning", "budget.exhausted"]);
    assert!(service::stop_in_force(&state, &ada.workspace)
        .await
        .unwrap()
        .is_some());

    // More spend crosses nothing again.
    ingest(&state, &ada.workspace, &events(100, 5, "1.0"), false)
        .await
        .unwrap();
    assert_eq!(crossings(&state).await.len(), 2);
    assert_eq!(queued(&state).await.len(), 2);
}

#[tokio::test]
async fn the_stop_ends_when_the_month_does_in_the_usage_time_zone() {
    let (fresh, ada) = spent_budget("2", 2, |state| {
        Arc::make_mut(&mut state.deployment).usage.time_zone =
            jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    })
    .await;
    let state = fresh.state.clone();
    // Midnight of 1 December in Berlin is 23:00 UTC on 30 November.
    let december = 1_701_385_200;
    assert_eq!(
        service::stop_in_force(&state, &ada.workspace)
            .await
            .unwrap(),
        Some(december)
    );
    fresh.clock.advance(december - 1 - START);
    assert!(service::stop_in_force(&state, &ada.workspace)
        .await
        .unwrap()
        .is_some());
    fresh.clock.advance(1);
    assert_eq!(
        service::stop_in_force(&state, &ada.workspace)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_higher_budget_or_warn_only_lifts_the_stop_and_a_lower_one_brings_it_back() {
    let (fresh, ada) = spent_budget("5", 6, |_| {}).await;
    let state = fresh.state.clone();
    let stopped = || async {
        service::stop_in_force(&state, &ada.workspace)
            .await
            .unwrap()
            .is_some()
    };
    assert!(stopped().await);

    set_budget(&state, &ada, "50", "", "stop_ai").await;
    assert!(!stopped().await, "raising the budget restores AI");
    set_budget(&state, &ada, "5", "", "stop_ai").await;
    assert!(
        stopped().await,
        "lowering it below the spend stops AI again"
    );
    set_budget(&state, &ada, "5", "", "warn_only").await;
    assert!(!stopped().await, "warn only never stops AI");

    // A stale form is refused, naming who changed the budget.
    let stale = MonthlyBudget::parse("100", "", "warn_only", Currency::USD).unwrap();
    let refused = service::save(&state, &test_support::admin(&ada), Some(stale), 1).await;
    assert!(
        matches!(refused, Err(BudgetError::Conflict(Some(_)))),
        "{refused:?}"
    );
}

/// A loopback receiver that answers each request with the next status.
async fn receiver(statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<(String, String)>>>) {
    use axum::{
        body::Bytes,
        http::{HeaderMap, StatusCode},
        routing::post,
        Router,
    };
    let received: Arc<Mutex<Vec<(String, String)>>> = Arc::default();
    let statuses = Arc::new(Mutex::new(statuses.into_iter()));
    let app = Router::new().route(
        "/hook",
        post({
            let received = received.clone();
            move |headers: HeaderMap, body: Bytes| async move {
                let signature = headers
                    .get(SIGNATURE_HEADER)
                    .and_then(|value| value.to_str().ok())
                    .unwrap_or_default()
                    .to_string();
                received
                    .lock()
                    .unwrap()
                    .push((signature, String::from_utf8_lossy(&body).into_owned()));
                let status = statuses.lock().unwrap().next().unwrap_or(200);
                StatusCode::from_u16(status).unwrap()
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://{address}/hook"), received)
}

#[tokio::test]
async fn the_webhook_gets_each_crossing_signed_and_retried_until_it_answers() {
    let (url, received) = receiver(vec![500]).await;
    let mut fresh = test_support::fresh_state(Plan::Team).await;
    with_webhook(&mut fresh.state, &url);
    let state = fresh.state.clone();
    let ada = admin_of(&state).await;
    set_budget(&state, &ada, "10", "80", "warn_only").await;
    ingest(&state, &ada.workspace, &events(0, 8, "1.0"), false)
        .await
        .unwrap();

    // The receiver fails the first time: the page says so, and nothing
    // is tried again before the pause.
    assert_eq!(webhook::deliver_due(&state).await.unwrap(), 1);
    let status = service::status(&state, &ada).await.unwrap();
    let words = status.last_notification.unwrap();
    assert!(
        words.contains("HTTP 500") && words.contains("attempt 1"),
        "{words}"
    );
    assert_eq!(webhook::deliver_due(&state).await.unwrap(), 0);

    fresh.clock.advance(webhook::retry_after(1));
    assert_eq!(webhook::deliver_due(&state).await.unwrap(), 1);
    let status = service::status(&state, &ada).await.unwrap();
    assert!(status.last_notification.unwrap().contains("delivered"));

    let received = received.lock().unwrap().clone();
    assert_eq!(received.len(), 2, "one failure, one delivery");
    let (signature, body) = &received[1];
    assert_eq!(
        *signature,
        webhook::signature("a shared secret of some length", START + 10, body)
    );
    let body: serde_json::Value = serde_json::from_str(body).unwrap();
    assert_eq!(body["type"], "budget.warning");
    assert_eq!(body["spent"], "8.00");
    assert_eq!(body["budget"], "10.00");
    assert_eq!(body["percent"], 80);
}

#[tokio::test]
async fn the_end_of_the_month_reloads_a_stopped_policy_so_streams_hear_of_it() {
    let (fresh, _) = spent_budget("2", 2, |_| {}).await;
    let state = fresh.state.clone();
    let live = &fresh.live_policy;
    live.load_all(&state).await.unwrap();
    live.mark_current(true);
    let mut changes = live.subscribe();
    changes.borrow_and_update();
    assert_eq!(live.reconcile(&state).await.unwrap(), 0);

    // 1 December 2023, 00:00 UTC.
    fresh.clock.advance(1_701_388_800 - START);
    assert_eq!(live.reconcile(&state).await.unwrap(), 1);
    assert!(changes.has_changed().unwrap(), "streams are told");
    assert_eq!(live.reconcile(&state).await.unwrap(), 0, "once");
}
