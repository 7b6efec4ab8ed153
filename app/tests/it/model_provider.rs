//! The model provider against a real SQLite database and a fake provider
//! on loopback: plan gating, verification before saving, sealing at rest,
//! replacement with a grace period, removal, concurrency, re-sealing.
#![cfg(feature = "ssr")]

use app::accounts::session::Actor;
use app::domain::{Plan, Role};
use app::model_provider::cipher::MasterKeys;
use app::model_provider::rules::{KeyProblem, KeyProvider, Processing, Region};
use app::model_provider::service::{self, KeyForm};
use app::model_provider::{store, ProviderError, ProviderNotice};
use secrecy::{ExposeSecret, SecretString};
use std::sync::Arc;
use std::time::Duration;
use test_support::fake_provider::{FakeProvider, GOOD_KEYS};

struct Setup {
    fresh: test_support::Fresh,
    fake: FakeProvider,
    admin: Actor,
}

async fn setup(plan: Plan, region: Region) -> Setup {
    let mut fresh = test_support::fresh_state(plan).await;
    let fake = FakeProvider::start().await;
    let providers = &mut Arc::make_mut(&mut fresh.state.deployment).providers;
    providers.endpoints = fake.endpoints();
    providers.region = region;
    providers.verify_timeout = Duration::from_secs(1);
    // The fake provider is on loopback, as a self-hosted model server
    // would be on a private network.
    providers.private_model_networks = vec!["127.0.0.0/8".parse().unwrap()];
    let admin = Actor {
        user_id: "ada".into(),
        workspace: fresh.state.deployment.workspace.clone(),
        name: "Ada".into(),
        role: Role::Admin,
    };
    Setup { fresh, fake, admin }
}

impl Setup {
    async fn version(&self) -> i64 {
        service::snapshot(&self.fresh.state, &self.admin)
            .await
            .unwrap()
            .version
    }

    async fn save(
        &self,
        provider: KeyProvider,
        key: &str,
        base_url: Option<&str>,
    ) -> Result<ProviderNotice, ProviderError> {
        let form = KeyForm {
            provider,
            key: SecretString::from(key.to_string()),
            base_url,
            based_on: self.version().await,
            models_reset_confirmed: false,
        };
        app::use_cases::provider_change::save_key(
            &self.fresh.state,
            &test_support::admin(&self.admin),
            form,
        )
        .await
    }

    async fn current_last4(&self) -> Option<String> {
        service::snapshot(&self.fresh.state, &self.admin)
            .await
            .unwrap()
            .current
            .map(|key| key.last4)
    }

    /// Every byte of the database's files, WAL included.
    fn database_bytes(&self) -> Vec<u8> {
        std::fs::read_dir(self.fresh.dir.path())
            .unwrap()
            .flat_map(|entry| std::fs::read(entry.unwrap().path()).unwrap_or_default())
            .collect()
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|window| window == needle.as_bytes())
}

#[tokio::test]
async fn only_enterprise_workspaces_may_bring_a_key_and_the_server_says_so() {
    let setup = setup(Plan::Team, Region::Us).await;
    assert_eq!(
        setup.save(KeyProvider::OpenAi, GOOD_KEYS[0], None).await,
        Err(ProviderError::NotOnPlan)
    );
    assert_eq!(setup.current_last4().await, None);
}

