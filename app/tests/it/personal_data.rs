//! A person's own data: export, correction, deletion that leaves no trace
//! of their name or address (searched for in the database files and the
//! write-ahead log on SQLite, in every row on PostgreSQL), and suspension.
#![cfg(feature = "ssr")]

use app::accounts::service as accounts;
use app::accounts::session::Actor;
use app::accounts::AuthError;
use app::ai_settings::{service as ai_settings, store as settings_store, SwitchSetting};
use app::api_access::service::{self as tokens, NewTokenForm};
use app::db::Backend;
use app::domain::{Plan, Role};
use app::members::{service as members, MembersError};
use app::use_cases::erasure;
use test_support::{admin, Fresh, PASSWORD};

const NAME: &str = "Zed Quimbyfield";
const EMAIL: &str = "zed.quimbyfield@example.com";
const CLIENT: &str = "127.0.0.1";

async fn person(fresh: &Fresh, name: &str, email: &str, role: Role) -> Actor {
    test_support::person(&fresh.state, name, email, role).await
}

/// Zed leaves traces everywhere a person can: a setting he changed, a
/// token and an invitation he made, an entry naming him written by
/// someone else, a failed sign-in at his address and a live session.
async fn zed_everywhere(fresh: &Fresh, ada: &Actor) -> Actor {
    let state = &fresh.state;
    let mut zed = person(fresh, NAME, EMAIL, Role::Member).await;
    members::change_role(state, &admin(ada), &zed.user_id, Role::Admin)
        .await
        .unwrap();
    zed.role = Role::Admin;
    let version = settings_store::load_versions(&state.pool, &zed.workspace)
        .await
        .unwrap()
        .of(SwitchSetting::AiEnabled)
        .version;
    ai_settings::set_switch(
        state,
        &admin(&zed),
        SwitchSetting::AiEnabled,
        false,
        version,
    )
    .await
    .unwrap();
    let form = NewTokenForm {
        name: "Zed's gateway",
        may_receive_keys: false,
        may_call_models: false,
        gateway_feature: "",
        lifetime: "",
        password: None,
        client: CLIENT,
    };
    tokens::create(state, &admin(&zed), form).await.unwrap();
    members::invite(state, &admin(&zed), "newcomer@example.com", Role::Member)
        .await
        .unwrap();
    let wrong = accounts::sign_in(state, EMAIL, "not the password at all", CLIENT).await;
    assert_eq!(wrong, Err(AuthError::InvalidCredentials));
    sqlx::query("INSERT INTO sessions (id, data, expires_at) VALUES ('s1', $1, $2)")
        .bind(format!(
            r#"{{"data":{{"signed_in":{{"user_id":"{}","signed_in_at":{},"generation":0,"last_seen":{}}}}},"expiry_date":[2099,1,0,0,0,0,0,0,0]}}"#,
            zed.user_id,
            state.clock.now(),
            state.clock.now()
        ))
        .bind(state.clock.now() + 3600)
        .execute(&state.pool)
        .await
        .unwrap();
    zed
}

/// Whether the database still holds `text` anywhere: in the files
/// themselves on SQLite (the main file and its write-ahead log), in any
/// row of any table on PostgreSQL.
async fn database_mentions(fresh: &Fresh, text: &str) -> Vec<String> {
    let needle = text.to_lowercase().into_bytes();
    let mut found = Vec::new();
    match Backend::of_pool(&fresh.state.pool) {
        Backend::Sqlite => {
            for entry in std::fs::read_dir(fresh.dir.path()).unwrap() {
                let path = entry.unwrap().path();
                let bytes = std::fs::read(&path).unwrap().to_ascii_lowercase();
                if bytes.windows(needle.len()).any(|window| window == needle) {
                    found.push(path.display().to_string());
                }
            }
        }
        Backend::Postgres => {
            let tables: Vec<String> = sqlx::query_scalar(
                "SELECT table_name::TEXT FROM information_schema.tables
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
            )
            .fetch_all(&fresh.state.pool)
            .await
            .unwrap();
            for table in tables {
                let rows: i64 = sqlx::query_scalar(&format!(
                    "SELECT COUNT(*) FROM {table} t WHERE LOWER(t::TEXT) LIKE $1"
                ))
                .bind(format!("%{}%", text.to_lowercase()))
                .fetch_one(&fresh.state.pool)
                .await
                .unwrap();
                if rows > 0 {
                    found.push(table);
                }
            }
        }
    }
    found
}

async fn audit_lines(fresh: &Fresh) -> Vec<String> {
    test_support::audit_lines(&fresh.state).await
}

