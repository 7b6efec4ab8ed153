//! "Download your data": everything the console keeps about the signed-in
//! person, as the JSON file they download. Times are RFC 3339 (UTC).
//! Never a password hash, a token, a key or anything that signs in.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersonalData {
    pub exported_at: String,
    /// What the file is, in a sentence, for whoever opens it later.
    pub about: String,
    pub account: AccountData,
    /// Browsers signed in to the account now.
    pub sessions: Vec<SessionData>,
    /// Audit log entries of changes the person made, newest first.
    pub activity: Vec<ActivityData>,
    pub invitations_sent: Vec<InvitationData>,
    pub service_tokens_created: Vec<TokenData>,
    /// Failed sign-ins at the person's address still kept for throttling.
    pub failed_sign_ins: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountData {
    pub name: String,
    pub email: String,
    pub role: String,
    pub workspace: String,
    pub created_at: String,
    /// "password" or "single sign-on (<issuer>)".
    pub signs_in_with: String,
    pub suspended_since: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionData {
    pub signed_in_at: String,
    pub last_activity_at: String,
    pub ends_at: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityData {
    pub at: String,
    pub subject: String,
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InvitationData {
    pub email: String,
    pub role: String,
    pub created_at: String,
    pub expires_at: String,
    pub used_at: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TokenData {
    pub name: String,
    pub may_receive_keys: bool,
    pub created_at: String,
    pub last_used_at: Option<String>,
    pub expires_at: Option<String>,
    pub revoked_at: Option<String>,
}

#[cfg(feature = "ssr")]
pub use crate::domain::time::rfc3339;