#[tokio::test]
async fn a_verified_key_is_saved_sealed_and_shown_only_by_its_last_four() {
    let setup = setup(Plan::Enterprise, Region::Us).await;
    assert_eq!(
        setup.save(KeyProvider::OpenAi, GOOD_KEYS[0], None).await,
        Ok(ProviderNotice::KeyAdded)
    );
    let snapshot = service::snapshot(&setup.fresh.state, &setup.admin)
        .await
        .unwrap();
    let key = snapshot.current.clone().unwrap();
    assert_eq!(key.provider, KeyProvider::OpenAi);
    assert_eq!(key.last4, "1111");
    assert_eq!(key.added_by, "Ada");
    assert!(!format!("{snapshot:?}").contains(GOOD_KEYS[0]));
    assert!(!contains(&setup.database_bytes(), GOOD_KEYS[0]));

    // What is stored opens, under its workspace, provider and row.
    let stored = store::current(&setup.fresh.state.pool, &setup.admin.workspace)
        .await
        .unwrap()
        .unwrap();
    let aad = app::model_provider::cipher::associated_data("acme", "openai", &stored.id, None);
    let opened = setup
        .fresh
        .state
        .master_keys
        .open(&stored.sealed, &aad)
        .unwrap();
    assert_eq!(opened.expose_secret(), GOOD_KEYS[0]);

    let (entries, _) = app::activity::log::page(&setup.fresh.state.pool, &setup.admin.workspace, 0)
        .await
        .unwrap();
    assert_eq!(entries[0].subject, "Model provider");
    assert_eq!(entries[0].old_value.as_deref(), Some("Managed provider"));
    assert_eq!(
        entries[0].new_value.as_deref(),
        Some("OpenAI key added …1111")
    );
}

#[tokio::test]
async fn a_refused_key_saves_nothing_and_the_previous_key_stays() {
    let setup = setup(Plan::Enterprise, Region::Us).await;
    setup
        .save(KeyProvider::OpenAi, GOOD_KEYS[0], None)
        .await
        .unwrap();
    assert_eq!(
        setup
            .save(KeyProvider::OpenAi, "sk-test-wrong-key-9999", None)
            .await,
        Err(ProviderError::KeyRejected)
    );
    assert_eq!(setup.current_last4().await.as_deref(), Some("1111"));
    assert!(!contains(&setup.database_bytes(), "sk-test-wrong-key-9999"));
}

#[tokio::test]
async fn a_typed_base_url_on_a_private_network_is_refused_unless_the_operator_allowed_it() {
    let mut setup = setup(Plan::Enterprise, Region::Us).await;
    Arc::make_mut(&mut setup.fresh.state.deployment)
        .providers
        .private_model_networks = Vec::new();
    let compatible = KeyProvider::OpenAiCompatible;
    let by_name = setup.fake.url("openai").replace("127.0.0.1", "localhost");
    for typed in [setup.fake.url("openai"), by_name] {
        let refused = setup.save(compatible, GOOD_KEYS[0], Some(&typed)).await;
        assert_eq!(refused, Err(ProviderError::AddressNotAllowed), "{typed}");
        // The refusal names why and the setting that allows it.
        let why = refused.unwrap_err().to_string();
        assert!(why.contains("AI_CONSOLE_PRIVATE_MODEL_NETWORKS"), "{why}");
    }
    assert_eq!(
        setup.fake.requests(),
        0,
        "nothing was sent to the private address"
    );
    assert_eq!(setup.current_last4().await, None);
    // The operator's own endpoints are trusted as configured.
    setup
        .save(KeyProvider::OpenAi, GOOD_KEYS[0], None)
        .await
        .unwrap();
    assert_eq!(setup.fake.requests(), 1);
}

#[tokio::test]
async fn unreachable_slow_and_failing_providers_are_reported_and_nothing_is_saved() {
    let setup = setup(Plan::Enterprise, Region::Us).await;
    let closed = {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        format!("http://{}/v1", listener.local_addr().unwrap())
    };
    let compatible = KeyProvider::OpenAiCompatible;
    assert_eq!(
        setup.save(compatible, GOOD_KEYS[0], Some(&closed)).await,
        Err(ProviderError::ProviderUnreachable)
    );
    assert_eq!(
        setup
            .save(compatible, GOOD_KEYS[0], Some(&setup.fake.url("slow")))
            .await,
        Err(ProviderError::ProviderUnreachable)
    );
    assert_eq!(
        setup
            .save(compatible, GOOD_KEYS[0], Some(&setup.fake.url("broken")))
            .await,
        Err(ProviderError::ProviderFailed(500))
    );
    // A model list without end is not read past its limit.
    assert_eq!(
        setup
            .save(compatible, GOOD_KEYS[0], Some(&setup.fake.url("huge")))
            .await,
        Err(ProviderError::ListTooLarge)
    );
    assert_eq!(setup.current_last4().await, None);
}

