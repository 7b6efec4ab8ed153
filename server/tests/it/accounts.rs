//! Signing in and out, sessions and the first-admin setup, over HTTP.

use crate::support::{location, server, server_with};
use app::accounts::service::{self, NewAccount};
use app::domain::{Plan, Role};
use axum::body::Body;
use axum::http::{header, Request, StatusCode};

#[tokio::test]
async fn anonymous_visitors_are_sent_to_sign_in_and_come_back_afterwards() {
    let server = server(Plan::Team).await;
    let response = server
        .send(
            Request::get("/settings/ai?saved=ai_enabled")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(response.status().is_redirection());
    assert_eq!(
        location(&response),
        "/login?next=/settings/ai%3Fsaved%3Dai_enabled"
    );

    let signed_in = server.sign_in_as(Role::Admin).await;
    assert_eq!(signed_in.status(), StatusCode::FOUND);
    assert_eq!(location(&signed_in), "/settings/ai");
    let (status, html) = server.get("/settings/ai").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        html.contains("Admin"),
        "the top bar names the signed-in person"
    );
}

#[tokio::test]
async fn a_wrong_password_goes_back_to_the_form_with_the_reason_and_the_email() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Member).await;
    server.set_cookie(None);
    let response = server
        .post_form(
            "/api/account/sign-in",
            "email=member@example.com&password=wrong&next=/settings/ai",
        )
        .await;
    let back = location(&response).to_string();
    assert!(
        back.starts_with("/login?error=invalid-credentials&next=/settings/ai&typed="),
        "{back}"
    );
    assert!(!back.contains("member"), "the address is sealed: {back}");
    assert_eq!(server.cookie(), None, "no session for a failed sign-in");
    let (_, html) = server.get(&back).await;
    assert!(html.contains("That e-mail address and password do not match an account."));
    // In the page itself, as a browser without JavaScript shows it (not
    // streamed in after it for a script to put in place).
    let filled = html
        .find("value=\"member@example.com\"")
        .expect("the address");
    assert!(filled < html.find("</main>").unwrap(), "{html}");

    // Sealed: changed, it opens to nothing; and it lasts ten minutes.
    let tampered = format!("{}0", &back[..back.len() - 1]);
    let (_, html) = server.get(&tampered).await;
    assert!(!html.contains("member@example.com"));
    server.clock.advance(11 * 60);
    let (_, html) = server.get(&back).await;
    assert!(!html.contains("member@example.com"), "expired");
}

#[tokio::test]
async fn refused_input_is_never_copied_into_the_redirect_however_long() {
    let server = server(Plan::Team).await;
    let long = "a".repeat(60_000);
    let response = server
        .post_form(
            "/api/account/sign-in",
            &format!("email={long}%40example.com&password=wrong&next=/settings/ai"),
        )
        .await;
    let back = location(&response);
    assert!(back.len() < 200, "{} bytes", back.len());
    assert!(back.starts_with("/login?error="), "{back}");

    server.sign_in_as(Role::Member).await;
    let response = server
        .post_form(
            "/api/account/profile",
            &format!("name={long}&email=member@example.com"),
        )
        .await;
    let back = location(&response).to_string();
    assert!(
        back.starts_with("/settings/account?profile_error="),
        "{back}"
    );
    assert!(back.len() < 100, "{back}");
}

#[tokio::test]
async fn sign_in_never_redirects_to_another_site() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let response = server
        .post_form(
            "/api/account/sign-in",
            "email=admin@example.com&password=a+long+enough+password&next=//evil.example/",
        )
        .await;
    assert_eq!(location(&response), "/settings/ai");
}

#[tokio::test]
async fn the_session_cookie_is_http_only_strict_and_idles_out_after_30_minutes() {
    let server = server(Plan::Team).await;
    let response = server.sign_in_as(Role::Admin).await;
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("console_session="), "{cookie}");
    assert!(cookie.contains("HttpOnly"), "{cookie}");
    assert!(cookie.contains("SameSite=Strict"), "{cookie}");
    assert!(cookie.contains("Max-Age=1800"), "{cookie}");
    assert!(
        !cookie.contains("Secure"),
        "plain HTTP cannot keep a Secure cookie"
    );
}

#[tokio::test]
async fn over_tls_the_cookie_is_secure_and_host_bound() {
    let server = server_with(Plan::Team, Some("https://console.example.com")).await;
    let workspace = server.console.state.deployment.workspace.clone();
    let account = NewAccount {
        name: "Ada",
        email: "ada@example.com",
        password: crate::support::PASSWORD,
        password_again: crate::support::PASSWORD,
    };
    service::create_account(&server.console.state, &workspace, Role::Admin, account)
        .await
        .unwrap();
    // Behind the TLS proxy: the Host is the upstream address, the Origin
    // the public one.
    let response = server
        .send(
            Request::post("/api/account/sign-in")
                .header(header::HOST, "127.0.0.1:3000")
                .header(header::ORIGIN, "https://console.example.com")
                .header("sec-fetch-site", "same-origin")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .header(header::ACCEPT, "text/html")
                .body(Body::from(
                    "email=ada@example.com&password=a+long+enough+password",
                ))
                .unwrap(),
        )
        .await;
    assert_eq!(location(&response), "/settings/ai");
    let cookie = response.headers()[header::SET_COOKIE].to_str().unwrap();
    assert!(cookie.starts_with("__Host-console_session="), "{cookie}");
    assert!(
        cookie.contains("Secure") && cookie.contains("Path=/"),
        "{cookie}"
    );
    assert!(response
        .headers()
        .contains_key(header::STRICT_TRANSPORT_SECURITY));
}

