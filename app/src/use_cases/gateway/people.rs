//! The people gateway calls are made for, remembered for a moment: a
//! service names the same few people call after call, and asking the
//! database each time cost the gateway half its speed. What this process
//! changes of anyone's account (a role, a suspension, an address, a
//! removal) is seen at the next call, because every such change is counted
//! by the write path and a change forgets everything remembered; another
//! replica's change is seen within [`REMEMBERED_FOR`].

use crate::accounts::service as accounts;
use crate::db::{PeopleChanges, Pool};
use crate::domain::{Role, UserId, WorkspaceId};
use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};
use std::time::{Duration, Instant};

/// How long a person's role and standing are trusted without asking the
/// database again: the most another replica's change can take to apply.
pub const REMEMBERED_FOR: Duration = Duration::from_secs(1);

/// More names than this and the memory starts afresh, so a service naming
/// endless strangers cannot fill it.
const MOST_REMEMBERED: usize = 10_000;

/// A person as the gateway needs them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: UserId,
    pub role: Role,
    pub suspended: bool,
}

/// What was found for a workspace and a name, and when.
#[derive(Debug, Clone)]
struct Remembered {
    /// `None`: nobody of that name.
    person: Option<Person>,
    at: Instant,
}

#[derive(Debug, Default)]
struct Memory {
    /// The count of people changes the entries were read after.
    changes_seen: u64,
    entries: HashMap<(String, String), Remembered>,
}

/// The people recently named in gateway calls, per workspace and name.
#[derive(Debug, Default)]
pub struct People {
    changes: OnceLock<PeopleChanges>,
    memory: Mutex<Memory>,
}

impl People {
    /// The person `given` (an account id or e-mail address) names in
    /// `workspace`, if anyone: from memory when fresh, else from the
    /// database.
    pub async fn find(
        &self,
        pool: &Pool,
        workspace: &WorkspaceId,
        given: &str,
    ) -> Result<Option<Person>, sqlx::Error> {
        let changes = self.changes.get_or_init(|| PeopleChanges::of(pool)).count();
        let key = (workspace.as_str().to_string(), given.to_string());
        {
            let mut memory = self.lock();
            if memory.changes_seen != changes {
                memory.entries.clear();
                memory.changes_seen = changes;
            }
            if let Some(remembered) = memory.entries.get(&key) {
                if remembered.at.elapsed() < REMEMBERED_FOR {
                    return Ok(remembered.person.clone());
                }
            }
        }
        let at = Instant::now();
        let person = accounts::member_by_id_or_email(pool, workspace, given)
            .await?
            .map(|found| Person {
                id: found.id,
                role: found.role,
                suspended: found.suspended_at.is_some(),
            });
        let changes_now = self.changes.get().map_or(0, PeopleChanges::count);
        let mut memory = self.lock();
        // A change committed while the database was asked: what was read
        // may be older than it, so it is not kept.
        if changes_now == changes && memory.changes_seen == changes {
            if memory.entries.len() >= MOST_REMEMBERED {
                memory.entries.clear();
            }
            memory.entries.insert(
                key,
                Remembered {
                    person: person.clone(),
                    at,
                },
            );
        }
        Ok(person)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Memory> {
        match self.memory.lock() {
            Ok(memory) => memory,
            Err(poisoned) => poisoned.into_inner(),
        }
    }
}
