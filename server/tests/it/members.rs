//! The Members page and the join page over HTTP, as a browser without
//! JavaScript uses them: invitation links shown once, joining, role
//! changes that apply at once, removal that ends sessions.

use crate::support::{location, server, TestServer};
use app::domain::{Plan, Role};
use axum::http::StatusCode;

/// The invitation link on the Members page, if it shows one.
fn link_in(html: &str) -> Option<String> {
    let start = html.find("http://localhost/join?token=")?;
    let end = start + html[start..].find('"')?;
    Some(html[start..end].to_string())
}

pub(crate) async fn invite(server: &TestServer, email: &str, role: &str) -> String {
    let response = server
        .post_form("/api/members/invite", &format!("email={email}&role={role}"))
        .await;
    assert_eq!(location(&response), "/settings/members?done=invited");
    let (_, html) = server.get("/settings/members").await;
    link_in(&html).expect("the new link is shown")
}

pub(crate) async fn join(server: &TestServer, link: &str, name: &str) -> String {
    server.set_cookie(None);
    let path = link.trim_start_matches("http://localhost");
    let (status, html) = server.get(path).await;
    assert_eq!(status, StatusCode::OK, "{html}");
    let token = path.trim_start_matches("/join?token=");
    let response = server
        .post_form(
            "/api/join/accept",
            &format!(
                "token={token}&name={name}&password=a+long+enough+password&password_again=a+long+enough+password"
            ),
        )
        .await;
    location(&response).to_string()
}

#[tokio::test]
async fn an_invited_person_joins_with_the_link_shown_once_and_is_signed_in() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let link = invite(&server, "grace@example.com", "member").await;
    let (_, again) = server.get("/settings/members").await;
    assert_eq!(link_in(&again), None, "the link is shown only once");
    assert!(again.contains("grace@example.com"), "listed as pending");

    assert_eq!(join(&server, &link, "Grace").await, "/settings/ai");
    let (status, html) = server.get("/settings/members").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Grace (you)"), "{html}");
    assert!(html.contains("Only admins can invite people or change roles."));

    // The link is used up.
    let (status, html) = server
        .get(link.trim_start_matches("http://localhost"))
        .await;
    assert_eq!(status, StatusCode::GONE);
    assert!(html.contains("This invitation link is not valid"));
}

#[tokio::test]
async fn a_join_form_with_a_short_password_comes_back_with_the_reason_and_the_name() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let link = invite(&server, "grace@example.com", "member").await;
    server.set_cookie(None);
    let token = link.rsplit('=').next().unwrap();
    let response = server
        .post_form(
            "/api/join/accept",
            &format!("token={token}&name=Grace&password=short&password_again=short"),
        )
        .await;
    let back = location(&response).to_string();
    assert!(back.contains("error=password-too-short"), "{back}");
    let (_, html) = server.get(&back).await;
    assert!(html.contains("Please use a password of at least 12 characters."));
    assert!(html.contains("value=\"Grace\""));
}

#[tokio::test]
async fn a_demoted_admin_loses_admin_rights_on_their_next_request() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let admin = server.cookie();
    let link = invite(&server, "bea@example.com", "admin").await;
    join(&server, &link, "Bea").await;
    let bea = server.cookie();
    let (status, _) = server.call("/api/members/load", "").await;
    assert_eq!(status, StatusCode::OK);

    server.set_cookie(admin);
    let (_, html) = server.get("/settings/members").await;
    let bea_id = user_id_of(&server, "bea@example.com").await;
    assert!(html.contains(&bea_id));
    let response = server
        .post_form(
            "/api/members/role",
            &format!("user_id={bea_id}&role=member"),
        )
        .await;
    assert_eq!(location(&response), "/settings/members?done=role-changed");

    server.set_cookie(bea);
    let (status, _) = server
        .call("/api/members/invite", "email=x@example.com&role=admin")
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_removed_member_is_signed_out_at_once() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Member).await;
    let member = server.cookie();
    server.set_cookie(None);
    server.sign_in_as(Role::Admin).await;
    let member_id = user_id_of(&server, "member@example.com").await;
    let response = server
        .post_form("/api/members/remove", &format!("user_id={member_id}"))
        .await;
    assert_eq!(location(&response), "/settings/members?done=removed");

    server.set_cookie(member);
    let (status, _) = server.get("/settings/ai").await;
    assert_eq!(status, StatusCode::SEE_OTHER, "sent to sign in");
}

