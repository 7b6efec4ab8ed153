//! Real server processes for tests that need one: several replicas on one
//! database, floods measured from outside, processes killed mid-write.

use reqwest::{header, redirect, StatusCode};
use std::net::TcpListener;
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "a long enough password";
pub const MANAGED_OPENAI_KEY: &str = "sk-managed-openai-processes";

/// A server process, killed when the test ends however it ends.
pub struct Replica {
    pub process: Child,
    pub base: String,
}

impl Drop for Replica {
    fn drop(&mut self) {
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

/// What every replica of a test shares besides the database.
pub struct Shared {
    pub master_key: String,
    /// OpenAI's API, a loopback fake: workspace keys can be verified.
    pub openai: String,
}

pub fn server_command(data_dir: &Path, database_url: &str, shared: &Shared) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_server"));
    command
        .env_clear()
        .env("PATH", std::env::var_os("PATH").unwrap_or_default())
        .env("AI_PLAN", "enterprise")
        .env("AI_OPENAI_BASE_URL", &shared.openai)
        // The managed provider's key, for calls through the gateway.
        .env("AI_MANAGED_OPENAI_API_KEY", MANAGED_OPENAI_KEY)
        .env("AI_CONSOLE_DATA_DIR", data_dir)
        .env("DATABASE_URL", database_url)
        .env("AI_CONSOLE_MASTER_KEY", &shared.master_key)
        .env("LEPTOS_OUTPUT_NAME", "ai-console")
        .env("LEPTOS_SITE_ROOT", data_dir.join("site"))
        .env("RUST_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::null());
    command
}

pub fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

pub async fn start_replica(data_dir: &Path, database_url: &str, shared: &Shared) -> Replica {
    start_server(data_dir, database_url, shared, None).await
}

/// A server process whose output (log included) goes to `output`, if
/// given; it is ready when this returns.
pub async fn start_server(
    data_dir: &Path,
    database_url: &str,
    shared: &Shared,
    output: Option<&std::fs::File>,
) -> Replica {
    start_with(data_dir, database_url, shared, output, &[]).await
}

/// A server process with the variables `env` set besides the usual ones;
/// ready when this returns.
pub async fn start_configured(
    data_dir: &Path,
    database_url: &str,
    shared: &Shared,
    env: &[(&str, &str)],
) -> Replica {
    start_with(data_dir, database_url, shared, None, env).await
}

async fn start_with(
    data_dir: &Path,
    database_url: &str,
    shared: &Shared,
    output: Option<&std::fs::File>,
    env: &[(&str, &str)],
) -> Replica {
    std::fs::create_dir_all(data_dir).unwrap();
    let port = free_port();
    let mut command = server_command(data_dir, database_url, shared);
    command.env("LEPTOS_SITE_ADDR", format!("127.0.0.1:{port}"));
    command.envs(env.iter().copied());
    if let Some(output) = output {
        command
            .env("RUST_LOG", "info")
            .stdout(output.try_clone().unwrap())
            .stderr(output.try_clone().unwrap());
    }
    let process = command.spawn().expect("the server binary starts");
    let replica = Replica {
        process,
        base: format!("http://127.0.0.1:{port}"),
    };
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let ready = reqwest::get(format!("{}/readyz", replica.base)).await;
        if matches!(&ready, Ok(response) if response.status() == StatusCode::OK) {
            return replica;
        }
        assert!(
            Instant::now() < deadline,
            "{} never became ready",
            replica.base
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// An admin (`ada@example.com`, `PASSWORD`) and one server process on a
/// fresh database at `database_url`, ready.
pub async fn one_server(dir: &Path, database_url: &str) -> Replica {
    let shared = Shared {
        master_key: app::model_provider::cipher::MasterKeys::generate_entry(),
        openai: "http://127.0.0.1:9/v1".into(),
    };
    create_admin(dir, database_url, &shared);
    start_replica(&dir.join("server"), database_url, &shared).await
}

/// What the processes of a fresh console share (a new master key, OpenAI
/// at `openai`), with its first admin made.
pub fn with_first_admin(dir: &Path, database_url: &str, openai: String) -> Shared {
    let shared = Shared {
        master_key: app::model_provider::cipher::MasterKeys::generate_entry(),
        openai,
    };
    create_admin(dir, database_url, &shared);
    shared
}

/// Creates the admin `ada@example.com` with the command line.
pub fn create_admin(dir: &Path, database_url: &str, shared: &Shared) {
    let created = server_command(&dir.join("admin"), database_url, shared)
        .args([
            "create-admin",
            "--email",
            "ada@example.com",
            "--name",
            "Ada",
        ])
        .env("AI_CONSOLE_NEW_PASSWORD", PASSWORD)
        .status()
        .unwrap();
    assert!(created.success(), "create-admin");
}

/// The sign-in form as the admin fills it in.
pub fn sign_in_form() -> String {
    format!(
        "email=ada@example.com&password={}&next=/settings/ai",
        PASSWORD.replace(' ', "+")
    )
}

/// A form as one of the console's own pages posts it, without a cookie;
/// `accept` says whether a browser (`text/html`) or the page's script
/// (`application/json`) sends it.
pub fn form_post(
    client: &reqwest::Client,
    base: &str,
    path: &str,
    form: &str,
    accept: &str,
) -> reqwest::RequestBuilder {
    client
        .post(format!("{base}{path}"))
        .header(header::ORIGIN, base)
        .header("sec-fetch-site", "same-origin")
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header(header::ACCEPT, accept)
        .header(header::REFERER, format!("{base}/settings/ai"))
        .body(form.to_string())
}

/// A browser that moves between replicas, as behind a load balancer.
pub struct Browser {
    pub client: reqwest::Client,
    pub cookie: Option<String>,
}

impl Browser {
    pub fn new() -> Self {
        let client = reqwest::Client::builder()
            .redirect(redirect::Policy::none())
            .build()
            .unwrap();
        Self {
            client,
            cookie: None,
        }
    }

    pub fn keep_cookie(&mut self, response: &reqwest::Response) {
        if let Some(set) = response.headers().get(header::SET_COOKIE) {
            let pair = set.to_str().unwrap().split(';').next().unwrap();
            self.cookie = (!pair.ends_with('=')).then(|| pair.to_string());
        }
    }

    pub async fn get(&mut self, replica: &Replica, path: &str) -> String {
        let mut request = self.client.get(format!("{}{path}", replica.base));
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let response = request.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK, "GET {path}");
        self.keep_cookie(&response);
        response.text().await.unwrap()
    }

    /// A form posted by one of the console's own pages; returns where the
    /// answer sends the browser.
    pub async fn post(&mut self, replica: &Replica, path: &str, form: &str) -> String {
        let mut request = form_post(&self.client, &replica.base, path, form, "text/html");
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let response = request.send().await.unwrap();
        assert!(
            response.status().is_redirection(),
            "POST {path}: {}",
            response.status()
        );
        self.keep_cookie(&response);
        response.headers()[header::LOCATION]
            .to_str()
            .unwrap()
            .to_string()
    }

    /// A browser signed in as the first admin.
    pub async fn signed_in(replica: &Replica) -> Self {
        let mut browser = Browser::new();
        browser
            .post(replica, "/api/account/sign-in", &sign_in_form())
            .await;
        browser
    }

    /// Saves the AI switch as the page's script does: the new version when
    /// acknowledged, else the refusal's status; `None` when no answer came
    /// (the server is gone or stopping).
    pub async fn save_switch(
        &self,
        base: &str,
        on: bool,
        version: i64,
    ) -> Option<Result<i64, StatusCode>> {
        let form = format!("enabled={on}&version={version}");
        let path = "/api/settings/ai/enabled";
        let mut request = form_post(&self.client, base, path, &form, "application/json");
        if let Some(cookie) = &self.cookie {
            request = request.header(header::COOKIE, cookie);
        }
        let response = request.send().await.ok()?;
        let status = response.status();
        if status != StatusCode::OK {
            return Some(Err(status));
        }
        let saved: serde_json::Value = serde_json::from_str(&response.text().await.ok()?).ok()?;
        Some(Ok(saved["version"].as_i64()?))
    }

    /// A service token made on the API access page with the token form
    /// `form` (e.g. `name=Reporter`), as the page shows it once.
    pub async fn new_token(&mut self, replica: &Replica, form: &str) -> String {
        self.post(replica, "/api/api-access/create", form).await;
        let page = self.get(replica, "/settings/api").await;
        let start = page.find("aic_").expect("the new token is shown");
        page[start..]
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    }
}