#[tokio::test]
async fn signing_in_again_replaces_the_session_id_and_the_old_one_stops_working() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let first = server.cookie().unwrap();
    server.sign_in_as(Role::Admin).await;
    let second = server.cookie().unwrap();
    assert_ne!(first, second);

    server.set_cookie(Some(first));
    let (status, _) = server.get("/settings/ai").await;
    assert!(
        status.is_redirection(),
        "the pre-sign-in session id is dead"
    );
}

#[tokio::test]
async fn signing_out_ends_the_session_on_the_server() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let cookie = server.cookie().unwrap();
    let response = server.post_form("/api/account/sign-out", "").await;
    assert_eq!(location(&response), "/login?signed_out=1");

    server.set_cookie(Some(cookie));
    let (status, _) = server.get("/settings/ai").await;
    assert!(
        status.is_redirection(),
        "a copied cookie is useless after sign-out"
    );
}

#[tokio::test]
async fn a_session_ends_8_hours_after_sign_in_however_active() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    // Active all day: a page every 20 minutes.
    for _ in 0..23 {
        server.clock.advance(20 * 60);
        assert_eq!(server.get("/settings/ai").await.0, StatusCode::OK);
    }
    server.clock.advance(8 * 60 * 60 - 23 * 20 * 60 - 60);
    assert_eq!(server.get("/settings/ai").await.0, StatusCode::OK);
    server.clock.advance(60);
    assert!(server.get("/settings/ai").await.0.is_redirection());
}

#[tokio::test]
async fn the_idle_limit_slides_with_activity_without_a_write_per_request() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    // Requests within a minute of the last noted one change nothing: no
    // new cookie, so nothing was written.
    server.clock.advance(30);
    let response = server
        .send(Request::get("/settings/ai").body(Body::empty()).unwrap())
        .await;
    assert_eq!(response.status(), StatusCode::OK);
    assert!(response.headers().get(header::SET_COOKIE).is_none());
    // Active past the first 30 minutes: still signed in.
    for _ in 0..4 {
        server.clock.advance(25 * 60);
        assert_eq!(server.get("/settings/ai").await.0, StatusCode::OK);
    }
    // 30 minutes without a request: signed out.
    server.clock.advance(30 * 60);
    assert!(server.get("/settings/ai").await.0.is_redirection());
}

#[tokio::test]
async fn members_see_a_read_only_page_and_cannot_save() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Member).await;
    let (_, html) = server.get("/settings/ai").await;
    assert!(html.contains("only admins can change them"));
    assert_eq!(html.matches("role=\"switch\"").count(), 2);
    // Four feature choices and the models are forms with disabled
    // fieldsets, and no Save buttons; the two switches are disabled.
    let fieldsets = html.matches("<fieldset disabled").count();
    assert_eq!(fieldsets, 5, "every feature choice and the models");
    assert_eq!(
        html.matches(" disabled").count() - fieldsets,
        2,
        "both switches are disabled"
    );
    assert!(!html.contains("Save who may use"));

    let response = server
        .post_form("/api/settings/ai/enabled", "enabled=false&version=0")
        .await;
    assert_eq!(
        location(&response),
        "/settings/ai?failed=ai_enabled&reason=admin-only#ai_enabled"
    );
    let (_, body) = server
        .call("/api/settings/ai/training", "allowed=true&version=0")
        .await;
    assert_eq!(body, "\"AdminOnly\"");
    let (_, html) = server
        .get("/settings/ai?failed=ai_enabled&reason=admin-only")
        .await;
    assert!(html.contains("Not saved: only admins can change AI settings."));
    assert!(
        !html.contains("turned off for every member"),
        "nothing changed"
    );
}

#[tokio::test]
async fn server_functions_refuse_anonymous_callers() {
    let server = server(Plan::Team).await;
    assert_eq!(
        server
            .call("/api/settings/ai/enabled", "enabled=false&version=0")
            .await
            .1,
        "\"SignInRequired\""
    );
    assert_eq!(
        server.call("/api/settings/ai/load", "").await.1,
        "\"SignInRequired\""
    );
}

