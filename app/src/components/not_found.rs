use crate::components::SettingsShell;
use crate::paths::{Section, AI_SETTINGS};
use leptos::prelude::*;
use leptos_meta::Title;

/// The page for paths the console does not have.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found" />
        <SettingsShell viewer=None current=Section::None>
            <h1>"Page not found"</h1>
            <p>
                "There is nothing at this address. "
                <a href=AI_SETTINGS>"Go to the AI & agents settings"</a>
                "."
            </p>
        </SettingsShell>
    }
}
