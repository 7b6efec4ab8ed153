//! The first-admin setup and sign-in rules against a real SQLite database,
//! with a clock the tests move.
#![cfg(feature = "ssr")]

use app::accounts::credentials::CredentialProblem;
use app::accounts::service::{self, NewAccount, SETUP_LINK_LIFETIME_SECS};
use app::accounts::session::Actor;
use app::accounts::{attempts, throttle, AuthError};
use app::activity::log;
use app::clock::ManualClock;
use app::domain::{Plan, Role};
use app::state::AppState;

use test_support::PASSWORD;

struct TestDb {
    state: AppState,
    clock: ManualClock,
    _dir: tempfile::TempDir,
}

async fn fresh_db() -> TestDb {
    let fresh = test_support::fresh_state(Plan::Team).await;
    TestDb {
        state: fresh.state,
        clock: fresh.clock,
        _dir: fresh.dir,
    }
}

fn account<'a>(email: &'a str) -> NewAccount<'a> {
    NewAccount {
        name: "Ada Lovelace",
        email,
        password: PASSWORD,
        password_again: PASSWORD,
    }
}

const NEW: &str = "a new password of mine";

impl TestDb {
    async fn create(&self, email: &str) -> String {
        let workspace = self.state.deployment.workspace.clone();
        service::create_account(&self.state, &workspace, Role::Admin, account(email))
            .await
            .unwrap()
    }

    fn clock_now(&self) -> i64 {
        use app::clock::Clock;
        self.clock.now()
    }

    fn actor(&self, user_id: &str) -> Actor {
        Actor {
            user_id: user_id.into(),
            workspace: self.state.deployment.workspace.clone(),
            name: "Ada Lovelace".into(),
            role: Role::Admin,
        }
    }

    async fn audit_text(&self) -> String {
        let (entries, _) = log::page(&self.state.pool, &self.state.deployment.workspace, 0)
            .await
            .unwrap();
        format!("{entries:?}")
    }

    async fn issue_token(&self) -> String {
        service::issue_setup_token(&self.state, &self.state.deployment.workspace)
            .await
            .unwrap()
            .expect("a token while there are no users")
            .0
    }
}

#[tokio::test]
async fn a_setup_link_creates_the_first_admin_once() {
    let db = fresh_db().await;
    let token = db.issue_token().await;
    assert_eq!(
        service::setup_link_usable(&db.state, &token).await,
        Ok(true)
    );

    let admin = service::complete_setup(&db.state, &token, account("ada@example.com"))
        .await
        .unwrap();
    assert_eq!(
        service::verify_credentials(&db.state, "ada@example.com", PASSWORD).await,
        Ok(admin)
    );

    assert_eq!(
        service::setup_link_usable(&db.state, &token).await,
        Ok(false)
    );
    assert_eq!(
        service::complete_setup(&db.state, &token, account("eve@example.com")).await,
        Err(AuthError::SetupLinkInvalid)
    );
}

#[tokio::test]
async fn no_setup_link_is_issued_once_someone_can_sign_in() {
    let db = fresh_db().await;
    let workspace = db.state.deployment.workspace.clone();
    service::create_account(
        &db.state,
        &workspace,
        Role::Admin,
        account("ada@example.com"),
    )
    .await
    .unwrap();
    assert_eq!(
        service::issue_setup_token(&db.state, &workspace)
            .await
            .unwrap(),
        None
    );
}

#[tokio::test]
async fn a_setup_link_expires() {
    let db = fresh_db().await;
    let token = db.issue_token().await;
    db.clock.advance(SETUP_LINK_LIFETIME_SECS);
    assert_eq!(
        service::setup_link_usable(&db.state, &token).await,
        Ok(false)
    );
    assert_eq!(
        service::complete_setup(&db.state, &token, account("ada@example.com")).await,
        Err(AuthError::SetupLinkInvalid)
    );
}

#[tokio::test]
async fn a_new_link_replaces_an_unused_one() {
    let db = fresh_db().await;
    let first = db.issue_token().await;
    let second = db.issue_token().await;
    assert_eq!(
        service::setup_link_usable(&db.state, &first).await,
        Ok(false)
    );
    assert_eq!(
        service::setup_link_usable(&db.state, &second).await,
        Ok(true)
    );
}

