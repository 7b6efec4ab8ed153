//! Sign-in through the organisation's identity provider: OpenID Connect's
//! authorization code flow with PKCE, its `state` and `nonce` checked and
//! the ID token's signature and claims verified by a kept library
//! (`openidconnect`). What a verified person becomes (the role their
//! groups map to, the account they are linked to) is decided in
//! `app::accounts::single_sign_on`.
//!
//! `GET /auth/oidc/start?next=…` sends the browser to the provider;
//! `GET /auth/oidc/callback` finishes there and signs the person in on the
//! console's own session (its id cycled). Any failure lands on the sign-in
//! page with a plain reason, and a log line; nothing is half-created.

use app::accounts::single_sign_on::{SingleSignOn, VerifiedPerson};
use app::accounts::{safe_next, session, AuthError};
use app::boundary::Refusal;
use app::paths::{query_value, SIGN_IN};
use app::state::AppState;
use app::use_cases::sign_on::sign_in_verified;
use axum::response::{IntoResponse, Redirect, Response};
use base64::Engine;
use openidconnect::core::{CoreAuthenticationFlow, CoreClient};
use openidconnect::{
    AuthorizationCode, ClientId, ClientSecret, CsrfToken, EndpointMaybeSet, EndpointNotSet,
    EndpointSet, IssuerUrl, Nonce, PkceCodeChallenge, PkceCodeVerifier, ProviderMetadataWithLogout,
    RedirectUrl, Scope, TokenResponse,
};
use secrecy::ExposeSecret;
use serde::{Deserialize, Serialize};
use std::sync::Arc;
use tokio::sync::RwLock;
use tower_sessions::Session;

/// Where the flow starts.
pub const START: &str = "/auth/oidc/start";
/// Where the provider sends the browser back (register this URI).
pub const CALLBACK: &str = "/auth/oidc/callback";
/// Where the callback continues, as a request from the console's own page.
pub const FINISH: &str = "/auth/oidc/finish";
/// The session slot of a flow under way.
const PENDING: &str = "single_sign_on.pending";

type Client = CoreClient<
    EndpointSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointMaybeSet,
    EndpointMaybeSet,
>;

/// The provider as discovered, with its client.
struct Discovered {
    client: Client,
    end_session: Option<url::Url>,
}

/// Single sign-on of one console: its configuration and, once read, the
/// provider's discovery document and keys.
pub struct SignOn {
    settings: Arc<SingleSignOn>,
    redirect: RedirectUrl,
    /// Where the provider sends people after signing out there.
    after_sign_out: String,
    http: reqwest::Client,
    discovered: RwLock<Option<Arc<Discovered>>>,
}

/// A flow under way, kept in the session between the two requests.
#[derive(Serialize, Deserialize)]
struct Pending {
    state: String,
    nonce: String,
    verifier: String,
    next: String,
}

fn to_sign_in(error: AuthError, next: &str) -> Response {
    Redirect::to(&format!(
        "{SIGN_IN}?error={}&next={}",
        error.code(),
        query_value(next)
    ))
    .into_response()
}

