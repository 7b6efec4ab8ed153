//! The settings store and its rules against a real SQLite database, a fresh
//! file per test.
#![cfg(feature = "ssr")]

use app::accounts::session::Actor;
use app::activity::{log as audit_store, PER_PAGE};
use app::ai_settings::{service, store, SaveError};
use app::ai_settings::{AiSettings, SwitchSetting};
use app::db;
use app::db::workspaces;
use app::domain::WorkspaceId;
use app::domain::{LastChange, Plan, Role};
use app::state::AppState;
use std::sync::Arc;

struct TestDb {
    state: AppState,
    admin: Actor,
    member: Actor,
    _dir: tempfile::TempDir,
}

async fn fresh_db(plan: Plan) -> TestDb {
    let fresh = test_support::fresh_state(plan).await;
    let workspace = fresh.state.deployment.workspace.clone();
    let person = |role| Actor {
        user_id: format!("{role:?}").into(),
        workspace: workspace.clone(),
        name: format!("{role:?}"),
        role,
    };
    TestDb {
        admin: person(Role::Admin),
        member: person(Role::Member),
        state: fresh.state,
        _dir: fresh.dir,
    }
}

/// Saves as an admin's page would: based on the version it just loaded.
async fn save(
    db: &TestDb,
    actor: &Actor,
    setting: SwitchSetting,
    value: bool,
) -> Result<bool, SaveError> {
    let version = store::load_versions(&db.state.pool, &actor.workspace)
        .await
        .unwrap()
        .of(setting)
        .version;
    let admin = app::accounts::session::Admin::check(actor.clone())?;
    service::set_switch(
        &db.state,
        &test_support::admin(&admin),
        setting,
        value,
        version,
    )
    .await
    .map(|saved| saved.value)
}

#[tokio::test]
async fn a_workspace_that_never_saved_has_ai_on_and_training_off() {
    let db = fresh_db(Plan::Team).await;
    let settings = service::load(&db.state, &db.admin.workspace)
        .await
        .unwrap()
        .0;
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
    for &setting in SwitchSetting::ALL {
        for value in [true, false, true] {
            assert_eq!(save(&db, &db.admin, setting, value).await, Ok(value));
            let stored = service::load(&db.state, &db.admin.workspace)
                .await
                .unwrap()
                .0;
            assert_eq!(setting.value_in(&stored), value, "{setting:?} = {value}");
        }
    }
}

#[tokio::test]
async fn turning_ai_off_keeps_the_training_choice_and_the_reverse() {
    let db = fresh_db(Plan::Team).await;
    save(&db, &db.admin, SwitchSetting::TrainingAllowed, true)
        .await
        .unwrap();
    save(&db, &db.admin, SwitchSetting::AiEnabled, false)
        .await
        .unwrap();
    assert_eq!(
        service::load(&db.state, &db.admin.workspace)
            .await
            .unwrap()
            .0,
        AiSettings {
            ai_enabled: false,
            training_allowed: true
        }
    );

    // Opting out of training while AI is off leaves AI as it was.
    save(&db, &db.admin, SwitchSetting::TrainingAllowed, false)
        .await
        .unwrap();
    assert_eq!(
        service::load(&db.state, &db.admin.workspace)
            .await
            .unwrap()
            .0,
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
        save(&db, &db.admin, SwitchSetting::TrainingAllowed, true).await,
        Err(SaveError::TrainingFixedByPlan)
    );
    assert_eq!(
        service::load(&db.state, &db.admin.workspace)
            .await
            .unwrap()
            .0,
        AiSettings::default()
    );
    // AI itself stays the admins' choice on every plan.
    assert_eq!(
        save(&db, &db.admin, SwitchSetting::AiEnabled, false).await,
        Ok(false)
    );
}

#[tokio::test]
async fn community_and_team_plans_let_admins_choose_training() {
    for plan in [Plan::Community, Plan::Team] {
        let db = fresh_db(plan).await;
        assert_eq!(
            save(&db, &db.admin, SwitchSetting::TrainingAllowed, true).await,
            Ok(true)
        );
    }
}

#[tokio::test]
async fn members_see_the_settings_but_cannot_change_them() {
    let db = fresh_db(Plan::Team).await;
    assert_eq!(
        service::load(&db.state, &db.member.workspace)
            .await
            .map(|(settings, _)| settings),
        Ok(AiSettings::default())
    );
    for &setting in SwitchSetting::ALL {
        assert_eq!(
            save(&db, &db.member, setting, true).await,
            Err(SaveError::AdminOnly)
        );
        assert_eq!(
            save(&db, &db.member, setting, false).await,
            Err(SaveError::AdminOnly)
        );
    }
    assert_eq!(
        service::load(&db.state, &db.admin.workspace)
            .await
            .map(|(settings, _)| settings),
        Ok(AiSettings::default())
    );
}

