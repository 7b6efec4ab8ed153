//! The usage API as services use it (no cookie, no Origin: only a bearer
//! token), and the Usage section admins and members read.

use crate::policy_api::create_token;
use crate::support::{body_text, server, TestServer};
use app::domain::{Plan, Role};
use axum::{
    body::Body,
    http::{header, Request, StatusCode},
};
use serde_json::{json, Value};

const PATH: &str = "/api/v1/workspaces/default/usage";

/// Posts a report as a service does: a bearer token, nothing else.
async fn report(server: &TestServer, token: &str, body: &Value) -> (StatusCode, Value) {
    let text = body.to_string();
    let request = Request::post(PATH)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .header(header::CONTENT_LENGTH, text.len())
        .body(Body::from(text))
        .unwrap();
    let cookie = server.cookie();
    server.set_cookie(None);
    let response = server.send(request).await;
    server.set_cookie(cookie);
    let status = response.status();
    let text = body_text(response).await;
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

fn event(id: &str, model: &str, input: i64, output: i64) -> Value {
    json!({"id": id, "at": "2023-11-14T20:00:00Z", "feature": "assistant", "model": model,
           "input_tokens": input, "output_tokens": output})
}

#[tokio::test]
async fn services_report_usage_once_per_event_and_admins_see_the_spend() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let token = create_token(&server, "Assistant", false).await;

    let batch = json!({"events": [
        event("e1", "gpt-4o", 1_000_000, 0),
        event("e2", "my-own-model", 500, 500),
        {"id": "e3", "at": "2023-11-14T21:00:00Z", "feature": "agents", "model": "gpt-4o-mini",
         "input_tokens": 10, "output_tokens": 10, "cost": 1.5},
    ]});
    let (status, receipt) = report(&server, &token, &batch).await;
    assert_eq!(status, StatusCode::OK, "{receipt}");
    assert_eq!(receipt, json!({"new": 3, "duplicates": 0}));
    // The same batch again (a retry) counts nothing twice.
    let (_, receipt) = report(&server, &token, &batch).await;
    assert_eq!(receipt, json!({"new": 0, "duplicates": 3}));

    let (_, page) = server.get("/settings/ai").await;
    // 1M input tokens of gpt-4o at the shipped price, plus the 1.50 the
    // service computed; the unknown model is counted, never priced.
    assert!(
        page.contains("November 2023: 4.00 USD (estimated) + 1000 tokens unpriced"),
        "{}",
        &page[page.find("usage-total").unwrap_or(0)..][..300.min(page.len())]
    );
    assert!(page.contains("Spend per day, last 30 days"));
    assert!(page.contains("<th scope=\"row\">my-own-model</th>"));
    assert!(page.contains("1000 tokens unpriced this month"));
    assert!(page.contains("<th scope=\"row\">Reported by services</th>"));
    assert!(!page.contains("Measured by the gateway</th>"));
    assert!(
        page.contains("Spend is understated: 1000 tokens"),
        "the Budget section says its spend is short"
    );
}

/// A retried batch never counts twice, however old: the console takes
/// events back to the oldest raw event it keeps (90 days here), so a retry
/// of one it has deleted is refused, not counted again; and nothing dated
/// more than 5 minutes ahead lands in a later day's totals.
#[tokio::test]
async fn events_older_than_those_kept_or_dated_ahead_are_refused_naming_the_window() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let token = create_token(&server, "Assistant", false).await;
    let dated = |id: &str, at: &str| {
        json!({"events": [{"id": id, "at": at, "feature": "assistant", "model": "gpt-4o",
                           "input_tokens": 10, "output_tokens": 10}]})
    };
    // The clock reads 2023-11-14 22:13:20 UTC: 17 August is within 90 days.
    let old = dated("old-1", "2023-08-17T00:00:00Z");
    let (status, receipt) = report(&server, &token, &old).await;
    assert_eq!(
        (status, receipt),
        (StatusCode::OK, json!({"new": 1, "duplicates": 0}))
    );

    // Two days on, housekeeping deletes it as past the 90 days kept…
    server.clock.advance(2 * 24 * 60 * 60);
    let forgotten = app::usage::service::forget_old_events(&server.console.state)
        .await
        .unwrap();
    assert_eq!(forgotten, 1);
    // …and a retry of it is refused, not counted a second time.
    let (status, answer) = report(&server, &token, &old).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer["error"],
        "event 0 (id \"old-1\"): at must be from 2023-08-18T22:13:20Z (raw events are kept 90 days; \
         an older one could not be told from its retry) to 2023-11-16T22:18:20Z (5 minutes ahead)"
    );
    let state = &server.console.state;
    let days =
        app::usage::store::days_since(&state.pool, &state.deployment.workspace, "2023-08-01")
            .await
            .unwrap();
    let counted: i64 = days.iter().map(|day| day.totals.events).sum();
    assert_eq!(counted, 1, "the event counts once");

    let (status, _) = report(&server, &token, &dated("ahead-1", "2023-11-16T22:30:00Z")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "17 minutes ahead");
    let (status, _) = report(&server, &token, &dated("now-1", "2023-11-16T22:15:00Z")).await;
    assert_eq!(status, StatusCode::OK, "a clock a little fast is fine");
}

