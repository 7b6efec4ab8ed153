//! The doors from the page to the settings service, one server function a
//! file. They stay thin: find the request's state, call the service, and for
//! a form posted without JavaScript, redirect back to the page with the
//! outcome in the URL so the page can say what happened.

mod load_ai_settings;
mod set_ai_enabled;
mod set_training_allowed;

pub use load_ai_settings::{load_ai_settings, LoadAiSettings, SettingsSnapshot};
pub use set_ai_enabled::{set_ai_enabled, SetAiEnabled};
pub use set_training_allowed::{set_training_allowed, SetTrainingAllowed};

#[cfg(feature = "ssr")]
mod switch_save {
    use crate::accounts::session;
    use crate::domain::{SavedSwitch, SwitchSetting};
    use crate::outcome::SaveNotice;
    use crate::settings::{service, SaveError};
    use crate::state::{self, AppState};
    use http::{header::ACCEPT, request::Parts};
    use leptos::prelude::use_context;

    /// A form posted by the browser itself (no JavaScript) asks for HTML;
    /// the page's own script asks for the server function's encoding.
    fn is_plain_form_post() -> bool {
        use_context::<Parts>()
            .and_then(|parts| {
                parts
                    .headers
                    .get(ACCEPT)
                    .and_then(|accept| accept.to_str().ok())
                    .map(|accept| accept.contains("text/html"))
            })
            .unwrap_or(false)
    }

    /// Saves one switch for the current request's workspace. A browser
    /// without JavaScript is then sent back to the page, which shows the
    /// outcome next to the setting.
    pub async fn save(
        setting: SwitchSetting,
        value: bool,
        based_on: i64,
    ) -> Result<SavedSwitch, SaveError> {
        let outcome = match state::current() {
            Some(state) => save_as_actor(&state, setting, value, based_on).await,
            None => Err(SaveError::Unavailable),
        };
        crate::http_status::answer_with(&outcome);
        if is_plain_form_post() {
            let notice = SaveNotice {
                setting,
                result: outcome.as_ref().map(|_| ()).map_err(Clone::clone),
            };
            leptos_axum::redirect(&notice.page_url());
        }
        outcome
    }

    async fn save_as_actor(
        state: &AppState,
        setting: SwitchSetting,
        value: bool,
        based_on: i64,
    ) -> Result<SavedSwitch, SaveError> {
        let actor = session::require_actor(state).await?;
        service::set_switch(state, &actor, setting, value, based_on).await
    }
}