#[tokio::test]
async fn setup_refuses_a_made_up_token_and_bad_input_without_using_the_link() {
    let db = fresh_db().await;
    let token = db.issue_token().await;
    assert_eq!(
        service::complete_setup(&db.state, "0000", account("ada@example.com")).await,
        Err(AuthError::SetupLinkInvalid)
    );
    let short = NewAccount {
        password: "short",
        password_again: "short",
        ..account("ada@example.com")
    };
    assert_eq!(
        service::complete_setup(&db.state, &token, short).await,
        Err(AuthError::Credentials(CredentialProblem::PasswordTooShort))
    );
    // The link still works after the failed attempts.
    assert!(
        service::complete_setup(&db.state, &token, account("ada@example.com"))
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn the_setup_link_is_used_up_by_only_one_of_two_concurrent_uses() {
    let db = fresh_db().await;
    let token = db.issue_token().await;
    let (first, second) = tokio::join!(
        service::complete_setup(&db.state, &token, account("ada@example.com")),
        service::complete_setup(&db.state, &token, account("eve@example.com")),
    );
    assert_eq!(
        [first.is_ok(), second.is_ok()]
            .iter()
            .filter(|ok| **ok)
            .count(),
        1,
        "{first:?} {second:?}"
    );
}

#[tokio::test]
async fn unknown_email_and_wrong_password_get_the_same_answer() {
    let db = fresh_db().await;
    let workspace = db.state.deployment.workspace.clone();
    service::create_account(
        &db.state,
        &workspace,
        Role::Member,
        account("ada@example.com"),
    )
    .await
    .unwrap();
    let wrong_password =
        service::verify_credentials(&db.state, "ada@example.com", "not the password").await;
    let unknown = service::verify_credentials(&db.state, "nobody@example.com", PASSWORD).await;
    assert_eq!(wrong_password, Err(AuthError::InvalidCredentials));
    assert_eq!(unknown, wrong_password);
    assert_eq!(
        service::verify_credentials(&db.state, "not an email", PASSWORD).await,
        Err(AuthError::InvalidCredentials)
    );
}

#[tokio::test]
async fn sign_in_ignores_the_case_of_the_email() {
    let db = fresh_db().await;
    let workspace = db.state.deployment.workspace.clone();
    let id = service::create_account(
        &db.state,
        &workspace,
        Role::Admin,
        account("Ada@Example.com"),
    )
    .await
    .unwrap();
    assert_eq!(
        service::verify_credentials(&db.state, " ADA@example.COM ", PASSWORD).await,
        Ok(id)
    );
}

#[tokio::test]
async fn an_email_can_belong_to_one_account_only() {
    let db = fresh_db().await;
    let workspace = db.state.deployment.workspace.clone();
    service::create_account(
        &db.state,
        &workspace,
        Role::Admin,
        account("ada@example.com"),
    )
    .await
    .unwrap();
    assert_eq!(
        service::create_account(
            &db.state,
            &workspace,
            Role::Member,
            account("ADA@example.com")
        )
        .await,
        Err(AuthError::EmailTaken)
    );
}

#[tokio::test]
async fn a_burst_of_wrong_passwords_stops_that_client_but_never_the_owner() {
    let db = fresh_db().await;
    let id = db.create("ada@example.com").await;
    for _ in 0..10 {
        assert_eq!(
            service::sign_in(&db.state, "ada@example.com", "guess", "10.0.0.1").await,
            Err(AuthError::InvalidCredentials)
        );
    }
    // The guessing client waits, even with the right password…
    assert_eq!(
        service::sign_in(&db.state, "ada@example.com", PASSWORD, "10.0.0.1").await,
        Err(AuthError::TooManyAttempts(5))
    );
    // …while the owner, elsewhere, gets in after a short delay.
    let before = db.clock_now();
    assert_eq!(
        service::sign_in(&db.state, "ADA@example.com", PASSWORD, "10.0.0.2").await,
        Ok(id.clone())
    );
    assert_eq!(db.clock_now() - before, 1, "slowed by a second");
    db.clock.advance(5 * 60);
    assert_eq!(
        service::sign_in(&db.state, "ada@example.com", PASSWORD, "10.0.0.1").await,
        Ok(id)
    );
}

#[tokio::test]
async fn thousands_of_failures_from_many_clients_never_lock_the_owner_out() {
    let db = fresh_db().await;
    let id = db.create("ada@example.com").await;
    for n in 0..60 {
        let _ = service::sign_in(
            &db.state,
            "ada@example.com",
            "guess",
            &format!("10.1.0.{n}"),
        )
        .await;
    }
    let before = db.clock_now();
    assert_eq!(
        service::sign_in(&db.state, "ada@example.com", PASSWORD, "192.0.2.7").await,
        Ok(id)
    );
    let waited = db.clock_now() - before;
    assert!(
        (1..=throttle::LONGEST_DELAY_SECS).contains(&waited),
        "{waited}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn parallel_wrong_passwords_are_counted_before_they_are_checked() {
    let db = fresh_db().await;
    db.create("ada@example.com").await;
    let attempts = (0..60).map(|_| {
        let state = db.state.clone();
        tokio::spawn(async move {
            service::sign_in(&state, "ada@example.com", "guess", "10.0.0.1").await
        })
    });
    let answers: Vec<_> = futures_util::future::join_all(attempts)
        .await
        .into_iter()
        .map(|answer| answer.unwrap())
        .collect();
    let checked = answers
        .iter()
        .filter(|answer| **answer == Err(AuthError::InvalidCredentials))
        .count();
    assert!(checked <= 10, "{checked} of 60 were checked: {answers:?}");
    assert!(answers.iter().all(|answer| matches!(
        answer,
        Err(AuthError::InvalidCredentials | AuthError::TooManyAttempts(_) | AuthError::Busy)
    )));
}

#[tokio::test]
async fn the_operator_can_unlock_an_account_and_the_log_says_so() {
    let db = fresh_db().await;
    let id = db.create("ada@example.com").await;
    for _ in 0..10 {
        let _ = service::sign_in(&db.state, "ada@example.com", "guess", "10.0.0.1").await;
    }
    assert!(matches!(
        service::sign_in(&db.state, "ada@example.com", PASSWORD, "10.0.0.1").await,
        Err(AuthError::TooManyAttempts(_))
    ));
    assert_eq!(
        attempts::unlock(&db.state, "Ada@Example.com")
            .await
            .unwrap(),
        10
    );
    assert_eq!(
        service::sign_in(&db.state, "ada@example.com", PASSWORD, "10.0.0.1").await,
        Ok(id)
    );
    let log = db.audit_text().await;
    assert!(
        log.contains("Operator (command line)") && log.contains("unlocked for ada@example.com"),
        "{log}"
    );
}

#[tokio::test]
async fn guessing_the_current_password_on_the_account_page_is_throttled_too() {
    let db = fresh_db().await;
    let id = db.create("ada@example.com").await;
    let actor = db.actor(&id);
    for _ in 0..10 {
        assert_eq!(
            service::change_password(&db.state, &actor, "10.0.0.1", "guess", NEW, NEW).await,
            Err(AuthError::WrongCurrentPassword)
        );
    }
    assert!(matches!(
        service::change_password(&db.state, &actor, "10.0.0.1", PASSWORD, NEW, NEW).await,
        Err(AuthError::TooManyAttempts(_))
    ));
}

#[tokio::test]
async fn one_client_guessing_at_many_accounts_is_slowed_down_too() {
    let db = fresh_db().await;
    for n in 0..30 {
        let _ = service::sign_in(
            &db.state,
            &format!("user{n}@example.com"),
            "guess",
            "10.0.0.9",
        )
        .await;
    }
    assert!(matches!(
        service::sign_in(&db.state, "someone@example.com", "guess", "10.0.0.9").await,
        Err(AuthError::TooManyAttempts(_))
    ));
    // Other clients are unaffected.
    assert_eq!(
        service::sign_in(&db.state, "someone@example.com", "guess", "10.0.0.10").await,
        Err(AuthError::InvalidCredentials)
    );
}

#[tokio::test]
async fn a_successful_sign_in_clears_the_account_count() {
    let db = fresh_db().await;
    let workspace = db.state.deployment.workspace.clone();
    service::create_account(
        &db.state,
        &workspace,
        Role::Admin,
        account("ada@example.com"),
    )
    .await
    .unwrap();
    for _ in 0..9 {
        let _ = service::sign_in(&db.state, "ada@example.com", "typo", "10.0.0.1").await;
    }
    assert!(
        service::sign_in(&db.state, "ada@example.com", PASSWORD, "10.0.0.1")
            .await
            .is_ok()
    );
    for _ in 0..9 {
        let _ = service::sign_in(&db.state, "ada@example.com", "typo", "10.0.0.1").await;
    }
    assert!(
        service::sign_in(&db.state, "ada@example.com", PASSWORD, "10.0.0.1")
            .await
            .is_ok()
    );
}
