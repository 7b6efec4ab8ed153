//! The settings store and its rules against a real SQLite database, a fresh
//! file per test.
#![cfg(feature = "ssr")]

use app::accounts::session::Actor;
use app::clock::ManualClock;
use app::db;
use app::domain::{AiSettings, Plan, Role, SwitchSetting};
use app::settings::{service, store, SaveError};
use app::state::{AppState, Deployment};
use app::workspace::{self, WorkspaceId};

struct TestDb {
    state: AppState,
    admin: Actor,
    member: Actor,
    // Keeps the database file alive for the test's duration.
    _dir: tempfile::TempDir,
}

async fn fresh_db(plan: Plan) -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let pool = db::connect(&url)
        .await
        .expect("database opens and migrates");
    let workspace = WorkspaceId::new("acme");
    workspace::store::ensure(&pool, &workspace, "Acme")
        .await
        .unwrap();
    let person = |role| Actor {
        user_id: format!("{role:?}"),
        workspace: workspace.clone(),
        name: format!("{role:?}"),
        role,
    };
    TestDb {
        admin: person(Role::Admin),
        member: person(Role::Member),
        state: AppState {
            pool,
            deployment: Deployment {
                plan,
                workspace: workspace.clone(),
                behind_proxy: false,
            },
            clock: std::sync::Arc::new(ManualClock::at(1_700_000_000)),
        },
        _dir: dir,
    }
}

#[tokio::test]
async fn a_workspace_that_never_saved_has_ai_on_and_training_off() {
    let db = fresh_db(Plan::Team).await;
    let settings = service::load(&db.state, &db.admin).await.unwrap();
    assert_eq!(
        settings,
        AiSettings {
            ai_enabled: true,
            training_allowed: false
        }
    );
}

#[tokio::test]
async fn each_switch_round_trips_through_the_database() {
    let db = fresh_db(Plan::Team).await;
    for setting in SwitchSetting::ALL {
        for value in [true, false, true] {
            assert_eq!(
                service::set_switch(&db.state, &db.admin, setting, value).await,
                Ok(value)
            );
            let stored = service::load(&db.state, &db.admin).await.unwrap();
            assert_eq!(setting.value_in(&stored), value, "{setting:?} = {value}");
        }
    }
}

#[tokio::test]
async fn turning_ai_off_keeps_the_training_choice_and_the_reverse() {
    let db = fresh_db(Plan::Team).await;
    service::set_switch(&db.state, &db.admin, SwitchSetting::TrainingAllowed, true)
        .await
        .unwrap();
    service::set_switch(&db.state, &db.admin, SwitchSetting::AiEnabled, false)
        .await
        .unwrap();
    assert_eq!(
        service::load(&db.state, &db.admin).await.unwrap(),
        AiSettings {
            ai_enabled: false,
            training_allowed: true
        }
    );

    // Opting out of training while AI is off leaves AI as it was.
    service::set_switch(&db.state, &db.admin, SwitchSetting::TrainingAllowed, false)
        .await
        .unwrap();
    assert_eq!(
        service::load(&db.state, &db.admin).await.unwrap(),
        AiSettings {
            ai_enabled: false,
            training_allowed: false
        }
    );
}

#[tokio::test]
async fn the_enterprise_plan_refuses_a_training_change_and_stores_nothing() {
    let db = fresh_db(Plan::Enterprise).await;
    assert_eq!(
        service::set_switch(&db.state, &db.admin, SwitchSetting::TrainingAllowed, true).await,
        Err(SaveError::TrainingFixedByPlan)
    );
    assert_eq!(
        service::load(&db.state, &db.admin).await.unwrap(),
        AiSettings::default()
    );
    // AI itself stays the admins' choice on every plan.
    assert_eq!(
        service::set_switch(&db.state, &db.admin, SwitchSetting::AiEnabled, false).await,
        Ok(false)
    );
}