#[tokio::test]
async fn a_report_over_the_limit_is_refused_in_the_apis_error_format_naming_the_limit() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let token = create_token(&server, "Assistant", false).await;
    let events: Vec<Value> = (0..12_000)
        .map(|n| event(&format!("big-{n}"), "gpt-4o", 1, 1))
        .collect();
    let (status, refused) = report(&server, &token, &json!({ "events": events })).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    let why = refused["error"].as_str().expect("the error JSON");
    assert!(why.contains("1 MiB"), "{why}");
}

#[tokio::test]
async fn a_bad_event_refuses_the_whole_report_and_says_which_and_why() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let token = create_token(&server, "Assistant", false).await;
    let mut bad = event("e2", "gpt-4o", 1, 1);
    bad["output_tokens"] = json!("many");
    let (status, answer) = report(
        &server,
        &token,
        &json!({"events": [event("e1", "gpt-4o", 1, 1), bad]}),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        answer["error"],
        "event 1 (id \"e2\"): output_tokens must be a whole number from 0 to 1000000000"
    );
    // Nothing of it was stored: e1 is new when sent alone.
    let (_, receipt) = report(
        &server,
        &token,
        &json!({"events": [event("e1", "gpt-4o", 1, 1)]}),
    )
    .await;
    assert_eq!(receipt["new"], 1);

    assert_eq!(
        report(&server, "aic_wrong", &json!({"events": []})).await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn services_need_no_browser_headers_while_cookie_requests_stay_guarded() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let token = create_token(&server, "Assistant", false).await;
    // No Origin, no Sec-Fetch-Site, no cookie: accepted (above, `report`).
    let (status, _) = report(
        &server,
        &token,
        &json!({"events": [event("e1", "gpt-4o", 1, 1)]}),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A cookie-carrying POST without provenance is still refused.
    let request = Request::post("/api/settings/ai/enabled")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from("enabled=false&version=0"))
        .unwrap();
    assert_eq!(server.send(request).await.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn members_see_usage_read_only() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Member).await;
    let (_, page) = server.get("/settings/ai").await;
    assert!(page.contains("id=\"usage\""));
    assert!(page.contains("0.00 USD"));
}

/// Sets the budget through the page's form, as the signed-in admin.
async fn set_budget(server: &TestServer, form: &str) -> String {
    let response = server.post_form("/api/settings/ai/budget/set", form).await;
    crate::support::location(&response).to_string()
}

fn costing(id: &str, cost: f64) -> Value {
    json!({"id": id, "at": "2023-11-14T20:00:00Z", "feature": "assistant", "model": "gpt-4o",
           "input_tokens": 10, "output_tokens": 10, "cost": cost})
}