#[tokio::test]
async fn the_last_admin_is_told_why_they_cannot_step_down() {
    let server = server(Plan::Team).await;
    server.sign_in_as(Role::Admin).await;
    let admin_id = user_id_of(&server, "admin@example.com").await;
    let response = server
        .post_form(
            "/api/members/role",
            &format!("user_id={admin_id}&role=member"),
        )
        .await;
    assert_eq!(location(&response), "/settings/members?error=last-admin");
    let (_, html) = server.get(location(&response)).await;
    assert!(html.contains("The workspace needs at least one admin."));
    assert!(
        html.contains("The only admin"),
        "no demote button on the page"
    );
    let (status, _) = server
        .call("/api/members/remove", &format!("user_id={admin_id}"))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}

pub(crate) async fn user_id_of(server: &TestServer, email: &str) -> String {
    app::accounts::store::find_by_email(&server.console.state.pool, email)
        .await
        .unwrap()
        .expect("the account exists")
        .id
}

#[tokio::test]
async fn a_demoted_admins_tokens_and_invitations_end_unless_another_admin_took_them_over() {
    use crate::policy_api::{create_token, policy};
    let server = server(Plan::Enterprise).await;
    server.sign_in_as(Role::Admin).await;
    let ada = server.cookie();
    let link = invite(&server, "bea@example.com", "admin").await;
    join(&server, &link, "Bea").await;
    // Bea, an admin now, makes two tokens and invites someone.
    let kept = create_token(&server, "Kept", false).await;
    let ended = create_token(&server, "Ended", false).await;
    let pending = invite(&server, "cy@example.com", "member").await;

    server.set_cookie(ada);
    let (_, html) = server.get("/settings/api").await;
    let kept_id = token_id_of(&html, "Kept");
    let response = server
        .post_form("/api/api-access/take-over", &format!("token_id={kept_id}"))
        .await;
    assert_eq!(location(&response), "/settings/api?done=taken-over");
    let bea_id = user_id_of(&server, "bea@example.com").await;
    server
        .post_form(
            "/api/members/role",
            &format!("user_id={bea_id}&role=member"),
        )
        .await;

    assert_eq!(
        policy(&server, Some(&ended), None).await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(policy(&server, Some(&kept), None).await.0, StatusCode::OK);
    server.set_cookie(None);
    let (status, _) = server
        .get(pending.trim_start_matches("http://localhost"))
        .await;
    assert_eq!(status, StatusCode::GONE, "the invitation was withdrawn");

    server.sign_in_as(Role::Admin).await;
    let (_, page) = server.get("/settings/ai").await;
    assert!(page.contains("“Ended” revoked: Bea, who made it, is no longer an admin"));
    assert!(page.contains("invitation of cy@example.com withdrawn"));
}

/// The id in the revoke form of the token named `name`.
fn token_id_of(html: &str, name: &str) -> String {
    let label = format!("aria-label=\"Revoke… {name}\"");
    let after = &html[html.find(&label).expect("the token is listed")..];
    let field = "name=\"token_id\" value=\"";
    let at = after.find(field).expect("its revoke form") + field.len();
    after[at..].split('"').next().unwrap().to_string()
}

#[tokio::test]
async fn members_see_only_their_own_activity_unless_the_operator_shows_them_all() {
    for everyone in [false, true] {
        let server = crate::support::server_configured(Plan::Team, |config| {
            config.deployment.activity_for_everyone = everyone;
        })
        .await;
        server.sign_in_as(Role::Admin).await;
        server
            .post_form("/api/settings/ai/enabled", "enabled=false&version=0")
            .await;
        let (_, page) = server.get("/settings/ai").await;
        assert!(page.contains("AI features: On → Off"), "admins see it all");

        server.sign_in_as(Role::Member).await;
        let (_, page) = server.get("/settings/ai").await;
        assert_eq!(
            page.contains("AI features: On → Off"),
            everyone,
            "{everyone}"
        );
        assert_eq!(page.contains("Only your own changes are shown"), !everyone);
    }
}
