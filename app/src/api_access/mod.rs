//! The API access page: the service tokens with which the product's AI
//! services read the workspace's AI policy, and the policy document they
//! read. The HTTP adapter of the policy API lives in the server crate.

mod error;
mod page;
#[cfg(feature = "ssr")]
pub mod policy_document;
pub mod rules;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use error::TokensError;
pub use page::ApiAccessPage;
pub use server_fns::TokensSnapshot;
#[cfg(feature = "ssr")]
pub use store::TokenRecord;

use crate::notices;
use serde::{Deserialize, Serialize};

/// Longest name a token may have.
pub const MAX_TOKEN_NAME_CHARS: usize = 80;

/// A service token as the page lists it: never the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(sqlx::FromRow))]
pub struct ServiceToken {
    #[cfg_attr(feature = "ssr", sqlx(try_from = "String"))]
    pub id: crate::domain::TokenId,
    pub name: String,
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::Flag"))]
    pub may_receive_keys: bool,
    /// May call models through the AI gateway.
    #[cfg_attr(feature = "ssr", sqlx(try_from = "crate::db::Flag"))]
    pub may_call_models: bool,
    #[cfg_attr(feature = "ssr", sqlx(rename = "created_by_name"))]
    pub created_by: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
    pub expires_at: Option<i64>,
    /// The admin the token belongs to; it ends when they leave.
    pub created_by_id: Option<String>,
    /// When it was revoked: it stays listed a week, so admins see why a
    /// service is refused.
    pub revoked_at: Option<i64>,
}

/// A token just created, shown once to the admin who created it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewServiceToken {
    pub name: String,
    pub token: String,
}

notices! {
    /// A change on the API access page that worked.
    pub enum TokensNotice {
        Created = "created" => "Service token created.",
        Revoked = "revoked" => "Token revoked. Requests with it are refused from now on.",
        TakenOver = "taken-over" => "The token is yours now: it keeps working if the admin who made it leaves.",
    }
}
