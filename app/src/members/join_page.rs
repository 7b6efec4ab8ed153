use crate::accounts::AuthError;
use crate::boundary::Refusal;
use crate::components::{typed_after_refusal, ErrorCallout, NewPasswordFields};
use crate::members::server_fns::{load_invitation, AcceptInvitation};
use crate::members::InvitationSummary;
use crate::paths::{JOIN, SIGN_IN};
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/join?token=…`: where an invitation link leads. The invited person
/// chooses their name and password; the link then stops working.
#[component]
pub fn JoinPage() -> impl IntoView {
    let query = use_query_map();
    let (token, error, sealed) = query.with_untracked(|q| {
        (
            q.get("token").unwrap_or_default(),
            q.get("error").and_then(|code| AuthError::from_code(&code)),
            q.get("typed"),
        )
    });
    let typed = typed_after_refusal(JOIN, error.is_some(), sealed);
    let invitation = Resource::new_blocking(
        {
            let token = token.clone();
            move || token.clone()
        },
        load_invitation,
    );

    view! {
        <Title text="Join the workspace · Workspace settings" />
        <main id="main" class="auth-page">
            <Suspense fallback=|| ()>
                {move || {
                    let token = token.clone();
                    Suspend::new(async move {
                        let name = typed.await.get("name").unwrap_or_default();
                        match invitation.await {
                            Ok(invitation) => {
                                view! { <JoinForm invitation token name error /> }.into_any()
                            }
                            Err(error) => {
                                view! {
                                    <h1>"Join the workspace"</h1>
                                    <ErrorCallout message=error.to_string() />
                                    <p>
                                        "Already have an account? " <a href=SIGN_IN>"Sign in"</a>
                                        "."
                                    </p>
                                }
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
fn JoinForm(
    invitation: InvitationSummary,
    token: String,
    name: String,
    error: Option<AuthError>,
) -> impl IntoView {
    view! {
        <h1>{format!("Join {}", invitation.workspace_name)}</h1>
        <p class="lead">
            {format!(
                "{} invited {} as {}. Choose your name and a password; this link then stops working.",
                invitation.invited_by,
                invitation.email,
                invitation.role.label().to_lowercase(),
            )}
        </p>
        {error.map(|error| view! { <ErrorCallout message=error.to_string() /> })}
        <form class="auth-form" method="post" action=AcceptInvitation::PATH>
            <input type="hidden" name="token" value=token />
            <label for="email">"E-mail address"</label>
            <input
                id="email"
                type="email"
                autocomplete="username"
                readonly
                value=invitation.email
            />
            <label for="name">"Your name"</label>
            <input id="name" name="name" type="text" autocomplete="name" required value=name />
            <NewPasswordFields name="password" label="Password" />
            <button type="submit" class="button-primary">
                "Create account and join"
            </button>
        </form>
    }
}
