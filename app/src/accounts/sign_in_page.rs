use crate::accounts::{server_fns::SignIn, AuthError};
use crate::boundary::Refusal;
use crate::components::{typed_after_refusal, ErrorCallout};
use crate::paths::SIGN_IN;
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// How people may sign in on this deployment.
struct SignInWays {
    /// The identity provider's name on its button, if single sign-on is
    /// set up.
    single_sign_on: Option<String>,
    password: bool,
}

/// Read from the deployment: this page is rendered on the server only.
fn sign_in_ways() -> SignInWays {
    #[cfg(feature = "ssr")]
    if let Some(state) = crate::state::current() {
        return SignInWays {
            single_sign_on: state
                .deployment
                .single_sign_on
                .as_ref()
                .map(|sso| sso.name.clone()),
            password: state.deployment.password_sign_in,
        };
    }
    SignInWays {
        single_sign_on: None,
        password: true,
    }
}

/// Where the single sign-on button starts (`server/src/single_sign_on.rs`).
const SIGN_ON_START: &str = "/auth/oidc/start";

/// `/login`: a plain form, complete without JavaScript, and the single
/// sign-on button where the operator set it up.
#[component]
pub fn SignInPage() -> impl IntoView {
    let ways = sign_in_ways();
    let query = use_query_map();
    let (error, next, signed_out, deleted, sealed) = query.with_untracked(|q| {
        (
            q.get("error").and_then(|code| AuthError::from_code(&code)),
            q.get("next").unwrap_or_default(),
            q.get("signed_out").is_some(),
            q.get("deleted").is_some(),
            q.get("typed"),
        )
    });
    // The address typed before the refusal, sealed in the URL.
    let typed = typed_after_refusal(SIGN_IN, error.is_some(), sealed);
    view! {
        <Title text="Sign in · Workspace settings" />
        <main id="main" class="auth-page">
            <h1>"Sign in"</h1>
            <p class="lead">"Sign in to see and change this workspace's AI settings."</p>
            {signed_out
                .then(|| view! { <p class="callout" role="status">"You are signed out."</p> })}
            {deleted
                .then(|| {
                    view! {
                        <p class="callout" role="status">
                            "Your account was deleted and your name and e-mail address were erased from the console."
                        </p>
                    }
                })}
            {error
                .map(|error| {
                    view! { <ErrorCallout message=error.to_string() /> }
                })}
            {ways
                .single_sign_on
                .map(|name| {
                    let start = format!(
                        "{SIGN_ON_START}?next={}",
                        crate::paths::query_value(&next),
                    );
                    view! {
                        <p class="sign-on">
                            <a class="button-primary" href=start>
                                {format!("Sign in with {name}")}
                            </a>
                        </p>
                    }
                })}
            {(!ways.password)
                .then(|| {
                    view! {
                        <p class="muted" id="password-sign-in-off">
                            "Signing in with a password is turned off here. Operators can still create an admin account on the server with "
                            <code>"server create-admin"</code>
                            "."
                        </p>
                    }
                })}
            {ways
                .password
                .then(|| {
                    view! {
                <Suspense fallback=|| ()>
                {move || {
                let next = next.clone();
                Suspend::new(async move {
                let email = typed.await.get("email").unwrap_or_default();
                view! {
                <form class="auth-form" method="post" action=SignIn::PATH>
                    <input type="hidden" name="next" value=next.clone() />
                    <label for="email">"E-mail address"</label>
                    <input
                        id="email"
                        name="email"
                        type="email"
                        autocomplete="username"
                        required
                        value=email
                    />
                    <label for="password">"Password"</label>
                    <input
                        id="password"
                        name="password"
                        type="password"
                        autocomplete="current-password"
                        required
                    />
                    <button type="submit" class="button-primary">
                        "Sign in"
                    </button>
                </form>
                }
                })
                }}
                </Suspense>
                    }
                })}
        </main>
    }
}
