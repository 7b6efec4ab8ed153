use serde::{Deserialize, Serialize};

/// What a person may do in their workspace.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Serialize,
    Deserialize,
    strum::IntoStaticStr,
    strum::EnumString,
    strum::VariantArray,
)]
#[strum(serialize_all = "snake_case")]
pub enum Role {
    /// Changes AI settings, manages members.
    Admin,
    /// Sees the settings, changes nothing.
    Member,
}

impl Role {
    /// Whether the role may change settings.
    pub fn can_change_settings(self) -> bool {
        self == Role::Admin
    }

    /// How the role is stored.
    pub fn key(self) -> &'static str {
        self.into()
    }

    /// The role a stored key names.
    pub fn from_key(key: &str) -> Option<Self> {
        key.parse().ok()
    }

    /// How the page names the role.
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "Admin",
            Role::Member => "Member",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_admins_change_settings() {
        assert!(Role::Admin.can_change_settings());
        assert!(!Role::Member.can_change_settings());
    }

    #[test]
    fn roles_round_trip_through_storage() {
        for role in [Role::Admin, Role::Member] {
            assert_eq!(Role::from_key(role.key()), Some(role));
        }
        assert_eq!(Role::from_key("owner"), None);
    }
}
