use crate::accounts::{
    server_fns::{setup_link_usable, CompleteSetup},
    AuthError,
};
use crate::boundary::Refusal;
use crate::components::{typed_after_refusal, ErrorCallout, NewPasswordFields};
use crate::paths::{SETUP, SIGN_IN};
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/setup?token=…`: where the link the server prints on its first start
/// leads. Creates the first admin; works once.
#[component]
pub fn SetupPage() -> impl IntoView {
    let query = use_query_map();
    let (token, error, sealed) = query.with_untracked(|q| {
        (
            q.get("token").unwrap_or_default(),
            q.get("error").and_then(|code| AuthError::from_code(&code)),
            q.get("typed"),
        )
    });
    let typed = typed_after_refusal(SETUP, error.is_some(), sealed);
    let usable = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        setup_link_usable,
    );

    view! {
        <Title text="Create the first admin · Workspace settings" />
        <main id="main" class="auth-page">
            <h1>"Create the first admin"</h1>
            <Suspense fallback=|| ()>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let typed = typed.await;
                        let name = typed.get("name").unwrap_or_default();
                        let email = typed.get("email").unwrap_or_default();
                        match usable.await {
                            Ok(true) => {
                                view! { <SetupForm token name email error /> }.into_any()
                            }
                            Ok(false) => view! { <DeadLink /> }.into_any(),
                            Err(error) => {
                                view! { <ErrorCallout message=error.to_string() /> }
                                    .into_any()
                            }
                        }
                    })
                }}
            </Suspense>
        </main>
    }
}

#[component]
fn SetupForm(
    token: String,
    name: String,
    email: String,
    error: Option<AuthError>,
) -> impl IntoView {
    view! {
        <p class="lead">
            "This one-time link creates the workspace's first admin account. After that, the link stops working."
        </p>
        {error
            .map(|error| {
                view! { <ErrorCallout message=error.to_string() /> }
            })}
        <form class="auth-form" method="post" action=CompleteSetup::PATH>
            <input type="hidden" name="token" value=token />
            <label for="name">"Your name"</label>
            <input id="name" name="name" type="text" autocomplete="name" required value=name />
            <label for="email">"E-mail address"</label>
            <input
                id="email"
                name="email"
                type="email"
                autocomplete="username"
                required
                value=email
            />
            <NewPasswordFields name="password" label="Password" />
            <button type="submit" class="button-primary">
                "Create admin account"
            </button>
        </form>
    }
}

#[component]
fn DeadLink() -> impl IntoView {
    view! {
        <ErrorCallout message=AuthError::SetupLinkInvalid.to_string() />
        <p>
            "If an admin account exists, " <a href=SIGN_IN>"sign in"</a>
            ". If none does yet, restart the server: it prints a new link. An operator can also run "
            <code>"server create-admin"</code> "."
        </p>
    }
}
