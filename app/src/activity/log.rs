//! The audit log: entries written by every screen, read a page at a time. Writers pass their own transaction, so an entry
//! exists exactly when the change it describes does.
//!
//! Layer: platform.

use super::{AuditEntry, PER_PAGE};
use crate::accounts::session::Actor;
use crate::db::Tx;
use crate::domain::WorkspaceId;
use sqlx::AnyExecutor;

/// An entry to write.
pub struct NewEntry<'a> {
    pub workspace: &'a WorkspaceId,
    pub at: i64,
    pub actor_id: Option<&'a str>,
    pub actor_name: &'a str,
    pub subject: &'a str,
    pub old_value: Option<&'a str>,
    pub new_value: Option<&'a str>,
}

/// Longest e-mail text an entry quotes.
const SHOWN_EMAIL_CHARS: usize = 80;

/// An e-mail address as an entry quotes it: typed text (a sign-in with an
/// unknown address) can be anything, so characters that would not show as
/// themselves become `�` and long text is cut.
pub fn shown_email(email: &str) -> String {
    let mut shown: String = email
        .chars()
        .take(SHOWN_EMAIL_CHARS)
        .map(|c| {
            if crate::accounts::credentials::is_hidden(c) {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect();
    if email.chars().count() > SHOWN_EMAIL_CHARS {
        shown.push('…');
    }
    shown
}

/// Writes `entry`, in the caller's transaction.
pub async fn record(tx: &mut Tx<'_>, entry: NewEntry<'_>) -> Result<(), sqlx::Error> {
    insert(tx, entry, None).await.map(|_| ())
}

/// Writes `entry` as the first of a run of like events it will count
/// (`answers` starts at 1); returns its id, for adding to the count.
pub async fn record_counted(tx: &mut Tx<'_>, entry: NewEntry<'_>) -> Result<i64, sqlx::Error> {
    insert(tx, entry, Some(1)).await
}

async fn insert(
    tx: &mut Tx<'_>,
    entry: NewEntry<'_>,
    answers: Option<i64>,
) -> Result<i64, sqlx::Error> {
    sqlx::query_scalar(
        "INSERT INTO audit_log
           (workspace_id, at, actor_id, actor_name, subject, old_value, new_value, answers)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
    )
    .bind(entry.workspace.as_str())
    .bind(entry.at)
    .bind(entry.actor_id)
    .bind(entry.actor_name)
    .bind(entry.subject)
    .bind(entry.old_value)
    .bind(entry.new_value)
    .bind(answers)
    .fetch_one(&mut **tx)
    .await
}

/// Who an entry says acted: a signed-in person, or the console itself on
/// someone's behalf (e.g. "Single sign-on").
#[derive(Debug, Clone, Copy)]
pub enum Author<'a> {
    Person(&'a Actor),
    Console(&'static str),
}

/// An entry for a change `author` made in `workspace`.
pub async fn record_by(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    author: Author<'_>,
    at: i64,
    subject: &str,
    new_value: &str,
) -> Result<(), sqlx::Error> {
    let (actor_id, actor_name) = match author {
        Author::Person(actor) => (Some(actor.user_id.as_str()), actor.name.as_str()),
        Author::Console(name) => (None, name),
    };
    record(
        tx,
        NewEntry {
            workspace,
            at,
            actor_id,
            actor_name,
            subject,
            old_value: None,
            new_value: Some(new_value),
        },
    )
    .await
}

/// An entry for a change the signed-in `actor` made.
pub async fn record_change(
    tx: &mut Tx<'_>,
    actor: &Actor,
    at: i64,
    subject: &str,
    old_value: Option<&str>,
    new_value: &str,
) -> Result<(), sqlx::Error> {
    record(
        tx,
        NewEntry {
            workspace: &actor.workspace,
            at,
            actor_id: Some(&actor.user_id),
            actor_name: &actor.name,
            subject,
            old_value,
            new_value: Some(new_value),
        },
    )
    .await
}

/// Page `page` (0 = newest) of the workspace's entries, and whether older
/// ones exist.
pub async fn page(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    page: u32,
) -> Result<(Vec<AuditEntry>, bool), sqlx::Error> {
    let rows: Vec<AuditEntry> = sqlx::query_as(
        "SELECT at, actor_name, subject, old_value, new_value, answers FROM audit_log
         WHERE workspace_id = $1 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(workspace.as_str())
    .bind(i64::from(PER_PAGE) + 1)
    .bind(i64::from(page) * i64::from(PER_PAGE))
    .fetch_all(db)
    .await?;
    let has_older = rows.len() > PER_PAGE as usize;
    let entries = rows.into_iter().take(PER_PAGE as usize).collect();
    Ok((entries, has_older))
}

/// Page `page` of the entries `actor_id` made themselves: what a member
/// sees, where the activity is for admins.
pub async fn page_of(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    actor_id: &str,
    page: u32,
) -> Result<(Vec<AuditEntry>, bool), sqlx::Error> {
    let rows: Vec<AuditEntry> = sqlx::query_as(
        "SELECT at, actor_name, subject, old_value, new_value, answers FROM audit_log
         WHERE workspace_id = $1 AND actor_id = $4 ORDER BY at DESC, id DESC LIMIT $2 OFFSET $3",
    )
    .bind(workspace.as_str())
    .bind(i64::from(PER_PAGE) + 1)
    .bind(i64::from(page) * i64::from(PER_PAGE))
    .bind(actor_id)
    .fetch_all(db)
    .await?;
    let has_older = rows.len() > PER_PAGE as usize;
    let entries = rows.into_iter().take(PER_PAGE as usize).collect();
    Ok((entries, has_older))
}

/// Every entry `actor_id` made, newest first (a person's export).
pub async fn all_of(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    actor_id: &str,
) -> Result<Vec<AuditEntry>, sqlx::Error> {
    sqlx::query_as(
        "SELECT at, actor_name, subject, old_value, new_value, answers FROM audit_log
         WHERE workspace_id = $1 AND actor_id = $2 ORDER BY at DESC, id DESC",
    )
    .bind(workspace.as_str())
    .bind(actor_id)
    .fetch_all(db)
    .await
}

/// The old values of `actor_id`'s own entries about `subject` (what
/// they corrected), oldest first.
pub async fn old_values_of(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
    actor_id: &str,
    subject: &str,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar(
        "SELECT old_value FROM audit_log
         WHERE workspace_id = $1 AND actor_id = $2 AND subject = $3 AND old_value IS NOT NULL
         ORDER BY at, id",
    )
    .bind(workspace.as_str())
    .bind(actor_id)
    .bind(subject)
    .fetch_all(db)
    .await
}

#[derive(sqlx::FromRow)]
struct EntryText {
    id: i64,
    actor_id: Option<String>,
    actor_name: String,
    subject: String,
    old_value: Option<String>,
    new_value: Option<String>,
}

/// `text` for a SQL `LIKE … ESCAPE '\'` that matches it anywhere.
fn contains_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}

/// Keeps what happened and forgets who: the entries `person` made are
/// shown as their pseudonym, and every mention of their name or e-mail
/// address in any entry of the workspace becomes the pseudonym too.
pub const ERASER: crate::db::erasure::Eraser =
    crate::eraser!("their name in the Activity panel", pseudonymise);

pub async fn pseudonymise(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    person: &crate::domain::FormerPerson,
) -> Result<(), sqlx::Error> {
    let mut candidates: Vec<EntryText> = Vec::new();
    for identifier in person.identifiers() {
        let rows: Vec<EntryText> = sqlx::query_as(
            "SELECT id, actor_id, actor_name, subject, old_value, new_value FROM audit_log
             WHERE workspace_id = $1 AND (actor_id = $2 OR LOWER(actor_name || ' ' || subject
               || ' ' || COALESCE(old_value, '') || ' ' || COALESCE(new_value, ''))
               LIKE $3 ESCAPE '\\')",
        )
        .bind(workspace.as_str())
        .bind(&person.user_id)
        .bind(contains_pattern(identifier))
        .fetch_all(&mut **tx)
        .await?;
        for row in rows {
            if !candidates.iter().any(|seen| seen.id == row.id) {
                candidates.push(row);
            }
        }
    }
    for entry in candidates {
        let theirs = entry.actor_id.as_deref() == Some(person.user_id.as_str());
        let erase = |text: &str| person.erase_from(text).unwrap_or_else(|| text.to_string());
        let actor_name = if theirs {
            person.pseudonym.clone()
        } else {
            erase(&entry.actor_name)
        };
        sqlx::query(
            "UPDATE audit_log SET actor_id = $2, actor_name = $3, subject = $4, old_value = $5,
               new_value = $6 WHERE id = $1",
        )
        .bind(entry.id)
        .bind(if theirs { None } else { entry.actor_id })
        .bind(actor_name)
        .bind(erase(&entry.subject))
        .bind(entry.old_value.as_deref().map(erase))
        .bind(entry.new_value.as_deref().map(erase))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Adds `answers` to how many answers entry `id` stands for (a key
/// disclosure counts the policy answers that carried the key).
pub async fn count_answers(tx: &mut Tx<'_>, id: i64, answers: i64) -> Result<(), sqlx::Error> {
    sqlx::query("UPDATE audit_log SET answers = COALESCE(answers, 0) + $2 WHERE id = $1")
        .bind(id)
        .bind(answers)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Which of the entries `ids` still exist.
pub async fn existing(
    db: &mut sqlx::AnyConnection,
    ids: &[i64],
) -> Result<std::collections::HashSet<i64>, sqlx::Error> {
    let mut found = std::collections::HashSet::new();
    for id in ids {
        let exists: Option<i64> = sqlx::query_scalar("SELECT id FROM audit_log WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *db)
            .await?;
        found.extend(exists);
    }
    Ok(found)
}

/// Deletes entries from before `before` (the audit log's retention).
pub async fn forget_before(tx: &mut Tx<'_>, before: i64) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query("DELETE FROM audit_log WHERE at < $1")
        .bind(before)
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_email_quoted_in_an_entry_shows_only_visible_text_and_is_cut() {
        assert_eq!(shown_email("ada@example.com"), "ada@example.com");
        assert_eq!(
            shown_email("ada\u{202E}moc.elpmaxe@x"),
            "ada\u{FFFD}moc.elpmaxe@x"
        );
        let long = format!("{}@example.com", "a".repeat(500));
        let shown = shown_email(&long);
        assert_eq!(shown.chars().count(), 81);
        assert!(shown.ends_with('…'));
    }
}
