//! How a screen takes part in erasing a person: it declares one
//! [`Eraser`], and the person's-data use case runs every screen's eraser
//! in one transaction. A screen that keeps something about people adds
//! its eraser to that list (`use_cases::erasure::ERASERS`); no screen
//! calls another's.

use super::Tx;
use crate::domain::{FormerPerson, WorkspaceId};
use std::future::Future;
use std::pin::Pin;

/// The work of one eraser, borrowing the transaction.
pub type Erasing<'t> = Pin<Box<dyn Future<Output = Result<(), sqlx::Error>> + Send + 't>>;

/// One screen's part of erasing a person, in the caller's transaction:
/// delete what is theirs, or put their pseudonym where their name was.
#[derive(Clone, Copy)]
pub struct Eraser {
    /// What it erases, in the words of the screen that keeps it.
    pub what: &'static str,
    pub erase: for<'t, 'c> fn(&'t mut Tx<'c>, &'t WorkspaceId, &'t FormerPerson) -> Erasing<'t>,
}

impl std::fmt::Debug for Eraser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.what)
    }
}

/// `eraser!("invitations they sent or received", store::delete_invitations_of)`:
/// an [`Eraser`] from an async fn taking `(tx, workspace, person)`.
#[macro_export]
macro_rules! eraser {
    ($what:expr, $erase:path) => {
        $crate::db::erasure::Eraser {
            what: $what,
            erase: |tx, workspace, person| Box::pin($erase(tx, workspace, person)),
        }
    };
}
