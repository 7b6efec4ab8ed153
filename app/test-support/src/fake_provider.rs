//! A model provider on loopback for tests: `/openai/v1`, `/openai-eu/v1`
//! and `/anthropic/v1` list models for the keys in `GOOD_KEYS` (Bearer, or
//! `x-api-key` for Anthropic) and answer 401 otherwise; `/slow/v1` answers
//! after 5 s, `/broken/v1` with 500. The second good key's list lacks two
//! models of the first's, as after a provider retires them.

use app::model_provider::rules::ProviderEndpoints;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use axum::{
    extract::{Path, State},
    http::{HeaderMap, StatusCode},
    routing::get,
    Router,
};

pub const GOOD_KEYS: [&str; 2] = ["sk-test-good-key-1111", "sk-test-good-key-2222"];

pub struct FakeProvider {
    pub base: String,
    requests: Arc<AtomicUsize>,
}

impl FakeProvider {
    pub async fn start() -> Self {
        let requests = Arc::new(AtomicUsize::new(0));
        let app = Router::new()
            .route("/{flavour}/v1/models", get(models))
            .with_state(requests.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await });
        FakeProvider { base, requests }
    }

    /// How many requests reached the fake so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn endpoints(&self) -> ProviderEndpoints {
        ProviderEndpoints {
            openai: format!("{}/openai/v1", self.base),
            openai_eu: format!("{}/openai-eu/v1", self.base),
            anthropic: format!("{}/anthropic/v1", self.base),
        }
    }

    pub fn url(&self, flavour: &str) -> String {
        format!("{}/{flavour}/v1", self.base)
    }
}

async fn models(
    State(requests): State<Arc<AtomicUsize>>,
    Path(flavour): Path<String>,
    headers: HeaderMap,
) -> (StatusCode, &'static str) {
    requests.fetch_add(1, Ordering::SeqCst);
    let header = |name: &str| {
        headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    };
    let key = match flavour.as_str() {
        "anthropic" => header("x-api-key").to_string(),
        _ => header("authorization")
            .trim_start_matches("Bearer ")
            .to_string(),
    };
    match flavour.as_str() {
        "slow" => {
            tokio::time::sleep(std::time::Duration::from_secs(5)).await;
            (StatusCode::OK, r#"{"data":[]}"#)
        }
        "broken" => (StatusCode::INTERNAL_SERVER_ERROR, "oops"),
        "anthropic" if GOOD_KEYS.contains(&key.as_str()) => (
            StatusCode::OK,
            r#"{"data":[{"id":"claude-sonnet-4","type":"model"},{"id":"claude-haiku-4","type":"model"}],"has_more":false}"#,
        ),
        // The second key's account no longer offers two of the first's.
        _ if key == GOOD_KEYS[1] => (
            StatusCode::OK,
            r#"{"object":"list","data":[{"id":"gpt-4o"},{"id":"gpt-4.1"}]}"#,
        ),
        _ if GOOD_KEYS.contains(&key.as_str()) => (
            StatusCode::OK,
            r#"{"object":"list","data":[{"id":"gpt-4o"},{"id":"gpt-4o-mini"},{"id":"o3-mini"}]}"#,
        ),
        _ => (StatusCode::UNAUTHORIZED, r#"{"error":"invalid key"}"#),
    }
}
