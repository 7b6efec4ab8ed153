//! The outcome of a save, carried through a redirect when a form was posted
//! without JavaScript, so the page can still say "Saved" or why not.

use super::{SaveError, SwitchSetting};
use crate::boundary::Refusal;
use crate::paths::AI_SETTINGS;
use serde::{Deserialize, Serialize};

/// Which switch a plain form saved, and how it went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveNotice {
    pub setting: SwitchSetting,
    pub result: Result<(), SaveError>,
}

impl SaveNotice {
    /// `/settings/ai?saved=ai_enabled` or
    /// `/settings/ai?failed=ai_enabled&reason=unavailable`, anchored at the
    /// setting so the browser scrolls back to it.
    pub fn page_url(&self) -> String {
        let key = self.setting.key();
        match &self.result {
            Ok(()) => format!("{AI_SETTINGS}?saved={key}#{key}"),
            Err(error) => format!("{AI_SETTINGS}?failed={key}&reason={}#{key}", error.code()),
        }
    }

    /// Reads the notice back from the page's query parameters. Anything
    /// unrecognised is ignored rather than shown.
    pub fn from_query(get: impl Fn(&str) -> Option<String>) -> Option<Self> {
        if let Some(setting) = get("saved").as_deref().and_then(SwitchSetting::from_key) {
            return Some(SaveNotice {
                setting,
                result: Ok(()),
            });
        }
        let setting = get("failed").as_deref().and_then(SwitchSetting::from_key)?;
        let error = get("reason")
            .as_deref()
            .and_then(SaveError::from_code)
            .unwrap_or(SaveError::Unavailable);
        Some(SaveNotice {
            setting,
            result: Err(error),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn query_of(url: &str) -> HashMap<String, String> {
        let query = url.split_once('?').map(|(_, q)| q).unwrap_or("");
        let query = query.split('#').next().unwrap_or("");
        query
            .split('&')
            .filter_map(|pair| pair.split_once('='))
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn a_notice_survives_the_redirect_url() {
        for notice in [
            SaveNotice {
                setting: SwitchSetting::AiEnabled,
                result: Ok(()),
            },
            SaveNotice {
                setting: SwitchSetting::TrainingAllowed,
                result: Err(SaveError::TrainingFixedByPlan),
            },
        ] {
            let query = query_of(&notice.page_url());
            assert_eq!(
                SaveNotice::from_query(|k| query.get(k).cloned()),
                Some(notice)
            );
        }
    }

    #[test]
    fn unknown_settings_in_the_url_show_nothing() {
        assert_eq!(SaveNotice::from_query(|_| Some("drop_tables".into())), None);
    }
}