#[tokio::test]
async fn deleting_ones_account_leaves_no_name_or_address_in_the_database() {
    let fresh = test_support::fresh_state(Plan::Enterprise).await;
    let ada = person(&fresh, "Ada", "ada@example.com", Role::Admin).await;
    let zed = zed_everywhere(&fresh, &ada).await;
    assert!(
        !database_mentions(&fresh, NAME).await.is_empty(),
        "the test sees Zed before"
    );
    // What he was called before correcting it must go too.
    let (new_name, new_email) = ("Zed Q. Quimbyfield", "zq.quimbyfield@new.example");
    accounts::change_profile(&fresh.state, &zed, CLIENT, new_name, new_email, PASSWORD)
        .await
        .unwrap();

    erasure::delete_own_account(&fresh.state, &zed, CLIENT, PASSWORD)
        .await
        .unwrap();

    assert_eq!(database_mentions(&fresh, NAME).await, Vec::<String>::new());
    assert_eq!(database_mentions(&fresh, EMAIL).await, Vec::<String>::new());
    assert_eq!(
        database_mentions(&fresh, "quimbyfield").await,
        Vec::<String>::new()
    );
    let lines = audit_lines(&fresh).await;
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("Former member 1: AI features")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.contains("Former member 1 deleted their own account")),
        "{lines:#?}"
    );
    // Ada's own entries still name her, and name Zed no more.
    assert!(
        lines.contains(&"Ada: Role of Former member 1: Member -> Admin".to_string()),
        "{lines:#?}"
    );
    assert_eq!(
        accounts::sign_in(&fresh.state, EMAIL, PASSWORD, CLIENT).await,
        Err(AuthError::InvalidCredentials)
    );
    let sessions: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions")
        .fetch_one(&fresh.state.pool)
        .await
        .unwrap();
    assert_eq!(sessions, 0);
}

#[tokio::test]
async fn an_admin_removing_someone_erases_them_too_and_numbers_stay_apart() {
    let fresh = test_support::fresh_state(Plan::Enterprise).await;
    let ada = person(&fresh, "Ada", "ada@example.com", Role::Admin).await;
    let first = person(&fresh, "Bo", "bo@example.com", Role::Member).await;
    erasure::remove_member(&fresh.state, &admin(&ada), &first.user_id)
        .await
        .unwrap();
    let zed = zed_everywhere(&fresh, &ada).await;
    erasure::remove_member(&fresh.state, &admin(&ada), &zed.user_id)
        .await
        .unwrap();

    assert_eq!(database_mentions(&fresh, NAME).await, Vec::<String>::new());
    assert_eq!(database_mentions(&fresh, EMAIL).await, Vec::<String>::new());
    let lines = audit_lines(&fresh).await;
    assert!(
        lines
            .iter()
            .any(|line| line.ends_with("Former member 1 removed; their personal data was erased")),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|line| line.starts_with("Former member 2: ")),
        "{lines:#?}"
    );
    // The token Zed made was revoked as he left, and names no one.
    let live = tokens::made_by(&fresh.state, &ada.workspace, &zed.user_id)
        .await
        .unwrap();
    assert!(live.is_empty());
}

#[tokio::test]
async fn the_last_admin_and_a_wrong_password_delete_nothing() {
    let fresh = test_support::fresh_state(Plan::Team).await;
    let ada = person(&fresh, "Ada", "ada@example.com", Role::Admin).await;
    let bo = person(&fresh, "Bo", "bo@example.com", Role::Member).await;
    assert_eq!(
        erasure::delete_own_account(&fresh.state, &ada, CLIENT, PASSWORD).await,
        Err(AuthError::LastAdminCannotLeave)
    );
    assert_eq!(
        erasure::delete_own_account(&fresh.state, &bo, CLIENT, "a wrong password here").await,
        Err(AuthError::WrongCurrentPassword)
    );
    for email in ["ada@example.com", "bo@example.com"] {
        assert!(accounts::sign_in(&fresh.state, email, PASSWORD, CLIENT)
            .await
            .is_ok());
    }
}

#[tokio::test]
async fn the_export_has_the_persons_data_and_no_secret() {
    let fresh = test_support::fresh_state(Plan::Enterprise).await;
    let ada = person(&fresh, "Ada", "ada@example.com", Role::Admin).await;
    let zed = zed_everywhere(&fresh, &ada).await;

    let data = app::use_cases::personal_data::export(&fresh.state, &zed)
        .await
        .unwrap();
    assert_eq!(data.account.name, NAME);
    assert_eq!(data.account.email, EMAIL);
    assert_eq!(data.account.role, "Admin");
    assert_eq!(data.account.signs_in_with, "password");
    assert_eq!(data.sessions.len(), 1);
    assert_eq!(data.invitations_sent.len(), 1);
    assert_eq!(data.invitations_sent[0].email, "newcomer@example.com");
    assert_eq!(data.service_tokens_created.len(), 1);
    assert_eq!(data.service_tokens_created[0].name, "Zed's gateway");
    assert_eq!(data.failed_sign_ins.len(), 1);
    assert!(data
        .activity
        .iter()
        .any(|entry| entry.subject == "AI features"));
    // Ada's entries are hers, not part of Zed's file.
    assert!(data
        .activity
        .iter()
        .all(|entry| !entry.subject.starts_with("Role of")));

    let file = serde_json::to_string(&data).unwrap();
    let hash: String = sqlx::query_scalar("SELECT password_hash FROM users WHERE id = $1")
        .bind(zed.user_id.as_str())
        .fetch_one(&fresh.state.pool)
        .await
        .unwrap();
    let token_hash: String = sqlx::query_scalar("SELECT token_hash FROM service_tokens")
        .fetch_one(&fresh.state.pool)
        .await
        .unwrap();
    for secret in [hash.as_str(), token_hash.as_str(), "$argon2", PASSWORD] {
        assert!(!file.contains(secret), "the export holds {secret}");
    }
}

