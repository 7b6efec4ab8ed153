//! The chrome every screen shares: the settings frame, the error callout,
//! the frame of form pages, the new-password fields and the not-found page.
//! Screens live in their own folders.
//!
//! Layer: doors.

mod error_callout;
mod form_page;
mod form_section;
mod new_password_fields;
mod not_found;
mod settings_shell;
mod typed_after_refusal;

pub use error_callout::{ErrorCallout, Outcome};
pub use form_page::{form_page, FormOutcome};
pub use form_section::FormSection;
pub use new_password_fields::NewPasswordFields;
pub use not_found::NotFound;
pub use settings_shell::SettingsShell;
pub use typed_after_refusal::typed_after_refusal;