#[tokio::test]
async fn anthropic_keys_are_checked_with_anthropics_header() {
    let setup = setup(Plan::Enterprise, Region::Us).await;
    assert_eq!(
        setup.save(KeyProvider::Anthropic, GOOD_KEYS[1], None).await,
        Ok(ProviderNotice::KeyAdded)
    );
}

#[tokio::test]
async fn an_openai_compatible_endpoint_needs_a_usable_base_url() {
    let setup = setup(Plan::Enterprise, Region::Us).await;
    let compatible = KeyProvider::OpenAiCompatible;
    assert_eq!(
        setup.save(compatible, GOOD_KEYS[0], None).await,
        Err(ProviderError::Key(KeyProblem::BaseUrlMissing))
    );
    assert_eq!(
        setup
            .save(
                compatible,
                GOOD_KEYS[0],
                Some("http://gateway.example.com/v1")
            )
            .await,
        Err(ProviderError::Key(KeyProblem::BaseUrlInvalid))
    );
    let url = setup.fake.url("openai");
    setup
        .save(compatible, GOOD_KEYS[0], Some(&url))
        .await
        .unwrap();
    let snapshot = service::snapshot(&setup.fresh.state, &setup.admin)
        .await
        .unwrap();
    assert_eq!(
        snapshot.current.unwrap().base_url.as_deref(),
        Some(url.as_str())
    );
    assert_eq!(snapshot.route.processing, Processing::Unknown);
}

#[tokio::test]
async fn a_replaced_key_works_through_the_grace_period_then_is_deleted() {
    let setup = setup(Plan::Enterprise, Region::Us).await;
    setup
        .save(KeyProvider::OpenAi, GOOD_KEYS[0], None)
        .await
        .unwrap();
    assert_eq!(
        setup.save(KeyProvider::OpenAi, GOOD_KEYS[1], None).await,
        Ok(ProviderNotice::KeyReplaced)
    );
    let state = &setup.fresh.state;
    let snapshot = service::snapshot(state, &setup.admin).await.unwrap();
    assert_eq!(snapshot.current.unwrap().last4, "2222");
    let retiring = snapshot.retiring.unwrap();
    assert_eq!(retiring.last4, "1111");
    assert_eq!(retiring.usable_until, 1_700_000_000 + 24 * 3600);

    setup.fresh.clock.advance(24 * 3600 - 1);
    assert_eq!(service::delete_expired_keys(state).await.unwrap(), 0);
    setup.fresh.clock.advance(1);
    assert_eq!(service::delete_expired_keys(state).await.unwrap(), 1);
    let snapshot = service::snapshot(state, &setup.admin).await.unwrap();
    assert_eq!(snapshot.retiring, None);
    assert_eq!(store::all(&state.pool).await.unwrap().len(), 1);
}

#[tokio::test]
async fn removing_returns_to_the_managed_provider_and_deletes_every_copy() {
    let setup = setup(Plan::Enterprise, Region::Eu).await;
    setup
        .save(KeyProvider::OpenAi, GOOD_KEYS[0], None)
        .await
        .unwrap();
    setup
        .save(KeyProvider::OpenAi, GOOD_KEYS[1], None)
        .await
        .unwrap();
    let state = &setup.fresh.state;
    service::remove_key(
        state,
        &test_support::admin(&setup.admin),
        setup.version().await,
    )
    .await
    .unwrap();
    let snapshot = service::snapshot(state, &setup.admin).await.unwrap();
    assert_eq!(snapshot.current, None);
    assert_eq!(snapshot.retiring, None);
    assert_eq!(snapshot.route.base_url, setup.fake.endpoints().openai_eu);
    assert!(store::all(&state.pool).await.unwrap().is_empty());
    assert_eq!(
        service::remove_key(
            state,
            &test_support::admin(&setup.admin),
            setup.version().await
        )
        .await,
        Err(ProviderError::NoKey)
    );
}