#[tokio::test]
async fn an_admin_changes_only_their_own_workspace() {
    let db = fresh_db(Plan::Team).await;
    let other = WorkspaceId::new("globex");
    workspaces::ensure(&db.state.pool, &other, "Globex")
        .await
        .unwrap();
    let other_admin = Actor {
        user_id: "globex-admin".into(),
        workspace: other.clone(),
        name: "Globex admin".into(),
        role: Role::Admin,
    };
    save(&db, &other_admin, SwitchSetting::AiEnabled, false)
        .await
        .unwrap();
    assert!(
        service::load(&db.state, &db.admin.workspace)
            .await
            .unwrap()
            .0
            .ai_enabled
    );
    assert!(
        !service::load(&db.state, &other_admin.workspace)
            .await
            .unwrap()
            .0
            .ai_enabled
    );
}

#[tokio::test]
async fn workspaces_do_not_see_each_others_settings() {
    let db = fresh_db(Plan::Team).await;
    let other = WorkspaceId::new("globex");
    workspaces::ensure(&db.state.pool, &other, "Globex")
        .await
        .unwrap();

    save(&db, &db.admin, SwitchSetting::AiEnabled, false)
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
    let result = db::commit(&db.state.pool, async |tx| {
        store::save_switch(tx, &ghost, SwitchSetting::AiEnabled, false, 0).await
    })
    .await;
    assert!(result.is_err(), "foreign keys must be enforced");
}

#[tokio::test]
async fn a_storage_failure_is_reported_as_unavailable_without_detail() {
    let db = fresh_db(Plan::Team).await;
    db.state.pool.close().await;
    assert_eq!(
        service::set_switch(
            &db.state,
            &test_support::admin(&db.admin),
            SwitchSetting::AiEnabled,
            false,
            0
        )
        .await,
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
        workspaces::ensure(&pool, &workspace, "Acme").await.unwrap();
        db::commit(&pool, async |tx| {
            store::save_switch(tx, &workspace, SwitchSetting::AiEnabled, false, 0).await
        })
        .await
        .unwrap();
        pool.close().await;
    }
    let pool = db::connect(&url).await.unwrap();
    workspaces::ensure(&pool, &workspace, "Renamed")
        .await
        .unwrap();
    assert!(!store::load(&pool, &workspace).await.unwrap().ai_enabled);
}

#[tokio::test]
async fn a_save_based_on_an_old_version_is_refused_and_names_who_changed_it() {
    let db = fresh_db(Plan::Team).await;
    let setting = SwitchSetting::AiEnabled;
    // Two admins loaded the page at version 0; the first one saves.
    let first = service::set_switch(
        &db.state,
        &test_support::admin(&db.admin),
        setting,
        false,
        0,
    )
    .await
    .unwrap();
    assert_eq!(first.version, 1);

    let second = Actor {
        name: "Bea".into(),
        user_id: "bea".into(),
        ..db.admin.clone()
    };
    let refused =
        service::set_switch(&db.state, &test_support::admin(&second), setting, true, 0).await;
    assert_eq!(
        refused,
        Err(SaveError::Conflict(Some(LastChange {
            by: "Admin".into(),
            at: 1_700_000_000
        })))
    );
    assert_eq!(
        refused.unwrap_err().to_string(),
        "Admin changed this setting at 2023-11-14 22:13 UTC \u{2014} reload to see it"
    );
    // Nothing was overwritten, and after reloading the save goes through.
    assert!(
        !service::load(&db.state, &db.admin.workspace)
            .await
            .unwrap()
            .0
            .ai_enabled
    );
    assert!(
        service::set_switch(&db.state, &test_support::admin(&second), setting, true, 1)
            .await
            .is_ok()
    );
}

#[tokio::test]
async fn different_switches_do_not_conflict() {
    let db = fresh_db(Plan::Team).await;
    service::set_switch(
        &db.state,
        &test_support::admin(&db.admin),
        SwitchSetting::AiEnabled,
        false,
        0,
    )
    .await
    .unwrap();
    service::set_switch(
        &db.state,
        &test_support::admin(&db.admin),
        SwitchSetting::TrainingAllowed,
        true,
        0,
    )
    .await
    .unwrap();
    assert_eq!(
        service::load(&db.state, &db.admin.workspace)
            .await
            .unwrap()
            .0,
        AiSettings {
            ai_enabled: false,
            training_allowed: true
        }
    );
}

