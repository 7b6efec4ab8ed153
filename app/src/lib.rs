//! The "Settings > AI & agents" console: pages, server functions and the
//! rules behind them. Built twice: with `ssr` into the server, and with
//! `hydrate` into the browser bundle, where only `#[island]` components
//! ship.

// The AI & agents page renders its sections in one view (no nested
// Suspense), whose type is deeper than rustc's default limit allows.
#![recursion_limit = "256"]

// One folder per screen, named as the UI names it: its page or section,
// server functions (one a file), rules, storage and refusals.
pub mod accounts;
pub mod activity;
pub mod ai_settings;
pub mod api_access;
pub mod budget;
pub mod features;
pub mod members;
pub mod model_provider;
pub mod models;
pub mod privacy;
pub mod usage;

// Shared by every screen.
pub mod boundary;
pub mod components;
pub mod domain;
pub mod doors;
pub mod paths;
pub mod routes;
pub mod use_cases;

#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod state;

use leptos::prelude::*;
use leptos_meta::{provide_meta_context, MetaTags};
use leptos_router::components::Router;

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

/// The whole console: the router around every page.
#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Router>
            <routes::Pages />
            <footer class="site-footer">
                <a href=paths::PRIVACY>"Privacy"</a>
            </footer>
        </Router>
    }
}
