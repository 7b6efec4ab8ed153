//! The transaction of one change, as store functions that write receive
//! it. Only the write path makes one.

use super::Backend;
use crate::domain::WorkspaceId;
use sqlx::{Any, AnyConnection};
use std::ops::{Deref, DerefMut};

/// A change's transaction. Only the write path (`super::write`) makes one.
pub struct Tx<'c> {
    pub(super) inner: sqlx::Transaction<'c, Any>,
    /// Whose policy this change moves on, once it worked.
    pub(super) policy_of: Vec<WorkspaceId>,
    /// Whether this change touches anyone's account (role, suspension,
    /// e-mail address, existence): what this process remembers of people
    /// is forgotten once it commits.
    pub(super) changes_people: bool,
}

impl Tx<'_> {
    /// Says that this change, if it works, changes what the policy API
    /// answers for `workspace`: the write path moves its policy version on
    /// before the commit and tells the live policy after it.
    pub fn changes_policy_of(&mut self, workspace: &WorkspaceId) {
        if !self.policy_of.contains(workspace) {
            self.policy_of.push(workspace.clone());
        }
    }

    /// Says that this change touches someone's account, so answers that
    /// remember people (the gateway's) look again once it commits.
    pub fn changes_people(&mut self) {
        self.changes_people = true;
    }

    /// The database the change is written to.
    pub fn backend(&self) -> Backend {
        if self.inner.backend_name() == "PostgreSQL" {
            Backend::Postgres
        } else {
            Backend::Sqlite
        }
    }
}

impl Deref for Tx<'_> {
    type Target = AnyConnection;
    fn deref(&self) -> &AnyConnection {
        &self.inner
    }
}

impl DerefMut for Tx<'_> {
    fn deref_mut(&mut self) -> &mut AnyConnection {
        &mut self.inner
    }
}