#[tokio::test]
async fn community_and_team_plans_let_admins_choose_training() {
    for plan in [Plan::Community, Plan::Team] {
        let db = fresh_db(plan).await;
        assert_eq!(
            service::set_switch(&db.state, &db.admin, SwitchSetting::TrainingAllowed, true).await,
            Ok(true)
        );
    }
}

#[tokio::test]
async fn members_see_the_settings_but_cannot_change_them() {
    let db = fresh_db(Plan::Team).await;
    assert_eq!(
        service::load(&db.state, &db.member).await,
        Ok(AiSettings::default())
    );
    for setting in SwitchSetting::ALL {
        assert_eq!(
            service::set_switch(&db.state, &db.member, setting, true).await,
            Err(SaveError::AdminOnly)
        );
        assert_eq!(
            service::set_switch(&db.state, &db.member, setting, false).await,
            Err(SaveError::AdminOnly)
        );
    }
    assert_eq!(
        service::load(&db.state, &db.admin).await,
        Ok(AiSettings::default())
    );
}

#[tokio::test]
async fn an_admin_changes_only_their_own_workspace() {
    let db = fresh_db(Plan::Team).await;
    let other = WorkspaceId::new("globex");
    workspace::store::ensure(&db.state.pool, &other, "Globex")
        .await
        .unwrap();
    let other_admin = Actor {
        user_id: "globex-admin".into(),
        workspace: other.clone(),
        name: "Globex admin".into(),
        role: Role::Admin,
    };
    service::set_switch(&db.state, &other_admin, SwitchSetting::AiEnabled, false)
        .await
        .unwrap();
    assert!(
        service::load(&db.state, &db.admin)
            .await
            .unwrap()
            .ai_enabled
    );
    assert!(
        !service::load(&db.state, &other_admin)
            .await
            .unwrap()
            .ai_enabled
    );
}

#[tokio::test]
async fn workspaces_do_not_see_each_others_settings() {
    let db = fresh_db(Plan::Team).await;
    let other = WorkspaceId::new("globex");
    workspace::store::ensure(&db.state.pool, &other, "Globex")
        .await
        .unwrap();

    service::set_switch(&db.state, &db.admin, SwitchSetting::AiEnabled, false)
        .await
        .unwrap();

    assert!(
        !store::load(&db.state.pool, &db.state.deployment.workspace)
            .await
            .unwrap()
            .ai_enabled
    );
    assert!(
        store::load(&db.state.pool, &other)
            .await
            .unwrap()
            .ai_enabled
    );
}

#[tokio::test]
async fn settings_for_an_unknown_workspace_are_refused_by_the_database() {
    let db = fresh_db(Plan::Team).await;
    let ghost = WorkspaceId::new("ghost");
    let result = store::save_switch(&db.state.pool, &ghost, SwitchSetting::AiEnabled, false).await;
    assert!(result.is_err(), "foreign keys must be enforced");
}

#[tokio::test]
async fn a_storage_failure_is_reported_as_unavailable_without_detail() {
    let db = fresh_db(Plan::Team).await;
    db.state.pool.close().await;
    assert_eq!(
        service::set_switch(&db.state, &db.admin, SwitchSetting::AiEnabled, false).await,
        Err(SaveError::Unavailable)
    );
}

#[tokio::test]
async fn reopening_the_database_keeps_saved_settings_and_reruns_no_migration() {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("persist.db").display());
    let workspace = WorkspaceId::new("acme");
    {
        let pool = db::connect(&url).await.unwrap();
        workspace::store::ensure(&pool, &workspace, "Acme")
            .await
            .unwrap();
        store::save_switch(&pool, &workspace, SwitchSetting::AiEnabled, false)
            .await
            .unwrap();
        pool.close().await;
    }
    let pool = db::connect(&url).await.unwrap();
    workspace::store::ensure(&pool, &workspace, "Renamed")
        .await
        .unwrap();
    assert!(!store::load(&pool, &workspace).await.unwrap().ai_enabled);
}