#[tokio::test]
async fn members_change_nothing_and_stale_pages_do_not_overwrite() {
    let setup = setup(Plan::Enterprise, Region::Us).await;
    let member = Actor {
        role: Role::Member,
        ..setup.admin.clone()
    };
    let form = |based_on| KeyForm {
        provider: KeyProvider::OpenAi,
        key: SecretString::from(GOOD_KEYS[0].to_string()),
        base_url: None,
        based_on,
        models_reset_confirmed: false,
    };
    let state = &setup.fresh.state;
    // A member cannot become the `Admin` the service needs.
    assert_eq!(
        app::accounts::session::Admin::check(member).map_err(ProviderError::from),
        Err(ProviderError::AdminOnly)
    );
    app::use_cases::provider_change::save_key(state, &test_support::admin(&setup.admin), form(0))
        .await
        .unwrap();
    assert!(matches!(
        app::use_cases::provider_change::save_key(state, &test_support::admin(&setup.admin), form(0)).await,
        Err(ProviderError::Conflict(Some(change))) if change.by == "Ada"
    ));
    assert!(matches!(
        service::remove_key(state, &test_support::admin(&setup.admin), 0).await,
        Err(ProviderError::Conflict(_))
    ));
}

#[tokio::test]
async fn eu_workspaces_are_told_which_choices_leave_the_eu() {
    let setup = setup(Plan::Enterprise, Region::Eu).await;
    let snapshot = service::snapshot(&setup.fresh.state, &setup.admin)
        .await
        .unwrap();
    assert_eq!(snapshot.route.processing, Processing::InRegion(Region::Eu));
    let processing = |provider| {
        snapshot
            .choices
            .iter()
            .find(|(p, _)| *p == provider)
            .map(|(_, route)| route.processing)
            .unwrap()
    };
    assert_eq!(
        processing(KeyProvider::OpenAi),
        Processing::InRegion(Region::Eu)
    );
    assert_eq!(
        processing(KeyProvider::Anthropic),
        Processing::LeavesRegion {
            from: Region::Eu,
            to: Region::Us
        }
    );
}

#[tokio::test]
async fn resealing_moves_every_key_to_the_new_master_key() {
    let mut setup = setup(Plan::Enterprise, Region::Us).await;
    let old_entry = MasterKeys::generate_entry();
    setup.fresh.state.master_keys = Arc::new(MasterKeys::parse(&old_entry).unwrap());
    setup
        .save(KeyProvider::OpenAi, GOOD_KEYS[0], None)
        .await
        .unwrap();
    let pool = &setup.fresh.state.pool;

    let new_entry = MasterKeys::generate_entry();
    let new_only = MasterKeys::parse(&new_entry).unwrap();
    assert!(
        service::reseal_all(pool, &new_only).await.is_err(),
        "without the old master key nothing opens, and nothing changes"
    );
    // The operator's rotation: the new key first, the old one kept.
    let rotated = MasterKeys::parse(&format!("{new_entry}\n{old_entry}")).unwrap();
    assert_eq!(service::reseal_all(pool, &rotated).await.unwrap(), 1);

    let stored = store::current(pool, &setup.admin.workspace)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(stored.sealed.master_key_id, new_only.current_id());
    let aad = app::model_provider::cipher::associated_data("acme", "openai", &stored.id, None);
    let opened = new_only.open(&stored.sealed, &aad).unwrap();
    assert_eq!(
        opened.expose_secret(),
        GOOD_KEYS[0],
        "the old master key can now go"
    );
}

#[tokio::test]
async fn a_key_whose_base_url_was_changed_in_the_database_no_longer_opens() {
    let setup = setup(Plan::Enterprise, Region::Us).await;
    let pool = &setup.fresh.state.pool;
    setup
        .save(
            KeyProvider::OpenAiCompatible,
            GOOD_KEYS[0],
            Some(&setup.fake.url("openai")),
        )
        .await
        .unwrap();
    let stored = store::current(pool, &setup.admin.workspace)
        .await
        .unwrap()
        .unwrap();
    assert!(service::open_key(&setup.fresh.state, &stored).is_ok());

    // Someone who can write to the database points the key elsewhere.
    sqlx::query("UPDATE provider_keys SET base_url = 'https://collector.example/v1'")
        .execute(pool)
        .await
        .unwrap();
    let redirected = store::current(pool, &setup.admin.workspace)
        .await
        .unwrap()
        .unwrap();
    assert!(service::open_key(&setup.fresh.state, &redirected).is_err());
}