#[tokio::test]
async fn one_corrects_ones_name_freely_and_ones_address_with_the_password() {
    let fresh = test_support::fresh_state(Plan::Team).await;
    let ada = person(&fresh, "Ada", "ada@example.com", Role::Admin).await;
    person(&fresh, "Bo", "bo@example.com", Role::Member).await;
    let state = &fresh.state;

    accounts::change_profile(state, &ada, CLIENT, "Ada Lovelace", "ada@example.com", "")
        .await
        .unwrap();
    assert_eq!(
        accounts::change_profile(state, &ada, CLIENT, "Ada Lovelace", "ada@new.example", "").await,
        Err(AuthError::WrongCurrentPassword)
    );
    assert_eq!(
        accounts::change_profile(state, &ada, CLIENT, "Ada", "bo@example.com", PASSWORD).await,
        Err(AuthError::EmailTaken)
    );
    assert!(matches!(
        accounts::change_profile(state, &ada, CLIENT, "  ", "ada@example.com", "").await,
        Err(AuthError::Credentials(_))
    ));
    accounts::change_profile(
        state,
        &ada,
        CLIENT,
        "Ada Lovelace",
        "ADA@new.example",
        PASSWORD,
    )
    .await
    .unwrap();

    assert!(
        accounts::sign_in(state, "ada@new.example", PASSWORD, CLIENT)
            .await
            .is_ok()
    );
    let lines = audit_lines(&fresh).await;
    assert!(
        lines.contains(&"Ada: Own name: Ada -> Ada Lovelace".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"Ada: Own e-mail address: ada@example.com -> ada@new.example".to_string()),
        "{lines:#?}"
    );
}

#[tokio::test]
async fn a_suspended_member_cannot_sign_in_until_restored() {
    let fresh = test_support::fresh_state(Plan::Team).await;
    let ada = person(&fresh, "Ada", "ada@example.com", Role::Admin).await;
    let bo = person(&fresh, "Bo", "bo@example.com", Role::Admin).await;
    let state = &fresh.state;
    let before = generation(&fresh, &bo.user_id).await;

    assert_eq!(
        members::suspend(state, &admin(&ada), &ada.user_id).await,
        Err(MembersError::NotYourself)
    );
    members::suspend(state, &admin(&ada), &bo.user_id)
        .await
        .unwrap();
    assert_eq!(
        accounts::sign_in(state, "bo@example.com", PASSWORD, CLIENT).await,
        Err(AuthError::Suspended)
    );
    // A wrong password still reads as one: suspension is no oracle.
    assert_eq!(
        accounts::sign_in(state, "bo@example.com", "not bo's password!", CLIENT).await,
        Err(AuthError::InvalidCredentials)
    );
    assert_eq!(
        generation(&fresh, &bo.user_id).await,
        before + 1,
        "sessions end"
    );
    // A suspended admin does not count as the admin the workspace keeps.
    assert_eq!(
        erasure::delete_own_account(state, &ada, CLIENT, PASSWORD).await,
        Err(AuthError::LastAdminCannotLeave)
    );
    // Nothing was deleted.
    let listed = members::list(state, &ada).await.unwrap();
    assert!(listed
        .iter()
        .any(|member| member.name == "Bo" && member.suspended));

    members::restore(state, &admin(&ada), &bo.user_id)
        .await
        .unwrap();
    assert!(accounts::sign_in(state, "bo@example.com", PASSWORD, CLIENT)
        .await
        .is_ok());
    let lines = audit_lines(&fresh).await;
    assert!(
        lines.contains(&"Ada: Account of Bo:  -> suspended".to_string()),
        "{lines:#?}"
    );
    assert!(
        lines.contains(&"Ada: Account of Bo:  -> restored".to_string()),
        "{lines:#?}"
    );
}

async fn generation(fresh: &Fresh, user_id: &str) -> i64 {
    sqlx::query_scalar("SELECT session_generation FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&fresh.state.pool)
        .await
        .unwrap()
}
