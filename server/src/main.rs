use app::clock::SystemClock;
use leptos::config::get_configuration;
use server::{
    cli::{self, Cli, Command},
    config::{Config, MasterKeySource},
    StartupError,
};
use std::{process::ExitCode, sync::Arc};
use tracing_subscriber::EnvFilter;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    use tracing_subscriber::layer::SubscriberExt;
    use tracing_subscriber::util::SubscriberInitExt;
    let filter =
        EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info,sqlx=warn"));
    let logs = tracing_subscriber::registry()
        .with(filter)
        .with(server::metrics::ErrorsLogged);
    // One JSON object a line for log collectors; readable text otherwise.
    match std::env::var("AI_CONSOLE_LOG_FORMAT").as_deref() {
        Ok("json") => logs.with(tracing_subscriber::fmt::layer().json()).init(),
        Ok("text") | Err(_) => logs.with(tracing_subscriber::fmt::layer()).init(),
        Ok(other) => {
            eprintln!("error: AI_CONSOLE_LOG_FORMAT: unknown format \"{other}\"; expected one of: text, json");
            return ExitCode::FAILURE;
        }
    }
    match run().await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum RunError {
    #[error(transparent)]
    Startup(#[from] StartupError),
    #[error("invalid Leptos configuration: {0}")]
    Leptos(String),
    #[error("could not listen on {addr}: {source}")]
    Listen {
        addr: std::net::SocketAddr,
        #[source]
        source: std::io::Error,
    },
    #[error("{0}")]
    Cli(String),
}

async fn run() -> Result<(), RunError> {
    let command = Cli::from_process().command.unwrap_or(Command::Serve);
    let config = Config::from_env().map_err(StartupError::from)?;
    // These work on database files and never open the console itself (a
    // backup must not migrate the database it copies).
    match &command {
        Command::Backup { to } => {
            let bytes = server::backup::backup(&config.database_url, to)
                .await
                .map_err(|error| RunError::Cli(error.to_string()))?;
            println!(
                "Backed up the database to {} ({bytes} bytes, readable by this user only). \
                 Keep the master keys ({}) apart from it: without them the workspaces' \
                 provider keys in it cannot be opened.",
                to.display(),
                master_key_source(&config)
            );
            return Ok(());
        }
        Command::Restore { from } => {
            let now = std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map(|elapsed| elapsed.as_secs() as i64)
                .unwrap_or_default();
            let restored = server::backup::restore(&config.database_url, from, now)
                .await
                .map_err(|error| RunError::Cli(error.to_string()))?;
            println!(
                "Restored {} into {}.",
                from.display(),
                restored.database.display()
            );
            if let Some(previous) = restored.previous {
                println!(
                    "The database it replaced is kept as {}.",
                    previous.display()
                );
            }
            println!(
                "Start the console with the master keys that were in use when the backup was made."
            );
            return Ok(());
        }
        Command::MigrateDatabase { from, to } => {
            let copied = server::move_database::copy(from, to)
                .await
                .map_err(|error| RunError::Cli(error.to_string()))?;
            for (table, rows) in &copied {
                println!("{table}: {rows} row(s)");
            }
            println!(
                "Copied {} table(s); row counts match. Point DATABASE_URL at the PostgreSQL \
                 database and start the console there; the SQLite file was left as it was.",
                copied.len()
            );
            return Ok(());
        }
        _ => {}
    }
    let console = server::prepare(&config, Arc::new(SystemClock)).await?;
    match command {
        Command::Serve => serve(config, console).await,
        Command::RotateMasterKey => {
            let MasterKeySource::File(path) = &config.master_key else {
                return Err(RunError::Cli(
                    "AI_CONSOLE_MASTER_KEY is set, so there is no key file to add to: put a new \
                     `id:64-hex` entry first in that variable (keep the old ones after it), \
                     restart, then run `server reseal-provider-keys`."
                        .into(),
                ));
            };
            let id = server::master_keys::prepend_new_key(path).map_err(StartupError::from)?;
            let keys = server::master_keys::load(&config.master_key)
                .map_err(StartupError::from)?
                .keys;
            let count = reseal(&console, &keys).await?;
            println!(
                "Master key {id} now seals provider keys; {count} key(s) re-sealed with it. \
                 Restart every server process that uses {}.",
                path.display()
            );
            Ok(())
        }
        Command::ResealProviderKeys => {
            let count = reseal(&console, &console.state.master_keys).await?;
            println!(
                "{count} provider key(s) re-sealed under master key {}.",
                console.state.master_keys.current_id()
            );
            Ok(())
        }
        Command::Unlock { email } => {
            let cleared = app::accounts::attempts::unlock(&console.state, &email)
                .await
                .map_err(|error| RunError::Cli(format!("unlocking {email} failed: {error}")))?;
            println!(
                "Sign-ins to {email} are checked again at once; {cleared} failed attempt(s) cleared."
            );
            Ok(())
        }
        // Handled above, before the console was opened.
        Command::Backup { .. } | Command::Restore { .. } | Command::MigrateDatabase { .. } => {
            Ok(())
        }
        Command::CreateAdmin { .. } | Command::CreateUser { .. } => {
            let Some(request) = command.account() else {
                return Err(RunError::Cli("no account to create".into()));
            };
            let password = cli::read_password().map_err(RunError::Cli)?;
            cli::create_user(&console.state, &request, &password)
                .await
                .map_err(RunError::Cli)?;
            println!(
                "Created {} account for {}.",
                request.role.label().to_lowercase(),
                request.email
            );
            Ok(())
        }
    }
}

/// The first-admin link is a password in all but name, so it never goes
/// into the log: it is printed to a terminal someone watches, and else
/// (systemd, containers: output ends up in journald or `docker logs`)
/// written to a file only this user can read, whose path is logged.
fn announce_setup_link(config: &Config, link: Option<String>) {
    use std::io::IsTerminal;
    let file = server::private_files::setup_link_file(&config.data_dir);
    let Some(link) = link else {
        // Used up or no longer needed: a stale file would only confuse.
        let _ = std::fs::remove_file(&file);
        return;
    };
    if std::io::stdout().is_terminal() {
        println!();
        println!("No admin account exists yet. Create the first one, within 24 hours, at:");
        println!("    {link}");
        println!("The link works once. Restarting the server before it is used prints a new one.");
        return;
    }
    match server::private_files::write_private(&file, &format!("{link}\n")) {
        Ok(()) => tracing::warn!(
            file = %file.display(),
            "no admin account exists yet: the first-admin setup link (valid 24 hours, once) \
             is in this file, readable by this user only"
        ),
        Err(error) => tracing::error!(
            %error,
            file = %file.display(),
            "no admin account exists yet, and the setup link could not be written; \
             create the first admin with `server create-admin` instead"
        ),
    }
}

async fn reseal(
    console: &server::Console,
    keys: &app::model_provider::cipher::MasterKeys,
) -> Result<usize, RunError> {
    app::model_provider::service::reseal_all(&console.state.pool, keys)
        .await
        .map_err(|error| RunError::Cli(format!("re-sealing provider keys failed: {error}")))
}

/// Where the master keys come from, for messages.
fn master_key_source(config: &Config) -> String {
    match &config.master_key {
        MasterKeySource::File(path) => path.display().to_string(),
        _ => "AI_CONSOLE_MASTER_KEY".into(),
    }
}

async fn serve(config: Config, console: server::Console) -> Result<(), RunError> {
    // While this process runs, `server restore` refuses to touch the file.
    let _running = match server::backup::sqlite_file(&config.database_url) {
        Ok(file) => Some(
            server::backup::lock(&file, server::backup::LockKind::Running)
                .map_err(|error| RunError::Cli(error.to_string()))?,
        ),
        Err(_) => None,
    };
    let options = get_configuration(None)
        .map_err(|error| RunError::Leptos(error.to_string()))?
        .leptos_options;

    let addr = options.site_addr;
    let listener = tokio::net::TcpListener::bind(addr)
        .await
        .map_err(|source| RunError::Listen { addr, source })?;
    let local = listener
        .local_addr()
        .map_err(|source| RunError::Listen { addr, source })?;
    tracing::info!(plan = %config.deployment.plan, database = %redact_url(&config.database_url), "ready");
    let base_url = config
        .deployment
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{local}"));
    println!(
        "AI & agents console is running at {base_url}{}",
        app::paths::AI_SETTINGS
    );
    if config.deployment.public_url.is_none() {
        tracing::warn!(
            "AI_CONSOLE_PUBLIC_URL is unset: the console answers only to loopback names and \
             the address a connection arrives at (listening on {local}); set it to the address people use (e.g. https://console.example.com)"
        );
    }
    announce_setup_link(&config, console.setup_link(&base_url));
    if let Some(path) = &console.created_master_key_file {
        println!();
        println!(
            "Created the master key file {} (readable by this user only).",
            path.display()
        );
        println!(
            "It seals workspaces' provider keys: back it up, and keep it out of database backups."
        );
    }
    server::spawn_background(&console, &config);
    if let Some(sign_on) = console.sign_on.clone() {
        tokio::spawn(async move { sign_on.check_at_start().await });
    }
    if let Some(addr) = config.metrics.addr {
        let metrics_listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|source| RunError::Listen { addr, source })?;
        tracing::info!(%addr, "serving /metrics");
        let state = console.served();
        let metrics_app = axum::Router::new().route(
            server::metrics::METRICS,
            axum::routing::get(move || server::metrics::open_metrics(state.clone())),
        );
        tokio::spawn(async move {
            if let Err(error) = axum::serve(metrics_listener, metrics_app).await {
                tracing::error!(%error, "the metrics listener stopped");
            }
        });
    }

    let app = server::app(&console, options, &config);
    let limits = server::listener::ConnectionLimits {
        header_timeout: config.serving.header_timeout,
        max_connections: config.serving.max_connections,
    };
    let stopping = console.stopping.clone();
    let draining = server::listener::serve(listener, app, limits, async move {
        server::stopping::signal().await;
        tracing::info!("shutting down: no new connections; open requests may finish");
        stopping.announce();
    })
    .await;
    let grace = config.serving.shutdown_grace;
    tokio::select! {
        () = draining => {}
        () = tokio::time::sleep(grace) => {
            tracing::warn!(grace_secs = grace.as_secs(), "requests still open after the shutdown grace are cut off");
        }
        () = server::stopping::signal() => {
            tracing::warn!("a second signal: stopping at once");
            std::process::exit(1);
        }
    }
    // In-flight requests have finished: write down token uses, then let
    // the database see a clean close.
    // Measured usage still waiting for its batch.
    console.gateway.meter.flush(&console.state).await;
    if let Err(error) = console.live_policy.flush(&console.state).await {
        tracing::error!(%error, "writing down token uses failed");
    }
    console.state.pool.close().await;
    tracing::info!("stopped");
    Ok(())
}

/// A database URL may carry a user and password; only the rest is logged.
fn redact_url(database_url: &str) -> String {
    match url::Url::parse(database_url) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            // Both only fail for URLs that cannot have credentials.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            url.to_string().replacen("://", "://…@", 1)
        }
        Ok(url) => url.to_string(),
        Err(_) => "(unparseable URL)".to_string(),
    }
}
