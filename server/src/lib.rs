//! The HTTP server: start-up (configuration, database, first-admin setup)
//! and the router, kept out of `main` so tests drive the same `app()` with
//! `oneshot`.

pub mod backup;
pub mod cli;
pub mod config;
pub mod gateway;
pub mod listener;
pub mod master_keys;
pub mod metrics;
pub mod move_database;
pub mod openapi;
pub mod operations;
pub mod personal_data;
pub mod policy_api;
pub mod private_files;
pub mod security;
pub mod service_api;
mod sign_in_required;
pub mod single_sign_on;
pub mod stopping;
pub mod stream_cap;
pub mod usage_api;

use app::accounts::session_store::DatabaseSessionStore;
use app::use_cases::live_policy::LivePolicy;
use app::{
    accounts::service as accounts,
    clock::Clock,
    db,
    paths::{self, AI_SETTINGS, SETUP},
    shell,
    state::AppState,
    App,
};
use axum::{
    extract::Path,
    http::HeaderMap,
    http::StatusCode,
    middleware::{from_fn, from_fn_with_state},
    response::Redirect,
    routing::{get, post},
    Router,
};
use config::Config;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use secrecy::ExposeSecret;
use security::{
    cross_site::{refuse_cross_site, PublicOrigin},
    headers::{add_security_headers, ServedOverTls},
    host::{refuse_unknown_host, HostDecides},
};
use std::sync::Arc;
use tower_http::{
    compression::CompressionLayer, limit::RequestBodyLimitLayer, services::ServeDir,
    timeout::TimeoutLayer,
};
use tower_sessions::{
    cookie::{time::Duration, SameSite},
    Expiry, SessionManagerLayer,
};

/// The workspace this deployment serves until workspaces can be created.
pub use config::DEFAULT_WORKSPACE;
/// Every form and server-function call of the console is far smaller.
pub const MAX_REQUEST_BYTES: usize = 64 * 1024;
/// A request still unanswered after this is cut off with 408.
pub const REQUEST_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(30);

