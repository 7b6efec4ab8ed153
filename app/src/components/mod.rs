mod activity;
mod error_callout;
mod form_page;
mod model_provider;
mod new_password_fields;
mod setting_switch;
mod settings_shell;
mod training_fixed;

pub use activity::Activity;
pub use error_callout::ErrorCallout;
pub use form_page::{form_page, FormOutcome};
pub use model_provider::ModelProvider;
pub use new_password_fields::NewPasswordFields;
pub use setting_switch::SettingSwitch;
pub use settings_shell::{Section, SettingsShell};
pub use training_fixed::TrainingFixedByPlan;
