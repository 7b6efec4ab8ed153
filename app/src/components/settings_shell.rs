use crate::accounts::server_fns::SignOut;
use crate::budget::BudgetBanner;
use crate::paths::Section;
use crate::privacy::NoticeChangedBanner;
use crate::use_cases::viewer::Viewer;
use leptos::{prelude::*, server_fn::ServerFn};

/// The frame of every settings page: a skip link, the top bar with the
/// signed-in person, and the left navigation (from the routes table) with
/// the current section marked.
#[component]
pub fn SettingsShell(
    viewer: Option<Viewer>,
    current: Section,
    children: Children,
) -> impl IntoView {
    let marked = move |section: Section| (current == section).then_some("page");
    let banner = viewer
        .as_ref()
        .and_then(|viewer| viewer.budget_alert.clone())
        .map(|alert| view! { <BudgetBanner alert /> });
    let notice = viewer
        .as_ref()
        .and_then(|viewer| viewer.notice_change.clone())
        .map(|change| view! { <NoticeChangedBanner change /> });
    view! {
        <a class="skip-link" href="#main">
            "Skip to content"
        </a>
        <header class="topbar">
            <span class="brand">"Workspace settings"</span>
            {viewer
                .map(|viewer| {
                    view! {
                        <div class="account">
                            <span class="account-name">
                                {viewer.name} " · " {viewer.role.label()}
                            </span>
                            <form method="post" action=SignOut::PATH>
                                <button type="submit" class="button-link">
                                    "Sign out"
                                </button>
                            </form>
                        </div>
                    }
                })}
        </header>
        <div class="layout">
            <nav class="side-nav" aria-label="Settings">
                <ul>
                    {Section::NAV
                        .into_iter()
                        .map(|section| {
                            view! {
                                <li>
                                    <a href=section.path() aria-current=marked(section)>
                                        {section.label()}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
            <main id="main" class="content" tabindex="-1">
                {notice}
                {banner}
                {children()}
            </main>
        </div>
    }
}
