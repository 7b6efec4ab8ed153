use crate::outcome::SETTINGS_PAGE;
use leptos::prelude::*;

/// The frame of every settings page: a skip link, the top bar and the left
/// navigation with the current section marked.
#[component]
pub fn SettingsShell(children: Children) -> impl IntoView {
    view! {
        <a class="skip-link" href="#main">
            "Skip to content"
        </a>
        <header class="topbar">
            <span class="brand">"Workspace settings"</span>
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
