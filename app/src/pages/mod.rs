mod ai_settings;
mod not_found;

pub use ai_settings::AiSettingsPage;
pub use not_found::NotFound;
