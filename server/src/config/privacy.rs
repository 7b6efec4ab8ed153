//! The privacy notice's operator facts, how long records about people are
//! kept, and who sees the Activity panel.

use super::{read::Variables, ConfigError};
use app::privacy::{operator_sections, PrivacyConfig, BUILT_IN_NOTICE_DATE};
use app::state::Retention;

pub fn privacy(vars: &Variables) -> Result<PrivacyConfig, ConfigError> {
    Ok(PrivacyConfig {
        operator_name: vars
            .value("AI_OPERATOR_NAME")?
            .map(|name| name.trim().to_string()),
        operator_contact: vars
            .value("AI_OPERATOR_CONTACT")?
            .map(|to| to.trim().to_string()),
        updated: match vars.value("AI_PRIVACY_NOTICE_UPDATED")? {
            Some(date) if date.trim().parse::<jiff::civil::Date>().is_ok() => {
                date.trim().to_string()
            }
            Some(date) => return Err(ConfigError::NoticeDate(date)),
            None => BUILT_IN_NOTICE_DATE.to_string(),
        },
        operator_sections: match vars.value("AI_PRIVACY_NOTICE_FILE")? {
            Some(path) => {
                let markdown = std::fs::read_to_string(path.trim())
                    .map_err(|error| ConfigError::NoticeFile(format!("{path}: {error}")))?;
                operator_sections::render(&markdown)
            }
            None => Vec::new(),
        },
    })
}

pub fn retention(vars: &Variables) -> Result<Retention, ConfigError> {
    Ok(Retention {
        audit_days: vars.number("AI_AUDIT_RETENTION_DAYS", 400, 3650)?,
        invitation_days: vars.number("AI_INVITATION_RETENTION_DAYS", 30, 3650)?,
    })
}

/// `AI_ACTIVITY_FOR_EVERYONE`: members see the whole panel, not only
/// their own entries.
pub fn activity_for_everyone(vars: &Variables) -> Result<bool, ConfigError> {
    Ok(vars.switch("AI_ACTIVITY_FOR_EVERYONE")?.unwrap_or(false))
}
