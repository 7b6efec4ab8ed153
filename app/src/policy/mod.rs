//! The AI policy the product's AI services read: whether AI may run for a
//! workspace, whether its sessions may be used for training, which
//! provider to call where, and (for trusted tokens) with which key. Admins
//! manage the service tokens that may read it on the API access page.

#[cfg(feature = "ssr")]
pub mod document;
mod error;
pub mod server_fns;
#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

pub use error::TokensError;

use crate::domain::Viewer;
use serde::{Deserialize, Serialize};

pub const API_PAGE: &str = "/settings/api";
/// `{id}` is the workspace's id.
pub const POLICY_PATH: &str = "/api/v1/workspaces/{id}/ai-policy";
pub const MAX_TOKEN_NAME_CHARS: usize = 80;

/// A service token as the page lists it: never the token.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceToken {
    pub id: String,
    pub name: String,
    pub may_receive_keys: bool,
    pub created_by: String,
    pub created_at: i64,
    pub last_used_at: Option<i64>,
}

/// A token just created, shown once to the admin who created it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewServiceToken {
    pub name: String,
    pub token: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokensSnapshot {
    pub viewer: Viewer,
    pub can_manage: bool,
    pub workspace_id: String,
    /// Live tokens, newest first; empty for members.
    pub tokens: Vec<ServiceToken>,
    pub new_token: Option<NewServiceToken>,
}

/// A change on the API access page that worked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokensNotice {
    Created,
    Revoked,
}

impl TokensNotice {
    pub fn code(self) -> &'static str {
        match self {
            TokensNotice::Created => "created",
            TokensNotice::Revoked => "revoked",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [TokensNotice::Created, TokensNotice::Revoked]
            .into_iter()
            .find(|notice| notice.code() == code)
    }

    pub fn message(self) -> &'static str {
        match self {
            TokensNotice::Created => "Service token created.",
            TokensNotice::Revoked => "Token revoked. Requests with it are refused from now on.",
        }
    }
}
