//! The app's integration tests: the services and stores of each screen on
//! a fresh database (SQLite, or PostgreSQL when `TEST_DATABASE_URL` is set),
//! without HTTP. One test binary; shared set-up is in `test-support`.

// Test code: a panic is a failed test, not a failed request.
#![allow(clippy::unwrap_used)]

mod accounts;
mod ai_settings;
mod budget;
mod database;
mod layers;
mod layout;
mod members;
mod model_provider;
mod personal_data;
mod retention;
mod schema_parity;
mod single_sign_on;
mod upgrades;
mod usage;
