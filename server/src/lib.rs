//! The HTTP server: start-up (configuration, database) and the router, kept
//! out of `main` so tests drive the same `app()` with `oneshot`.

pub mod config;
pub mod security;

use app::{
    db,
    domain::Plan,
    outcome::SETTINGS_PAGE,
    shell,
    state::{AppState, Deployment},
    workspace::{self, WorkspaceId},
    App,
};
use axum::{
    body::Body,
    http::Request,
    middleware::from_fn_with_state,
    response::Redirect,
    routing::{any, get},
    Router,
};
use config::Config;
use security::{
    cross_site::{refuse_cross_site, PublicOrigin},
    headers::{add_security_headers, ServedOverTls},
};
use leptos::prelude::*;
use leptos_axum::{generate_route_list, handle_server_fns_with_context, LeptosRoutes};
use tower_http::compression::CompressionLayer;

/// The workspace this deployment serves until workspaces can be created.
pub const DEFAULT_WORKSPACE: &str = "default";

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
    #[error("could not prepare the workspace: {0}")]
    Workspace(#[source] sqlx::Error),
}

/// Opens the database, migrates it and makes sure the workspace exists.
pub async fn prepare(config: &Config) -> Result<AppState, StartupError> {
    if config.database_url.starts_with("sqlite:") {
        std::fs::create_dir_all(&config.data_dir).map_err(|source| StartupError::DataDir {
            path: config.data_dir.display().to_string(),
            source,
        })?;
    }
    let pool = db::connect(&config.database_url).await?;
    let deployment = deployment(config.plan);
    workspace::store::ensure(&pool, &deployment.workspace, "Workspace")
        .await
        .map_err(StartupError::Workspace)?;
    Ok(AppState { pool, deployment })
}

fn deployment(plan: Plan) -> Deployment {
    Deployment {
        plan,
        workspace: WorkspaceId::new(DEFAULT_WORKSPACE),
    }
}

/// Every route of the console.
pub fn app(state: AppState, options: LeptosOptions, config: &Config) -> Router {
    let provide_state = move || provide_context(state.clone());
    let routes = generate_route_list(App);
    Router::new()
        .route("/", get(|| async { Redirect::to(SETTINGS_PAGE) }))
        .route(
            "/api/{*server_fn}",
            any({
                let provide_state = provide_state.clone();
                move |request: Request<Body>| handle_server_fns_with_context(provide_state, request)
            }),
        )
        .leptos_routes_with_context(&options, routes, provide_state, {
            let options = options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler(shell))
        .layer(from_fn_with_state(
            PublicOrigin(config.public_url.clone()),
            refuse_cross_site,
        ))
        .layer(from_fn_with_state(
            ServedOverTls(config.served_over_tls()),
            add_security_headers,
        ))
        .layer(CompressionLayer::new())
        .with_state(options)
}
