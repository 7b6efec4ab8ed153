//! The person a page is shown to, as the settings frame and its banners
//! need them: composed here from the budget and the privacy notice, so
//! the session knows nothing of either.

use crate::domain::Role;
use serde::{Deserialize, Serialize};

/// The person a page is shown to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Viewer {
    pub name: String,
    pub role: Role,
    /// For admins, once this month's AI spend reaches the budget's warning
    /// threshold: shown as a banner on every settings page.
    pub budget_alert: Option<crate::budget::BudgetAlert>,
    /// The privacy notice changed since they last dismissed the banner.
    pub notice_change: Option<crate::privacy::NoticeChange>,
}

/// `actor` as the page's top bar shows them, with the banners due.
#[cfg(feature = "ssr")]
pub async fn of(state: &crate::state::AppState, actor: &crate::accounts::session::Actor) -> Viewer {
    Viewer {
        name: actor.name.clone(),
        role: actor.role,
        budget_alert: crate::budget::service::alert(state, actor).await,
        notice_change: crate::privacy::service::change_to_tell(state, actor).await,
    }
}
