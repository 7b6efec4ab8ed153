//! The doors from the page's Models section to the models service, one
//! server function a file. Plain forms: each change sends the browser back
//! to the section with its outcome.

mod load_models;
mod refresh_model_list;
mod save_models;

pub use load_models::{load_models, LoadModels, ModelsSnapshot};
pub use refresh_model_list::{refresh_model_list, RefreshModelList};
pub use save_models::{save_models, SaveModels};

#[cfg(feature = "ssr")]
mod ssr {
    use crate::accounts::session::Admin;
    use crate::boundary::Refusal;
    use crate::doors::change_and_return;
    use crate::models::{ModelsError, ModelsNotice, MODELS_SETTING};
    use crate::paths::AI_SETTINGS;
    use crate::state::AppState;

    /// Runs a change as the request's admin, then sends the browser back
    /// to the Models section with `done` or the refusal.
    pub async fn change_as_admin<T>(
        done: ModelsNotice,
        change: impl AsyncFnOnce(&AppState, &Admin) -> Result<T, ModelsError>,
    ) -> Result<(), ModelsError> {
        let back_to = |outcome: &Result<T, ModelsError>| {
            let query = match outcome {
                Ok(_) => format!("models={}", done.code()),
                Err(error) => format!("models_error={}", error.code()),
            };
            Some(format!("{AI_SETTINGS}?{query}#{MODELS_SETTING}"))
        };
        change_and_return(back_to, async |state, actor| {
            change(state, &Admin::check(actor.clone())?).await
        })
        .await
        .map(|_| ())
    }
}
