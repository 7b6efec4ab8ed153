use crate::accounts::{
    server_fns::{load_viewer, ChangePassword},
    AuthError,
};
use crate::boundary::Refusal;
use crate::components::{ErrorCallout, NewPasswordFields, SettingsShell};
use crate::routes::Section;
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// `/settings/account`: the signed-in person's own account. A plain form,
/// complete without JavaScript.
#[component]
pub fn AccountPage() -> impl IntoView {
    let query = use_query_map();
    let (changed, error) = query.with_untracked(|q| {
        (
            q.get("changed").is_some(),
            q.get("error").and_then(|code| AuthError::from_code(&code)),
        )
    });
    let viewer = Resource::new_blocking(|| (), |_| load_viewer());

    view! {
        <Title text="Your account · Workspace settings" />
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                let viewer = viewer.await;
                let name = viewer.as_ref().map(|viewer| viewer.name.clone()).unwrap_or_default();
                view! {
                    <SettingsShell viewer=viewer.ok() current=Section::Account>
                        <header class="page-header">
                            <h1>"Your account"</h1>
                            <p class="lead">{format!("Signed in as {name}.")}</p>
                        </header>
                        <section class="setting" aria-labelledby="password-title">
                            <h2 id="password-title">"Change your password"</h2>
                            <p class="setting-description">
                                "Changing it signs you out everywhere else; this browser stays signed in."
                            </p>
                            {changed
                                .then(|| {
                                    view! {
                                        <p class="callout" role="status">
                                            "Your password was changed. Every other session was signed out."
                                        </p>
                                    }
                                })}
                            {error.map(|error| view! { <ErrorCallout message=error.to_string() /> })}
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
                    </SettingsShell>
                }
            })}
        </Suspense>
    }
}
