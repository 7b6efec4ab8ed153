//! The page for each path: the route list of the console. The paths
//! themselves are `crate::paths`.
//!
//! Layer: shell.

use leptos::prelude::*;
use leptos_router::{
    components::{Route, Routes},
    path, SsrMode,
};

/// The page for each path. Settings pages render completely on the server
/// before they are sent (`SsrMode::Async`), so they work without
/// JavaScript. `path!` takes literals only: the test below holds them to
/// the constants of `crate::paths`.
#[component]
pub fn Pages() -> impl IntoView {
    use crate::{accounts, ai_settings, api_access, components, members, privacy};
    view! {
        <Routes fallback=components::NotFound>
            <Route
                path=path!("/settings/ai")
                view=ai_settings::AiSettingsPage
                ssr=SsrMode::Async
            />
            <Route
                path=path!("/settings/account")
                view=accounts::AccountPage
                ssr=SsrMode::Async
            />
            <Route path=path!("/settings/members") view=members::MembersPage ssr=SsrMode::Async />
            <Route path=path!("/settings/api") view=api_access::ApiAccessPage ssr=SsrMode::Async />
            <Route path=path!("/join") view=members::JoinPage ssr=SsrMode::Async />
            <Route path=path!("/privacy") view=privacy::PrivacyPage ssr=SsrMode::Async />
            <Route path=path!("/login") view=accounts::SignInPage ssr=SsrMode::Async />
            <Route path=path!("/setup") view=accounts::SetupPage ssr=SsrMode::Async />
        </Routes>
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use crate::paths::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_page_route_is_a_constant_of_the_paths() {
        let routed: BTreeSet<String> = leptos_axum::generate_route_list(crate::App)
            .iter()
            .map(|route| route.path().to_string())
            .collect();
        let named: BTreeSet<String> = [
            AI_SETTINGS,
            MEMBERS,
            API_ACCESS,
            ACCOUNT,
            JOIN,
            PRIVACY,
            SIGN_IN,
            SETUP,
        ]
        .into_iter()
        .map(str::to_string)
        .collect();
        assert_eq!(routed, named);
    }
}
