use crate::models::ModelsError;
use leptos::prelude::*;

/// Chooses which models services may use: `scope` is `all` or `selected`
/// (then `models[]` are the ticked ones), and `default_model` one of them
/// or empty for none.
#[server(endpoint = "settings/ai/models")]
pub async fn save_models(
    scope: String,
    #[server(default)] models: Vec<String>,
    default_model: Option<String>,
    version: i64,
) -> Result<(), ModelsError> {
    use crate::models::rules::ModelChoice;
    use crate::models::{service, ModelsNotice};

    let done = |_: &_| ModelsNotice::Saved;
    crate::doors::change_as_admin(super::OUTCOME, done, Vec::new(), async |state, admin| {
        let all = match scope.as_str() {
            "all" => true,
            "selected" => false,
            _ => return Err(ModelsError::BadRequest),
        };
        let choice = ModelChoice {
            all,
            allowed: models,
            default: default_model.filter(|model| !model.is_empty()),
        };
        service::save(state, admin, choice, version).await
    })
    .await
    .map(|_| ())
}
