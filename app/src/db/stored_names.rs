//! Enumerations stored by name (a role, a provider). A name this build does
//! not know makes the row fail to decode: an error the caller logs, never a
//! silently missing record.

use crate::domain::Role;
use crate::model_provider::rules::KeyProvider;

/// A stored name no variant has.
#[derive(Debug, thiserror::Error)]
#[error("unknown {kind} \"{name}\" in the database")]
pub struct UnknownName {
    pub kind: &'static str,
    pub name: String,
}

impl TryFrom<String> for Role {
    type Error = UnknownName;

    fn try_from(name: String) -> Result<Self, UnknownName> {
        Role::from_key(&name).ok_or(UnknownName { kind: "role", name })
    }
}

impl TryFrom<String> for KeyProvider {
    type Error = UnknownName;

    fn try_from(name: String) -> Result<Self, UnknownName> {
        KeyProvider::from_key(&name).ok_or(UnknownName {
            kind: "provider",
            name,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_names_are_errors_that_say_what_was_found() {
        let error = Role::try_from("owner".to_string()).unwrap_err();
        assert_eq!(error.to_string(), "unknown role \"owner\" in the database");
        assert_eq!(Role::try_from("admin".to_string()).ok(), Some(Role::Admin));
    }
}