impl SignOn {
    /// Single sign-on for a console reached at `base_url`.
    pub fn new(settings: Arc<SingleSignOn>, base_url: &str) -> Result<Self, String> {
        let redirect = RedirectUrl::new(format!("{}{CALLBACK}", base_url.trim_end_matches('/')))
            .map_err(|error| format!("the sign-on callback address: {error}"))?;
        let http = reqwest::Client::builder()
            // Following redirects would let a provider send the console's
            // requests anywhere.
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(10))
            .build()
            .map_err(|error| format!("the HTTP client: {error}"))?;
        Ok(SignOn {
            settings,
            redirect,
            after_sign_out: format!("{}{SIGN_IN}?signed_out=1", base_url.trim_end_matches('/')),
            http,
            discovered: RwLock::new(None),
        })
    }

    /// The provider's configuration, read once (and again after a failure).
    async fn discovered(&self) -> Result<Arc<Discovered>, AuthError> {
        if let Some(known) = self.discovered.read().await.as_ref() {
            return Ok(known.clone());
        }
        let issuer = IssuerUrl::new(self.settings.issuer.clone()).map_err(|error| {
            tracing::error!(%error, "AI_OIDC_ISSUER is not a URL the sign-on library takes");
            AuthError::SignOnUnreachable
        })?;
        let metadata = ProviderMetadataWithLogout::discover_async(issuer, &self.http)
            .await
            .map_err(|error| {
                tracing::error!(error = %error, issuer = %self.settings.issuer, "reading the identity provider's discovery document failed");
                AuthError::SignOnUnreachable
            })?;
        let end_session = metadata
            .additional_metadata()
            .end_session_endpoint
            .as_ref()
            .map(|url| url.url().clone());
        let client = CoreClient::from_provider_metadata(
            metadata,
            ClientId::new(self.settings.client_id.clone()),
            Some(ClientSecret::new(
                self.settings.client_secret.expose_secret().to_string(),
            )),
        )
        .set_redirect_uri(self.redirect.clone());
        let discovered = Arc::new(Discovered {
            client,
            end_session,
        });
        *self.discovered.write().await = Some(discovered.clone());
        Ok(discovered)
    }

    /// Reads the provider's configuration now, so a wrong issuer shows in
    /// the log at start-up (the console starts anyway: password sign-in
    /// may still work, and the next sign-on tries again).
    pub async fn check_at_start(&self) {
        match self.discovered().await {
            Ok(_) => tracing::info!(issuer = %self.settings.issuer, "single sign-on ready"),
            Err(_) => {
                tracing::error!(issuer = %self.settings.issuer, "single sign-on is not available until the identity provider answers")
            }
        }
    }

    /// `GET /auth/oidc/start?next=…`.
    pub async fn start(&self, session: Session, next: Option<String>) -> Response {
        let next = safe_next(next.as_deref()).to_string();
        let discovered = match self.discovered().await {
            Ok(discovered) => discovered,
            Err(error) => return to_sign_in(error, &next),
        };
        let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
        let mut request = discovered.client.authorize_url(
            CoreAuthenticationFlow::AuthorizationCode,
            CsrfToken::new_random,
            Nonce::new_random,
        );
        for scope in &self.settings.scopes {
            request = request.add_scope(Scope::new(scope.clone()));
        }
        let (url, state, nonce) = request.set_pkce_challenge(challenge).url();
        let pending = Pending {
            state: state.secret().clone(),
            nonce: nonce.secret().clone(),
            verifier: verifier.secret().clone(),
            next: next.clone(),
        };
        if let Err(error) = session.insert(PENDING, pending).await {
            tracing::error!(%error, "keeping a sign-on in the session failed");
            return to_sign_in(AuthError::Unavailable, &next);
        }
        Redirect::to(url.as_str()).into_response()
    }

    /// `GET /auth/oidc/signed-out?to=…`: on to the provider's sign-out,
    /// if `to` is that address (anything else goes to the sign-in page:
    /// this is no open redirect).
    pub async fn signed_out(&self, to: Option<String>) -> Response {
        let signed_out = format!("{SIGN_IN}?signed_out=1");
        let Some(to) = to.and_then(|to| url::Url::parse(&to).ok()) else {
            return Redirect::to(&signed_out).into_response();
        };
        let expected = match self.discovered().await {
            Ok(discovered) => discovered.end_session.clone(),
            Err(_) => None,
        };
        let same_endpoint = expected.is_some_and(|expected| {
            expected.origin() == to.origin() && expected.path() == to.path()
        });
        if !same_endpoint {
            tracing::warn!("a sign-out asked to go somewhere other than the provider's sign-out");
            return Redirect::to(&signed_out).into_response();
        }
        hop_to(to.as_str(), "Signing you out…")
    }

    /// `GET /auth/oidc/finish?code=…&state=…` (or `?error=…`), reached
    /// from the callback's page.
    pub async fn callback(&self, state: &AppState, session: Session, answer: Answer) -> Response {
        let pending: Option<Pending> = session.remove(PENDING).await.unwrap_or_else(|error| {
            tracing::error!(%error, "reading a sign-on from the session failed");
            None
        });
        let Some(pending) = pending else {
            tracing::warn!("a sign-on came back with no sign-on under way in this session");
            return to_sign_in(AuthError::SignOnExpired, "");
        };
        let next = pending.next.clone();
        if let Some(error) = &answer.error {
            // The provider's words are logged, never shown as they are.
            tracing::info!(error = %error, description = ?answer.error_description, "the identity provider refused the sign-in");
            return to_sign_in(AuthError::SignOnDenied, &next);
        }
        if answer.state.as_deref() != Some(pending.state.as_str()) {
            tracing::warn!("a sign-on came back with a state that is not this session's");
            return to_sign_in(AuthError::SignOnExpired, &next);
        }
        let Some(code) = answer.code else {
            return to_sign_in(AuthError::SignOnDenied, &next);
        };
        match self.finish(state, &session, pending, code).await {
            Ok(()) => Redirect::to(&next).into_response(),
            Err(error) => to_sign_in(error, &next),
        }
    }

    async fn finish(
        &self,
        state: &AppState,
        session: &Session,
        pending: Pending,
        code: String,
    ) -> Result<(), AuthError> {
        let discovered = self.discovered().await?;
        let exchange = discovered
            .client
            .exchange_code(AuthorizationCode::new(code))
            .map_err(|error| {
                tracing::error!(%error, "the identity provider has no token endpoint");
                AuthError::SignOnUnreachable
            })?
            .set_pkce_verifier(PkceCodeVerifier::new(pending.verifier))
            .request_async(&self.http)
            .await
            .map_err(|error| {
                // An expired or reused code, or the provider gone.
                tracing::warn!(error = %error, "exchanging the sign-on code failed");
                AuthError::SignOnExpired
            })?;
        let id_token = exchange.id_token().ok_or_else(|| {
            tracing::warn!("the identity provider answered without an ID token");
            AuthError::SignOnIncomplete
        })?;
        let verifier = discovered.client.id_token_verifier();
        let claims = id_token
            .claims(&verifier, &Nonce::new(pending.nonce))
            .map_err(|error| {
                tracing::warn!(error = %error, "the ID token did not verify");
                AuthError::SignOnExpired
            })?;
        // The groups claim is not a standard one: read from the token the
        // library has just verified.
        let groups = claim_list(&id_token.to_string(), &self.settings.groups_claim);
        let person = VerifiedPerson {
            issuer: claims.issuer().to_string(),
            subject: claims.subject().to_string(),
            email: claims.email().map(|email| email.to_string()),
            email_verified: claims.email_verified().unwrap_or(false),
            name: claims
                .name()
                .and_then(|names| names.get(None))
                .map(|name| name.to_string()),
            groups,
        };
        let user_id = sign_in_verified(state, &self.settings, &person).await?;
        session::sign_in(state, session, &user_id)
            .await
            .map_err(|error| {
                tracing::error!(%error, "starting a session failed");
                AuthError::Unavailable
            })?;
        if let Some(end_session) = &discovered.end_session {
            let mut url = end_session.clone();
            url.query_pairs_mut()
                .append_pair("id_token_hint", &id_token.to_string())
                .append_pair("post_logout_redirect_uri", &self.after_sign_out)
                .append_pair("client_id", &self.settings.client_id);
            let _ = session
                .insert(session::SIGN_ON_END_SESSION, url.to_string())
                .await;
        }
        tracing::info!(subject = %person.subject, "signed in through single sign-on");
        Ok(())
    }
}