#[derive(Debug, thiserror::Error)]
pub enum StartupError {
    #[error(transparent)]
    Config(#[from] config::ConfigError),
    #[error("could not create the data directory {path}: {source}")]
    DataDir {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Database(#[from] db::DbError),
    #[error("could not prepare the database: {0}")]
    Prepare(#[source] sqlx::Error),
    #[error(transparent)]
    MasterKey(#[from] master_keys::MasterKeyLoadError),
    #[error("single sign-on: {0}")]
    SignOn(String),
}

/// Everything the router needs, made once at start-up.
pub struct Console {
    pub state: AppState,
    /// What the policy and usage APIs answer from, kept current in memory;
    /// the same one hears every change through `state.policy_hook`.
    pub live_policy: Arc<LivePolicy>,
    pub sessions: DatabaseSessionStore,
    /// While nobody can sign in: the one-time link that creates the first
    /// admin, and when it expires (Unix seconds).
    pub setup_token: Option<(String, i64)>,
    /// Set when this start created the master key file.
    pub created_master_key_file: Option<std::path::PathBuf>,
    /// Sign-in through the identity provider, when set up.
    pub sign_on: Option<Arc<single_sign_on::SignOn>>,
    /// The AI gateway: its connections to providers and its meter.
    pub gateway: Arc<gateway::Gateway>,
    /// Whether the process is stopping, for answers that last.
    pub stopping: stopping::Stopping,
    /// Policy streams open per token, within their cap.
    pub open_streams: Arc<stream_cap::OpenStreams>,
}

impl Console {
    pub fn setup_link(&self, base_url: &str) -> Option<String> {
        self.setup_token
            .as_ref()
            .map(|(token, _)| format!("{}{SETUP}?token={token}", base_url.trim_end_matches('/')))
    }
}

impl Console {
    /// The state the service APIs are served with.
    pub fn served(&self) -> Served {
        Served {
            app: self.state.clone(),
            live_policy: self.live_policy.clone(),
            stopping: self.stopping.clone(),
            open_streams: self.open_streams.clone(),
        }
    }
}

/// The console's state together with the live policy, for the service
/// APIs (policy, usage), readiness and metrics. Derefs to the state.
#[derive(Debug, Clone)]
pub struct Served {
    pub app: AppState,
    pub live_policy: Arc<LivePolicy>,
    pub stopping: stopping::Stopping,
    pub open_streams: Arc<stream_cap::OpenStreams>,
}

impl std::ops::Deref for Served {
    type Target = AppState;
    fn deref(&self) -> &AppState {
        &self.app
    }
}

/// Opens the database, migrates it, makes sure the workspace exists and,
/// while there are no users, issues the first-admin setup token.
pub async fn prepare(config: &Config, clock: Arc<dyn Clock>) -> Result<Console, StartupError> {
    // Installed before anything is counted.
    metrics::handle();
    if config.database_url.starts_with("sqlite:") {
        private_files::prepare(&config.data_dir, &config.database_url).map_err(|source| {
            StartupError::DataDir {
                path: config.data_dir.display().to_string(),
                source,
            }
        })?;
    }
    let master = master_keys::load(&config.master_key)?;
    let (pool, migrated) = db::connect_reporting(&config.database_url).await?;
    let binding = app::model_provider::service::BASE_URL_BINDING_MIGRATION;
    if migrated.iter().any(|description| description == binding) {
        let resealed = app::model_provider::service::bind_keys_to_base_urls(&pool, &master.keys)
            .await
            .map_err(StartupError::Prepare)?;
        tracing::info!(resealed, "provider keys re-sealed bound to their base URLs");
    }
    let sessions = DatabaseSessionStore::new(pool.clone());

    let live_policy = Arc::new(LivePolicy::default());
    let state = AppState {
        pool,
        deployment: Arc::new(config.deployment.clone()),
        clock,
        master_keys: Arc::new(master.keys),
        policy_hook: live_policy.clone(),
        passwords: Default::default(),
        budget_webhook_wake: Default::default(),
    };
    db::workspaces::ensure(&state.pool, &state.deployment.workspace, "Workspace")
        .await
        .map_err(StartupError::Prepare)?;
    let setup_token = accounts::issue_setup_token(&state, &state.deployment.workspace)
        .await
        .map_err(StartupError::Prepare)?;
    // Policy answers come from memory. On SQLite this process makes every
    // change, so it is current from here on; on PostgreSQL only once it
    // listens for other replicas' changes (`spawn_background`).
    live_policy
        .load_all(&state)
        .await
        .map_err(StartupError::Prepare)?;
    live_policy.mark_current(db::Backend::of_pool(&state.pool) == db::Backend::Sqlite);
    let sign_on = match (
        &state.deployment.single_sign_on,
        &config.deployment.public_url,
    ) {
        (Some(settings), Some(public_url)) => Some(Arc::new(
            single_sign_on::SignOn::new(settings.clone(), public_url)
                .map_err(StartupError::SignOn)?,
        )),
        _ => None,
    };
    Ok(Console {
        state,
        live_policy,
        sessions,
        setup_token,
        created_master_key_file: master.created,
        sign_on,
        gateway: Arc::new(gateway::Gateway::new(config.gateway.clone())),
        stopping: stopping::Stopping::default(),
        open_streams: stream_cap::OpenStreams::new(config.serving.max_streams_per_token),
    })
}

/// Every route of the console.
pub fn app(console: &Console, options: LeptosOptions, config: &Config) -> Router {
    let state = console.state.clone();
    let provide_state = {
        let state = state.clone();
        move || provide_context(state.clone())
    };
    // Registers the pages and every server function (under /api/).
    // Undecodable arguments answer 400 through each refusal type's
    // conversion (see `app::boundary`).
    let routes = generate_route_list(App);
    let tls = config.deployment.served_over_tls();
    let cookie_name = app::accounts::session::cookie_name(tls);
    let sessions = SessionManagerLayer::new(console.sessions.clone())
        .with_name(cookie_name)
        .with_secure(tls)
        .with_http_only(true)
        .with_same_site(SameSite::Strict)
        .with_path("/")
        .with_expiry(Expiry::OnInactivity(Duration::seconds(
            app::accounts::session::IDLE_LIFETIME_SECS,
        )));

    // The browser bundle, as the build precompressed it where it could
    // (scripts/precompress.mjs); otherwise compressed on the fly below.
    let bundle = ServeDir::new(format!("{}/{}", options.site_root, options.site_pkg_dir))
        .precompressed_br()
        .precompressed_gzip();

    let ready_state = console.served();
    let policy_state = console.served();
    let usage_state = console.served();
    let metrics_state = console.served();
    let metrics_token = config
        .metrics
        .token
        .as_ref()
        .map(|token| token.expose_secret().to_string());
    Router::new()
        .route("/", get(|| async { Redirect::to(AI_SETTINGS) }))
        .route(paths::HEALTHZ, get(operations::healthz))
        .route(
            paths::READYZ,
            get(move || operations::readyz(ready_state.clone())),
        )
        .route(paths::OPENAPI, get(openapi::openapi))
        .route(
            paths::POLICY_API,
            get({
                let state = policy_state.clone();
                move |Path(id): Path<String>,
                      ask: Result<
                    axum::extract::Query<policy_api::FeatureQuestion>,
                    axum::extract::rejection::QueryRejection,
                >,
                      headers: HeaderMap| {
                    let ask = ask.map(|axum::extract::Query(ask)| ask);
                    policy_api::ai_policy(state.clone(), id, ask, headers)
                }
            }),
        )
        .route(
            paths::POLICY_STREAM,
            get(move |Path(id): Path<String>, headers: HeaderMap| {
                policy_api::ai_policy_stream(policy_state.clone(), id, headers)
            }),
        )
        .route(
            single_sign_on::START,
            get({
                let sign_on = console.sign_on.clone();
                move |session: tower_sessions::Session,
                      axum::extract::Query(ask): axum::extract::Query<SignOnStart>| {
                    let sign_on = sign_on.clone();
                    async move {
                        match sign_on {
                            Some(sign_on) => sign_on.start(session, ask.next).await,
                            None => axum::response::IntoResponse::into_response(StatusCode::NOT_FOUND),
                        }
                    }
                }
            }),
        )
        .route(
            app::accounts::session::SIGN_ON_SIGNED_OUT,
            get({
                let sign_on = console.sign_on.clone();
                move |axum::extract::Query(ask): axum::extract::Query<SignedOutQuery>| {
                    let sign_on = sign_on.clone();
                    async move {
                        match sign_on {
                            Some(sign_on) => sign_on.signed_out(ask.to).await,
                            None => axum::response::IntoResponse::into_response(Redirect::to(
                                "/login?signed_out=1",
                            )),
                        }
                    }
                }
            }),
        )
        .route(
            paths::ACCOUNT_DATA,
            get({
                let state = console.state.clone();
                move |actor, session| personal_data::download(state.clone(), actor, session)
            }),
        )
        .route(
            single_sign_on::CALLBACK,
            get(|axum::extract::RawQuery(query): axum::extract::RawQuery| async move {
                single_sign_on::hop(query)
            }),
        )
        .route(
            single_sign_on::FINISH,
            get({
                let sign_on = console.sign_on.clone();
                let state = console.state.clone();
                move |session: tower_sessions::Session,
                      axum::extract::Query(answer): axum::extract::Query<
                    single_sign_on::Answer,
                >| {
                    let (sign_on, state) = (sign_on.clone(), state.clone());
                    async move {
                        match sign_on {
                            Some(sign_on) => sign_on.callback(&state, session, answer).await,
                            None => axum::response::IntoResponse::into_response(StatusCode::NOT_FOUND),
                        }
                    }
                }
            }),
        )
        .nest_service(&format!("/{}", options.site_pkg_dir), bundle)
        .leptos_routes_with_context(&options, routes, provide_state, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .layer(from_fn_with_state(state, sign_in_required::require_sign_in))
        .layer(sessions)
        .layer(from_fn_with_state(
            PublicOrigin(config.deployment.public_url.clone()),
            refuse_cross_site,
        ))
        .layer(RequestBodyLimitLayer::new(MAX_REQUEST_BYTES))
        .layer(from_fn_with_state(
            service_api::BodyLimit(MAX_REQUEST_BYTES),
            service_api::too_large_as_json,
        ))
        // Services' reports: bearer tokens only, no cookie, no session,
        // so no cross-site guard; larger bodies.
        .merge(
            Router::new()
                .route(
                    paths::USAGE_API,
                    post(
                        move |Path(id): Path<String>,
                              headers: HeaderMap,
                              body: axum::body::Bytes| {
                            usage_api::report_usage(usage_state.clone(), id, headers, body)
                        },
                    ),
                )
                .layer(RequestBodyLimitLayer::new(usage_api::MAX_REPORT_BYTES))
                .layer(from_fn_with_state(
                    service_api::BodyLimit(usage_api::MAX_REPORT_BYTES),
                    service_api::too_large_as_json,
                ))
                // Prometheus, with the operator's token; no cookie needed.
                .route(
                    metrics::METRICS,
                    get(move |headers: HeaderMap| {
                        metrics::guarded_metrics(
                            metrics_state.clone(),
                            metrics_token.clone(),
                            headers,
                        )
                    }),
                ),
        )
        .layer(from_fn_with_state(ServedOverTls(tls), add_security_headers))
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            REQUEST_TIMEOUT,
        ))
        // Model calls take as long as the provider does: the gateway has
        // timeouts of its own (AI_GATEWAY_*), not the console's 30 s.
        .merge(gateway::routes(console.served(), console.gateway.clone()))
        .layer(CompressionLayer::new())
        .layer(from_fn(metrics::count_request))
        .layer(from_fn_with_state(
            HostDecides(config.deployment.public_url.is_none()),
            refuse_unknown_host,
        ))
        .layer(from_fn(operations::drop_trailing_slash))
        .layer(from_fn(operations::log_request))
        .with_state(options)
}

/// `?to=` of the page that sends a signed-out browser to the provider.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SignedOutQuery {
    pub to: Option<String>,
}

/// `?next=` of the sign-on start.
#[derive(Debug, Default, serde::Deserialize)]
pub struct SignOnStart {
    pub next: Option<String>,
}

/// How often a process compares policy versions with the database: the
/// safety net behind PostgreSQL's notifications.
pub const RECONCILE_EVERY: std::time::Duration = std::time::Duration::from_secs(2);

/// The background work of every replica: following other replicas' policy
/// changes (PostgreSQL), comparing policy versions every few seconds, and
/// every minute writing down token uses and deleting provider keys past
/// their grace period and ended sessions (idempotent, so replicas doing
/// the same work at once is harmless); and delivering budget
/// notifications to the operator's webhook, if there is one.
pub fn spawn_background(console: &Console, config: &Config) {
    let state = console.state.clone();
    let postgres = db::Backend::of_pool(&state.pool) == db::Backend::Postgres;
    if postgres {
        tokio::spawn(app::use_cases::live_policy::follow_postgres(
            console.live_policy.clone(),
            state.clone(),
            config.database_url.clone(),
        ));
    }
    tokio::spawn({
        let state = state.clone();
        let live = console.live_policy.clone();
        async move {
            let mut every = tokio::time::interval(RECONCILE_EVERY);
            loop {
                every.tick().await;
                let caught_up = if !postgres && !live.is_current() {
                    // A reload failed: read everything again.
                    live.load_all(&state).await.map(|()| {
                        live.mark_current(true);
                        1
                    })
                } else {
                    live.reconcile(&state).await
                };
                match caught_up {
                    Ok(0) => {}
                    Ok(reloaded) => tracing::info!(reloaded, "caught up with policy changes"),
                    Err(error) => tracing::warn!(%error, "comparing policy versions failed"),
                }
            }
        }
    });
    tokio::spawn(async {
        let mut every = tokio::time::interval(std::time::Duration::from_secs(5));
        loop {
            every.tick().await;
            metrics::run_upkeep();
        }
    });
    if state.deployment.usage.budget_webhook.is_some() {
        tokio::spawn(app::budget::webhook::deliver_forever(state.clone()));
    }
    // The gateway's measured usage, written in batches.
    tokio::spawn({
        let gateway = console.gateway.clone();
        let state = state.clone();
        async move { gateway.meter.run(state).await }
    });
    let sessions = console.sessions.clone();
    let live_policy = console.live_policy.clone();
    tokio::spawn(async move {
        let mut every_minute = tokio::time::interval(tokio::time::Duration::from_secs(60));
        loop {
            every_minute.tick().await;
            if let Err(error) = live_policy.flush(&state).await {
                tracing::error!(%error, "writing down token uses failed; kept for the next minute");
            }
            match app::model_provider::service::delete_expired_keys(&state).await {
                Ok(0) => {}
                Ok(deleted) => {
                    tracing::info!(deleted, "deleted provider keys past their grace period")
                }
                Err(error) => tracing::error!(%error, "deleting expired provider keys failed"),
            }
            if let Err(error) = sessions.delete_expired(state.clock.now()).await {
                tracing::error!(%error, "deleting expired sessions failed");
            }
            let pruned = [
                (
                    "audit entries",
                    app::api_access::service::forget_old_entries(&state).await,
                ),
                (
                    "invitations",
                    app::members::service::forget_old_invitations(&state).await,
                ),
                (
                    "failed sign-in records",
                    app::accounts::service::forget_old_failures(&state).await,
                ),
            ];
            for (what, outcome) in pruned {
                match outcome {
                    Ok(0) => {}
                    Ok(deleted) => tracing::info!(deleted, what, "deleted past their retention"),
                    Err(error) => {
                        tracing::error!(%error, what, "deleting past their retention failed")
                    }
                }
            }
            match app::usage::service::forget_old_events(&state).await {
                Ok(0) => {}
                Ok(forgotten) => {
                    tracing::info!(forgotten, "deleted usage events past their retention")
                }
                Err(error) => tracing::error!(%error, "deleting old usage events failed"),
            }
        }
    });
}