#[tokio::test]
async fn every_change_is_in_the_activity_log_with_who_and_old_and_new_values() {
    let db = fresh_db(Plan::Team).await;
    save(&db, &db.admin, SwitchSetting::AiEnabled, false)
        .await
        .unwrap();
    save(&db, &db.admin, SwitchSetting::TrainingAllowed, true)
        .await
        .unwrap();
    // Refused changes leave no trace.
    let _ = save(&db, &db.member, SwitchSetting::AiEnabled, true).await;
    let _ = service::set_switch(
        &db.state,
        &test_support::admin(&db.admin),
        SwitchSetting::AiEnabled,
        true,
        0,
    )
    .await;

    let (entries, has_older) = audit_store::page(&db.state.pool, &db.admin.workspace, 0)
        .await
        .unwrap();
    assert!(!has_older);
    let lines: Vec<String> = entries
        .iter()
        .map(|e| {
            format!(
                "{} {} {:?}->{:?}",
                e.actor_name, e.subject, e.old_value, e.new_value
            )
        })
        .collect();
    assert_eq!(
        lines,
        [
            "Admin AI training Some(\"Off\")->Some(\"On\")",
            "Admin AI features Some(\"On\")->Some(\"Off\")",
        ]
    );
}

#[tokio::test]
async fn the_activity_log_pages_newest_first() {
    let db = fresh_db(Plan::Team).await;
    let total = PER_PAGE as usize + 5;
    for i in 0..total {
        save(&db, &db.admin, SwitchSetting::AiEnabled, i % 2 == 1)
            .await
            .unwrap();
    }
    let (first, has_older) = audit_store::page(&db.state.pool, &db.admin.workspace, 0)
        .await
        .unwrap();
    assert_eq!((first.len(), has_older), (PER_PAGE as usize, true));
    assert_eq!(
        first[0].new_value.as_deref(),
        Some(if (total - 1) % 2 == 1 { "On" } else { "Off" })
    );
    let (second, has_older) = audit_store::page(&db.state.pool, &db.admin.workspace, 1)
        .await
        .unwrap();
    assert_eq!((second.len(), has_older), (5, false));
    assert_eq!(
        second.last().unwrap().old_value.as_deref(),
        Some("On"),
        "the very first change"
    );
}

#[tokio::test]
async fn concurrent_saves_of_one_setting_each_win_or_conflict_and_none_is_lost() {
    let db = fresh_db(Plan::Team).await;
    let setting = SwitchSetting::TrainingAllowed;
    let other = Actor {
        name: "Bea".into(),
        user_id: "bea".into(),
        ..db.admin.clone()
    };
    let mut wins = 0;
    for round in 0..25 {
        let version = store::load_versions(&db.state.pool, &db.admin.workspace)
            .await
            .unwrap()
            .of(setting)
            .version;
        let (first, second) = (test_support::admin(&db.admin), test_support::admin(&other));
        let (a, b) = tokio::join!(
            service::set_switch(&db.state, &first, setting, round % 2 == 0, version),
            service::set_switch(&db.state, &second, setting, round % 2 == 0, version),
        );
        for outcome in [&a, &b] {
            assert!(
                matches!(outcome, Ok(_) | Err(SaveError::Conflict(Some(_)))),
                "round {round}: {outcome:?}"
            );
        }
        let round_wins = [&a, &b].iter().filter(|outcome| outcome.is_ok()).count();
        assert_eq!(round_wins, 1, "round {round}: exactly one save wins");
        wins += round_wins;
    }
    let version = store::load_versions(&db.state.pool, &db.admin.workspace)
        .await
        .unwrap()
        .of(setting)
        .version;
    assert_eq!(version as usize, wins, "every win bumped the version once");
    let mut logged = 0;
    for page in 0.. {
        let (entries, has_older) = audit_store::page(&db.state.pool, &db.admin.workspace, page)
            .await
            .unwrap();
        logged += entries.len();
        if !has_older {
            break;
        }
    }
    assert_eq!(logged, wins, "every win, and only wins, were logged");
}

#[tokio::test]
async fn a_setting_fixed_by_the_server_configuration_applies_and_cannot_be_saved() {
    let mut db = fresh_db(Plan::Team).await;
    Arc::make_mut(&mut db.state.deployment).fixed.ai_enabled = Some(false);
    let (settings, _) = service::load(&db.state, &db.admin.workspace).await.unwrap();
    assert!(!settings.ai_enabled, "the operator's value is what applies");
    assert_eq!(
        save(&db, &db.admin, SwitchSetting::AiEnabled, true).await,
        Err(SaveError::FixedByServer)
    );
    // The other setting is still the admins' to choose.
    assert_eq!(
        save(&db, &db.admin, SwitchSetting::TrainingAllowed, true).await,
        Ok(true)
    );
}