/// `GET /auth/oidc/callback`: one step back onto the console's own site.
/// The provider's redirect is a navigation from another site, on which the
/// browser withholds the console's `SameSite=Strict` session cookie (and a
/// session begun there would be withheld on the next page too); a page of
/// the console's own that moves on at once makes the rest same-site.
pub fn hop(query: Option<String>) -> Response {
    hop_to(
        &format!("{FINISH}?{}", query.unwrap_or_default()),
        "Signing you in…",
    )
}

/// A page of the console's own that moves on to `target` at once.
fn hop_to(target: &str, saying: &str) -> Response {
    let escaped = target
        .replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;");
    let page = format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta http-equiv=\"refresh\" content=\"0;url={escaped}\">\
         <link rel=\"icon\" href=\"/favicon.svg\" type=\"image/svg+xml\">\
         <title>{saying} · Workspace settings</title></head><body>\
         <p>{saying} <a href=\"{escaped}\">Continue</a></p></body></html>"
    );
    // No-store and a same-origin referrer policy come with every page.
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/html; charset=utf-8"),
            // Nothing runs or loads here but the console's icon.
            (
                axum::http::header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; img-src 'self'; frame-ancestors 'none'; base-uri 'none'",
            ),
        ],
        page,
    )
        .into_response()
}

/// What the provider sends back to the callback.
#[derive(Debug, Default, Deserialize)]
pub struct Answer {
    pub code: Option<String>,
    pub state: Option<String>,
    pub error: Option<String>,
    pub error_description: Option<String>,
}

/// The list of strings in `claim` of a JWT's payload (a single string
/// counts as a list of one; anything else as none).
fn claim_list(jwt: &str, claim: &str) -> Vec<String> {
    let payload = jwt
        .split('.')
        .nth(1)
        .and_then(|part| {
            base64::engine::general_purpose::URL_SAFE_NO_PAD
                .decode(part)
                .ok()
        })
        .and_then(|bytes| serde_json::from_slice::<serde_json::Value>(&bytes).ok());
    match payload.as_ref().and_then(|payload| payload.get(claim)) {
        Some(serde_json::Value::Array(values)) => values
            .iter()
            .filter_map(|value| value.as_str().map(str::to_string))
            .collect(),
        Some(serde_json::Value::String(value)) => vec![value.clone()],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        let encode = |text: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(text);
        format!("{}.{}.sig", encode(r#"{"alg":"RS256"}"#), encode(payload))
    }

    #[test]
    fn groups_are_read_from_lists_and_single_values() {
        assert_eq!(
            claim_list(&jwt(r#"{"groups":["a","b",3]}"#), "groups"),
            ["a", "b"]
        );
        assert_eq!(
            claim_list(&jwt(r#"{"roles":"admins"}"#), "roles"),
            ["admins"]
        );
        assert!(claim_list(&jwt(r#"{"groups":{"a":1}}"#), "groups").is_empty());
        assert!(claim_list(&jwt(r#"{}"#), "groups").is_empty());
        assert!(claim_list("not a token", "groups").is_empty());
    }
}