#[tokio::test]
async fn the_printed_setup_link_creates_the_first_admin_and_then_dies() {
    let server = server(Plan::Team).await;
    let link = server
        .console
        .setup_link("http://localhost")
        .expect("a link on first start");
    let path = link.strip_prefix("http://localhost").unwrap().to_string();
    let token = path.split("token=").nth(1).unwrap().to_string();

    let (status, html) = server.get(&path).await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Create admin account"));

    let response = server
        .post_form(
            "/api/account/setup",
            &format!("token={token}&name=Ada&email=ada@example.com&password=a+long+enough+password&password_again=a+long+enough+password"),
        )
        .await;
    assert_eq!(location(&response), "/settings/ai");
    let (status, html) = server.get("/settings/ai").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Ada"));

    let (_, html) = server.get(&path).await;
    assert!(html.contains("This setup link is not valid"));
    assert!(!html.contains("Create admin account"));
}

#[tokio::test]
async fn setup_errors_keep_what_was_typed_except_the_password() {
    let server = server(Plan::Team).await;
    let link = server.console.setup_link("").unwrap();
    let token = link.split("token=").nth(1).unwrap().to_string();
    let response = server
        .post_form(
            "/api/account/setup",
            &format!(
                "token={token}&name=Ada&email=ada@example.com&password=short&password_again=short"
            ),
        )
        .await;
    let back = location(&response).to_string();
    assert!(back.contains("error=password-too-short"), "{back}");
    let (_, html) = server.get(&back).await;
    assert!(html.contains("Please use a password of at least 12 characters."));
    assert!(html.contains("value=\"Ada\"") && html.contains("value=\"ada@example.com\""));
    assert!(!html.contains("short\""), "the password is not sent back");
}

#[tokio::test]
async fn repeated_failures_get_a_wait_message_instead_of_another_try() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    server.set_cookie(None);
    for _ in 0..10 {
        server
            .post_form(
                "/api/account/sign-in",
                "email=admin@example.com&password=guess",
            )
            .await;
    }
    let response = server
        .post_form(
            "/api/account/sign-in",
            "email=admin@example.com&password=a+long+enough+password",
        )
        .await;
    let back = location(&response).to_string();
    assert!(
        back.starts_with("/login?error=too-many-attempts-5"),
        "{back}"
    );
    assert_eq!(server.cookie(), None);
    let (_, html) = server.get(&back).await;
    assert!(html.contains("Too many attempts. Try again in 5 minute(s)."));
}

#[tokio::test]
async fn changing_the_password_signs_out_every_other_session_but_this_one() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let other_device = server.cookie();
    server.set_cookie(None);
    server.sign_in_as(Role::Admin).await;

    let response = server
        .post_form(
            "/api/account/password",
            "current_password=a+long+enough+password&new_password=a+brand+new+password&new_password_again=a+brand+new+password",
        )
        .await;
    assert_eq!(location(&response), "/settings/account?changed=1");
    let (status, html) = server.get("/settings/account?changed=1").await;
    assert_eq!(status, StatusCode::OK, "this browser stays signed in");
    assert!(html.contains("Every other session was signed out."));

    server.set_cookie(other_device);
    assert!(
        server.get("/settings/ai").await.0.is_redirection(),
        "the other device is signed out"
    );

    server.set_cookie(None);
    let old = server
        .post_form(
            "/api/account/sign-in",
            "email=admin@example.com&password=a+long+enough+password",
        )
        .await;
    assert!(location(&old).starts_with("/login?error=invalid-credentials"));
    let new = server
        .post_form(
            "/api/account/sign-in",
            "email=admin@example.com&password=a+brand+new+password",
        )
        .await;
    assert_eq!(location(&new), "/settings/ai");
    let (_, html) = server.get("/settings/ai").await;
    assert!(html.contains("Own password: changed; other sessions signed out"));
}

#[tokio::test]
async fn a_wrong_current_password_changes_nothing_and_says_so() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Member).await;
    let response = server
        .post_form(
            "/api/account/password",
            "current_password=nope&new_password=a+brand+new+password&new_password_again=a+brand+new+password",
        )
        .await;
    assert_eq!(
        location(&response),
        "/settings/account?error=wrong-current-password"
    );
    let (_, html) = server
        .get("/settings/account?error=wrong-current-password")
        .await;
    assert!(html.contains("The current password is not right. Nothing was changed."));
    server.set_cookie(None);
    let again = server
        .post_form(
            "/api/account/sign-in",
            "email=member@example.com&password=a+long+enough+password",
        )
        .await;
    assert_eq!(
        location(&again),
        "/settings/ai",
        "the old password still works"
    );
}

#[tokio::test]
async fn a_copy_of_the_database_holds_no_usable_session_id() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let cookie = server.cookie().expect("signed in");
    let id = cookie.split_once('=').unwrap().1.to_string();
    let rows: Vec<(String, String)> = sqlx::query_as("SELECT id, data FROM sessions")
        .fetch_all(&server.console.state.pool)
        .await
        .unwrap();
    assert!(!rows.is_empty());
    for (key, data) in rows {
        assert_ne!(key, id, "the row key is not the id");
        assert!(!data.contains(&id), "the data does not carry the id");
    }
    // The session still works for its browser.
    assert_eq!(server.get("/settings/ai").await.0, StatusCode::OK);
}
