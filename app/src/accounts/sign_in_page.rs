use crate::accounts::{server_fns::SignIn, AuthError};
use crate::boundary::Refusal;
use crate::components::ErrorCallout;
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/login`: a plain form, complete without JavaScript.
#[component]
pub fn SignInPage() -> impl IntoView {
    let query = use_query_map();
    let (error, email, next, signed_out) = query.with_untracked(|q| {
        (
            q.get("error").and_then(|code| AuthError::from_code(&code)),
            q.get("email").unwrap_or_default(),
            q.get("next").unwrap_or_default(),
            q.get("signed_out").is_some(),
        )
    });
    view! {
        <Title text="Sign in · Workspace settings" />
        <main id="main" class="auth-page">
            <h1>"Sign in"</h1>
            <p class="lead">"Sign in to see and change this workspace's AI settings."</p>
            {signed_out
                .then(|| view! { <p class="callout" role="status">"You are signed out."</p> })}
            {error
                .map(|error| {
                    view! { <ErrorCallout message=error.to_string() /> }
                })}
            <form class="auth-form" method="post" action=SignIn::PATH>
                <input type="hidden" name="next" value=next />
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
        </main>
    }
}
