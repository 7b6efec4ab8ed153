use super::{ErrorCallout, SettingsShell};
use crate::boundary::{Notice, Refusal};
use crate::paths::Section;
use crate::use_cases::viewer::Viewer;
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use serde::{de::DeserializeOwned, Serialize};
use std::fmt::Display;
use std::future::Future;

/// What the last form post on a page did, read back from the URL it was
/// redirected to (`?done=…` or `?error=…`).
#[derive(Debug, Clone, Default)]
pub struct FormOutcome {
    pub done: Option<&'static str>,
    pub error: Option<String>,
}

impl FormOutcome {
    /// Reads `?done=<code>` and `?error=<code>` of the current URL as the
    /// page's notice `N` and refusal `E`; unknown codes show nothing.
    pub fn of<N: Notice, E: Refusal>() -> Self {
        use_query_map().with_untracked(|q| FormOutcome {
            done: q
                .get("done")
                .and_then(|code| N::from_code(&code))
                .map(N::message),
            error: q
                .get("error")
                .and_then(|code| E::from_code(&code))
                .map(|refusal| refusal.to_string()),
        })
    }
}

/// A settings page of plain forms around one snapshot the server loads:
/// the frame, the outcome of the last post, then the page's body, or why
/// the snapshot could not be loaded.
pub fn form_page<T, E, Fut>(
    section: Section,
    header: fn() -> AnyView,
    load: fn() -> Fut,
    viewer: fn(&T) -> Viewer,
    outcome: FormOutcome,
    body: fn(T) -> AnyView,
) -> impl IntoView
where
    T: Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    E: Display + Clone + Serialize + DeserializeOwned + Send + Sync + 'static,
    Fut: Future<Output = Result<T, E>> + Send + 'static,
{
    let snapshot = Resource::new_blocking(|| (), move |_| load());
    view! {
        <Suspense fallback=|| ()>
            {move || {
                let outcome = outcome.clone();
                Suspend::new(async move {
                    match snapshot.await {
                        Ok(snapshot) => {
                            view! {
                                <SettingsShell viewer=Some(viewer(&snapshot)) current=section>
                                    {header()}
                                    {outcome
                                        .done
                                        .map(|message| {
                                            view! {
                                                <p class="callout" role="status">
                                                    {message}
                                                </p>
                                            }
                                        })}
                                    {outcome.error.map(|message| view! { <ErrorCallout message /> })}
                                    {body(snapshot)}
                                </SettingsShell>
                            }
                                .into_any()
                        }
                        Err(error) => {
                            view! {
                                <SettingsShell viewer=None current=section>
                                    {header()}
                                    <ErrorCallout message=error.to_string() />
                                </SettingsShell>
                            }
                                .into_any()
                        }
                    }
                })
            }}
        </Suspense>
    }
}
