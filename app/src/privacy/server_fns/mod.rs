//! The doors of the Privacy page and its banner, one a file.

mod dismiss_notice_change;
mod load_privacy_notice;

pub use dismiss_notice_change::{dismiss_notice_change, DismissNoticeChange};
pub use load_privacy_notice::{load_privacy_notice, LoadPrivacyNotice};
