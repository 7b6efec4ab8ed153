//! The doors from the page to the settings service, one server function a
//! file. They stay thin: find the request's person, call the service, and
//! for a form posted without JavaScript, redirect back to the page with the
//! outcome in the URL so the page can say what happened.

mod load_ai_settings;
mod set_ai_enabled;
mod set_training_allowed;

pub use load_ai_settings::{load_ai_settings, LoadAiSettings, SettingsSnapshot};
pub use set_ai_enabled::{set_ai_enabled, SetAiEnabled};
pub use set_training_allowed::{set_training_allowed, SetTrainingAllowed};

#[cfg(feature = "ssr")]
mod switch_save {
    use crate::accounts::session::Admin;
    use crate::ai_settings::notice::SaveNotice;
    use crate::ai_settings::{service, SaveError, SavedSwitch, SwitchSetting};
    use crate::boundary::is_plain_form_post;
    use crate::doors::change_and_return;

    /// Saves one switch for the request's workspace, as its admin. A
    /// browser without JavaScript is then sent back to the page, which
    /// shows the outcome next to the setting.
    pub async fn save(
        setting: SwitchSetting,
        value: bool,
        based_on: i64,
    ) -> Result<SavedSwitch, SaveError> {
        let back_to = |outcome: &Result<SavedSwitch, SaveError>| {
            is_plain_form_post().then(|| {
                SaveNotice {
                    setting,
                    result: outcome.as_ref().map(|_| ()).map_err(Clone::clone),
                }
                .page_url()
            })
        };
        change_and_return(back_to, async |state, actor| {
            let admin = Admin::check(actor.clone())?;
            service::set_switch(state, &admin, setting, value, based_on).await
        })
        .await
    }
}
