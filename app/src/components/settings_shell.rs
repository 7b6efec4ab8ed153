use crate::accounts::{server_fns::SignOut, ACCOUNT_PAGE};
use crate::domain::Viewer;
use crate::members::MEMBERS_PAGE;
use crate::outcome::SETTINGS_PAGE;
use crate::policy::API_PAGE;
use leptos::{prelude::*, server_fn::ServerFn};

/// The frame of every settings page: a skip link, the top bar with the
/// signed-in person, and the left navigation with the current section
/// marked.
/// The settings pages, as the left navigation lists them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    AiSettings,
    Members,
    ApiAccess,
    Account,
    /// A page outside the navigation (not found).
    None,
}

#[component]
pub fn SettingsShell(
    viewer: Option<Viewer>,
    current: Section,
    children: Children,
) -> impl IntoView {
    let marked = move |section: Section| (current == section).then_some("page");
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
                    <li>
                        <a href=SETTINGS_PAGE aria-current=marked(Section::AiSettings)>
                            "AI & agents"
                        </a>
                    </li>
                    <li>
                        <a href=MEMBERS_PAGE aria-current=marked(Section::Members)>
                            "Members"
                        </a>
                    </li>
                    <li>
                        <a href=API_PAGE aria-current=marked(Section::ApiAccess)>
                            "API access"
                        </a>
                    </li>
                    <li>
                        <a href=ACCOUNT_PAGE aria-current=marked(Section::Account)>
                            "Your account"
                        </a>
                    </li>
                </ul>
            </nav>
            <main id="main" class="content" tabindex="-1">
                {children()}
            </main>
        </div>
    }
}
