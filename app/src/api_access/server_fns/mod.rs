//! The doors from the API access page to the token service, one server
//! function a file; plain forms that redirect back with the outcome.

mod create_service_token;
mod load_service_tokens;
mod revoke_service_token;
mod take_over_service_token;

pub use create_service_token::{create_service_token, CreateServiceToken};
pub use load_service_tokens::{load_service_tokens, LoadServiceTokens, TokensSnapshot};
pub use revoke_service_token::{revoke_service_token, RevokeServiceToken};
pub use take_over_service_token::{take_over_service_token, TakeOverServiceToken};

/// Where a just-created token waits, in the creating admin's session,
/// until the page shows it once.
#[cfg(feature = "ssr")]
const NEW_TOKEN: &str = "policy.new_service_token";
