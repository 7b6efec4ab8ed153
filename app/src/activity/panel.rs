use super::{ActivityPage, AuditEntry};
use crate::boundary::LoadError;
use crate::components::ErrorCallout;
use crate::domain::time::format_utc;
use crate::paths::AI_SETTINGS;
use leptos::prelude::*;

/// The workspace's latest changes, newest first, one page at a time.
/// Server-rendered: paging is plain links, so it needs no JavaScript. The
/// page loads it together with its other sections.
#[component]
pub fn Activity(activity: Result<ActivityPage, LoadError>) -> impl IntoView {
    let only_yours = activity.as_ref().is_ok_and(|activity| activity.only_yours);
    let shown = match activity {
        Ok(activity) if activity.entries.is_empty() && activity.page == 0 => {
            view! { <p class="muted">"No changes yet."</p> }.into_any()
        }
        Ok(activity) => {
            let newer = activity.page.checked_sub(1);
            let older = activity.has_older.then_some(activity.page + 1);
            view! {
                <ol class="activity-list">
                    {activity.entries.into_iter().map(entry_view).collect_view()}
                </ol>
                <nav class="pager" aria-label="Activity pages">
                    {newer.map(|page| view! { <a href=page_url(page)>"Newer"</a> })}
                    {older.map(|page| view! { <a href=page_url(page)>"Older"</a> })}
                </nav>
            }
            .into_any()
        }
        Err(error) => view! { <ErrorCallout message=error.to_string() /> }.into_any(),
    };
    view! {
        <section class="setting activity" aria-labelledby="activity-title">
            <h2 id="activity-title">"Activity"</h2>
            {only_yours
                .then(|| {
                    view! {
                        <p class="muted" id="activity-only-yours">
                            "Only your own changes are shown here; the workspace's admins see all of them."
                        </p>
                    }
                })}
            {shown}
        </section>
    }
}

fn page_url(page: u32) -> String {
    if page == 0 {
        format!("{AI_SETTINGS}#activity-title")
    } else {
        format!("{AI_SETTINGS}?activity={page}#activity-title")
    }
}

fn entry_view(entry: AuditEntry) -> impl IntoView {
    let change = match (entry.old_value, entry.new_value) {
        (Some(old), Some(new)) => format!("{}: {old} → {new}", entry.subject),
        (None, Some(new)) => format!("{}: {new}", entry.subject),
        (Some(old), None) => format!("{}: {old} removed", entry.subject),
        (None, None) => entry.subject,
    };
    let change = match entry.answers {
        Some(1) | None => change,
        Some(answers) => format!("{change} ({answers} answers since)"),
    };
    let byline = format!(" · {} · {}", entry.actor_name, format_utc(entry.at));
    view! {
        <li>
            <span class="activity-change">{change}</span>
            <span class="muted">{byline}</span>
        </li>
    }
}