#[tokio::test]
async fn a_spent_budget_turns_ai_off_for_services_until_an_admin_raises_it() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let token = create_token(&server, "Assistant", false).await;
    assert_eq!(
        set_budget(
            &server,
            "amount=10&warn_percent=50&at_limit=stop_ai&version=0"
        )
        .await,
        "/settings/ai?budget=saved#budget"
    );

    report(&server, &token, &json!({"events": [costing("a", 6.0)]})).await;
    // Past the threshold: every settings page warns admins.
    let (_, members_page) = server.get("/settings/members").await;
    assert!(
        members_page.contains("This workspace has used 6.00 of 10.00 USD (60 %)"),
        "{members_page}"
    );
    let (_, policy, _) = crate::policy_api::policy(&server, Some(&token), None).await;
    let policy: Value = serde_json::from_str(&policy).unwrap();
    assert_eq!(policy["ai_enabled"], true);

    report(&server, &token, &json!({"events": [costing("b", 4.5)]})).await;
    let (_, policy, _) = crate::policy_api::policy(&server, Some(&token), None).await;
    let policy: Value = serde_json::from_str(&policy).unwrap();
    assert_eq!(policy["ai_enabled"], false);
    assert_eq!(policy["ai_off_reason"], "budget_exhausted");
    // 1 December 2023, 00:00 in the usage time zone (UTC here).
    assert_eq!(policy["ai_off_until"], 1_701_388_800);
    assert_eq!(policy["features"]["assistant"]["enabled"], false);
    let ask = Request::get("/api/v1/workspaces/default/ai-policy?feature=assistant&role=member")
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .body(Body::empty())
        .unwrap();
    let decision: Value = serde_json::from_str(&body_text(server.send(ask).await).await).unwrap();
    assert_eq!(decision["allowed"], false);
    assert_eq!(decision["code"], "budget-exhausted");
    let (_, page) = server.get("/settings/ai").await;
    assert!(page.contains("id=\"ai-off-by-budget\""));
    assert!(page.contains("It comes back on 1 December 2023"));
    // The admins' own switch keeps what they chose (on); the activity
    // log says what happened.
    assert!(page.contains("aria-checked=\"true\""));
    assert!(page.contains("Budget spent: 10.50 of 10.00 USD"));

    assert_eq!(
        set_budget(
            &server,
            "amount=100&warn_percent=50&at_limit=stop_ai&version=1"
        )
        .await,
        "/settings/ai?budget=saved#budget"
    );
    let (_, policy, _) = crate::policy_api::policy(&server, Some(&token), None).await;
    let policy: Value = serde_json::from_str(&policy).unwrap();
    assert_eq!(policy["ai_enabled"], true);
    assert_eq!(policy["ai_off_reason"], Value::Null);
    let (_, members_page) = server.get("/settings/members").await;
    assert!(!members_page.contains("budget-banner"));
}

#[tokio::test]
async fn a_bad_budget_is_refused_with_what_was_typed_kept() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let back = set_budget(
        &server,
        "amount=ten&warn_percent=50&at_limit=stop_ai&version=0",
    )
    .await;
    // The URL says why; what was typed waits in the session, not the URL.
    assert_eq!(back, "/settings/ai?budget_error=amount-invalid#budget");
    let (_, page) = server.get(&back).await;
    assert!(page.contains("The budget must be an amount such as 250 or 99.50"));
    assert!(page.contains("value=\"ten\""));
    let (_, again) = server.get(&back).await;
    assert!(!again.contains("value=\"ten\""), "shown once");
    let back = set_budget(
        &server,
        "amount=10&warn_percent=120&at_limit=stop_ai&version=0",
    )
    .await;
    assert!(back.contains("budget_error=percent-invalid"), "{back}");
    let (_, page) = server.get("/settings/ai").await;
    assert!(page.contains("No budget: spend is shown under Usage, never limited."));
}

#[tokio::test]
async fn members_see_the_budget_but_cannot_set_it_and_get_no_banner() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let token = create_token(&server, "Assistant", false).await;
    set_budget(
        &server,
        "amount=10&warn_percent=50&at_limit=warn_only&version=0",
    )
    .await;
    report(&server, &token, &json!({"events": [costing("a", 12.0)]})).await;

    server.sign_in_as(Role::Member).await;
    let (_, page) = server.get("/settings/ai").await;
    assert!(page.contains("12.00 of 10.00 USD spent (120 %)"), "{page}");
    assert!(!page.contains("Save budget"));
    assert!(!page.contains("budget-banner"));
    let back = set_budget(
        &server,
        "amount=1000&warn_percent=50&at_limit=warn_only&version=1",
    )
    .await;
    assert!(back.contains("budget_error=admin-only"), "{back}");
}

#[tokio::test]
async fn a_usage_answer_says_when_the_token_stops_working() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let token = create_token(&server, "Assistant", false).await;
    let text = json!({ "events": [event("expiry-1", "gpt-4o", 1, 1)] }).to_string();
    let request = Request::post(PATH)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(text))
        .unwrap();
    server.set_cookie(None);
    let response = server.send(request).await;
    assert_eq!(response.status(), StatusCode::OK);
    // Made at 2023-11-14T22:13:20Z with the default 90 days.
    assert_eq!(
        response.headers()["token-expires-at"],
        "2024-02-12T22:13:20Z"
    );
}
