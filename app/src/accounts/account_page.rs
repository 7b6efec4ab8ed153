use crate::accounts::{
    server_fns::{load_account, ChangePassword, ChangeProfile, DeleteOwnAccount},
    AccountNotice, AccountSummary, AuthError,
};
use crate::boundary::Refusal;
use crate::components::{typed_after_refusal, NewPasswordFields, Outcome, SettingsShell};
use crate::paths::{Section, ACCOUNT, ACCOUNT_DATA, PRIVACY};
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// What the page's plain forms were sent back with.
#[derive(Clone, Default)]
struct Returned {
    password_changed: bool,
    password_error: Option<AuthError>,
    notice: Option<AccountNotice>,
    profile_error: Option<AuthError>,
    typed_name: Option<String>,
    typed_email: Option<String>,
    delete_error: Option<AuthError>,
}

/// `/settings/account`: the signed-in person's own account and data.
/// Plain forms, complete without JavaScript.
#[component]
pub fn AccountPage() -> impl IntoView {
    let query = use_query_map();
    let returned = query.with_untracked(|q| {
        let error = |key: &str| q.get(key).and_then(|code| AuthError::from_code(&code));
        Returned {
            password_changed: q.get("changed").is_some(),
            password_error: error("error"),
            notice: q
                .get("done")
                .and_then(|code| AccountNotice::from_code(&code)),
            profile_error: error("profile_error"),
            typed_name: None,
            typed_email: None,
            delete_error: error("delete_error"),
        }
    });
    let typed = typed_after_refusal(ACCOUNT, returned.profile_error.is_some(), None);
    let account = Resource::new_blocking(|| (), |_| load_account());

    view! {
        <Title text="Your account · Workspace settings" />
        <Suspense fallback=|| ()>
            {move || {
                let mut returned = returned.clone();
                Suspend::new(async move {
                    let typed = typed.await;
                    returned.typed_name = typed.get("name");
                    returned.typed_email = typed.get("email");
                    let account = account.await.ok();
                    let viewer = account.as_ref().map(|account| account.viewer.clone());
                    let name = viewer.as_ref().map(|viewer| viewer.name.clone()).unwrap_or_default();
                    view! {
                        <SettingsShell viewer current=Section::Account>
                            <header class="page-header">
                                <h1>"Your account"</h1>
                                <p class="lead">{format!("Signed in as {name}.")}</p>
                            </header>
                            {account
                                .map(|account| {
                                    view! {
                                        <Profile account=account.clone() returned=returned.clone() />
                                        {(!account.signs_in_with_sign_on)
                                            .then(|| view! { <Password returned=returned.clone() /> })}
                                        <YourData />
                                        <DeleteAccount account returned />
                                    }
                                })}
                        </SettingsShell>
                    }
                })
            }}
        </Suspense>
    }
}

#[component]
fn Profile(account: AccountSummary, returned: Returned) -> impl IntoView {
    let name = returned.typed_name.unwrap_or(account.viewer.name);
    let email = returned.typed_email.unwrap_or(account.email);
    let sign_on = account.signs_in_with_sign_on;
    view! {
        <section class="setting" aria-labelledby="profile-title">
            <h2 id="profile-title">"Name and e-mail address"</h2>
            <p class="setting-description">
                {if sign_on {
                    "Your name shows on the Members page and in the activity log. Your e-mail address comes from your organisation's sign-in."
                } else {
                    "Your name shows on the Members page and in the activity log. A new e-mail address is what you sign in with from then on, so it needs your current password."
                }}
            </p>
            <Outcome
                notice=returned.notice.map(AccountNotice::message)
                error=returned.profile_error.map(|error| error.to_string())
            />
            <form class="auth-form" method="post" action=ChangeProfile::PATH>
                <label for="profile_name">"Name"</label>
                <input id="profile_name" name="name" autocomplete="name" required value=name />
                <label for="profile_email">"E-mail address"</label>
                <input
                    id="profile_email"
                    name="email"
                    type="email"
                    autocomplete="email"
                    required
                    value=email
                    readonly=sign_on
                />
                {(!sign_on)
                    .then(|| {
                        view! {
                            <label for="profile_password">
                                "Password, to confirm a new e-mail address"
                            </label>
                            <input
                                id="profile_password"
                                name="current_password"
                                type="password"
                                autocomplete="current-password"
                            />
                        }
                    })}
                <button type="submit" class="button-primary">
                    "Save name and e-mail"
                </button>
            </form>
        </section>
    }
}

#[component]
fn Password(returned: Returned) -> impl IntoView {
    view! {
        <section class="setting" aria-labelledby="password-title">
            <h2 id="password-title">"Change your password"</h2>
            <p class="setting-description">
                "Changing it signs you out everywhere else; this browser stays signed in."
            </p>
            <Outcome
                notice=returned
                    .password_changed
                    .then_some("Your password was changed. Every other session was signed out.")
                error=returned.password_error.map(|error| error.to_string())
            />
            <form class="auth-form" method="post" action=ChangePassword::PATH>
                <label for="current_password">"Current password"</label>
                <input
                    id="current_password"
                    name="current_password"
                    type="password"
                    autocomplete="current-password"
                    required
                />
                <NewPasswordFields name="new_password" label="New password" />
                <button type="submit" class="button-primary">
                    "Change password"
                </button>
            </form>
        </section>
    }
}

#[component]
fn YourData() -> impl IntoView {
    view! {
        <section class="setting" aria-labelledby="data-title">
            <h2 id="data-title">"Your data"</h2>
            <p class="setting-description">
                "One JSON file with everything this console keeps about you: your account, the browsers signed in to it, the changes you made, the invitations you sent and the service tokens you created. Never a password, token or key. "
                <a href=PRIVACY>"How the console handles personal data"</a>
            </p>
            <a class="button-secondary" href=ACCOUNT_DATA download="my-data.json">
                "Download your data"
            </a>
        </section>
    }
}

#[component]
fn DeleteAccount(account: AccountSummary, returned: Returned) -> impl IntoView {
    let sign_on = account.signs_in_with_sign_on;
    let (label, kind, autocomplete) = if sign_on {
        ("Type your e-mail address to confirm", "email", "off")
    } else {
        ("Your password", "password", "current-password")
    };
    view! {
        <section class="setting" id="delete" aria-labelledby="delete-title">
            <h2 id="delete-title">"Delete your account"</h2>
            <p class="setting-description">
                "Your account, sessions and the invitations you sent are deleted, and your name and e-mail address are erased everywhere in the console. The activity log keeps what was done, shown as \"Former member\" and a number. This cannot be undone. If you are the workspace's only admin, make someone else an admin first."
            </p>
            <Outcome notice=None error=returned.delete_error.map(|error| error.to_string()) />
            <details class="confirm" open=returned.delete_error.is_some()>
                <summary>"Delete my account…"</summary>
                <form class="auth-form" method="post" action=DeleteOwnAccount::PATH>
                    <label for="delete_confirmation">{label}</label>
                    <input
                        id="delete_confirmation"
                        name="confirmation"
                        type=kind
                        autocomplete=autocomplete
                        required
                    />
                    <button type="submit" class="button-danger">
                        "Delete my account and my data"
                    </button>
                </form>
            </details>
        </section>
    }
}
