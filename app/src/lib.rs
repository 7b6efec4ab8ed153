//! The "Settings > AI & agents" console: pages, server functions and the
//! rules behind them. Built twice: with `ssr` into the server, and with
//! `hydrate` into the browser bundle, where only `#[island]` components
//! ship.

pub mod accounts;
pub mod audit;
#[cfg(feature = "ssr")]
pub mod clock;
pub mod components;
pub mod domain;
pub mod members;
pub mod outcome;
pub mod pages;
pub mod policy;
pub mod providers;
pub mod settings;
pub mod url;
pub mod workspace;

#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod http_status;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

/// The HTML document around every page.
pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    security::set_page_policy();
    let stylesheet = format!("/{}/{}.css", options.site_pkg_dir, options.output_name);
    view! {
        <!DOCTYPE html>
        <html lang="en">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <link rel="stylesheet" href=stylesheet />
                <HydrationScripts options islands=true />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <Routes fallback=pages::NotFound>
                // Async: the whole page is rendered before it is sent, so it
                // is complete without JavaScript.
                <Route
                    path=path!("/settings/ai")
                    view=pages::AiSettingsPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/settings/account")
                    view=pages::AccountPage
                    ssr=SsrMode::Async
                />
                <Route
                    path=path!("/settings/members")
                    view=pages::MembersPage
                    ssr=SsrMode::Async
                />
                <Route path=path!("/settings/api") view=pages::ApiAccessPage ssr=SsrMode::Async />
                <Route path=path!("/join") view=pages::JoinPage ssr=SsrMode::Async />
                <Route path=path!("/login") view=pages::SignInPage />
                <Route path=path!("/setup") view=pages::SetupPage ssr=SsrMode::Async />
            </Routes>
        </Router>
    }
}
