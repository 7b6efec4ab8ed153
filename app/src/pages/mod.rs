mod account;
mod ai_settings;
mod api_access;
mod join;
mod members;
mod not_found;
mod setup;
mod sign_in;

pub use account::AccountPage;
pub use ai_settings::AiSettingsPage;
pub use api_access::ApiAccessPage;
pub use join::JoinPage;
pub use members::MembersPage;
pub use not_found::NotFound;
pub use setup::SetupPage;
pub use sign_in::SignInPage;
