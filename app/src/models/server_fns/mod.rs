//! The doors from the page's Models section to the models service, one
//! server function a file. Plain forms: each change sends the browser back
//! to the section with its outcome.

mod load_models;
mod refresh_model_list;
mod save_models;

pub use load_models::{load_models, LoadModels, ModelsSnapshot};
pub use refresh_model_list::{refresh_model_list, RefreshModelList};
pub use save_models::{save_models, SaveModels};

/// Where the section's plain forms send the browser back to.
pub const OUTCOME: crate::doors::SectionOutcome = crate::doors::SectionOutcome {
    key: "models",
    anchor: crate::models::MODELS_SETTING,
};
