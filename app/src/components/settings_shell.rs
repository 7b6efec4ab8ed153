use crate::accounts::server_fns::SignOut;
use crate::domain::Viewer;
use crate::outcome::SETTINGS_PAGE;
use leptos::{prelude::*, server_fn::ServerFn};

/// The frame of every settings page: a skip link, the top bar with the
/// signed-in person, and the left navigation with the current section
/// marked.
#[component]
pub fn SettingsShell(viewer: Option<Viewer>, children: Children) -> impl IntoView {
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
                        <a href=SETTINGS_PAGE aria-current="page">
                            "AI & agents"
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
