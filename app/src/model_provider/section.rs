use super::rules::{KeyProvider, Processing, Route};
use super::server_fns::{RemoveProviderKey, SaveProviderKey};
use super::{OwnKey, ProviderError, ProviderNotice, ProviderSnapshot, PROVIDER_SETTING};
use crate::components::ErrorCallout;
use crate::domain::time::format_utc;
use leptos::{prelude::*, server_fn::ServerFn};

/// The Model provider setting: who serves the workspace's AI, with which
/// key, where requests are processed. Server-rendered plain forms (no
/// wasm): the key form opens from a disclosure button. The page loads the
/// snapshot together with its other sections.
#[component]
pub fn ModelProvider(
    snapshot: Result<ProviderSnapshot, ProviderError>,
    notice: Option<ProviderNotice>,
    error: Option<ProviderError>,
) -> impl IntoView {
    let shown = match snapshot {
        Ok(snapshot) => view! { <Provider snapshot notice error /> }.into_any(),
        Err(load_error) => view! {
            <h2 id="model-provider-title">"Model provider"</h2>
            <ErrorCallout message=load_error.to_string() />
        }
        .into_any(),
    };
    view! {
        <section class="setting" id=PROVIDER_SETTING aria-labelledby="model-provider-title">
            {shown}
        </section>
    }
}

#[component]
fn Provider(
    snapshot: ProviderSnapshot,
    notice: Option<ProviderNotice>,
    error: Option<ProviderError>,
) -> impl IntoView {
    let may_add = snapshot.can_change && snapshot.plan.allows_own_key();
    let button = if snapshot.current.is_some() {
        "\u{21bb} Replace key"
    } else {
        "Add an API key"
    };
    let form = may_add.then(|| {
        view! {
            <details class="key-form" open=error.is_some()>
                <summary class="button-secondary">{button}</summary>
                <KeyForm snapshot=snapshot.clone() />
            </details>
        }
    });
    view! {
        <div class="setting-head">
            <h2 id="model-provider-title">"Model provider"</h2>
            {form}
        </div>
        <p class="setting-description">
            "The service that answers this workspace's AI requests: the managed provider, included in your plan, or your own account with a model provider."
        </p>
        {notice.map(|notice| view! { <p class="callout" role="status">{notice.message()}</p> })}
        {error.map(|error| view! { <ErrorCallout message=error.to_string() /> })}
        <Current snapshot=snapshot.clone() />
        {(!snapshot.plan.allows_own_key())
            .then(|| {
                view! {
                    <p class="callout">
                        {format!(
                            "Using your own OpenAI, Anthropic or OpenAI-compatible key is part of the Enterprise plan. On the {} plan the managed provider serves this workspace; nothing needs setting up.",
                            snapshot.plan,
                        )}
                    </p>
                }
            })}
        {(snapshot.current.is_some() && snapshot.can_change)
            .then(|| view! { <RemoveKey snapshot=snapshot.clone() /> })}
    }
}

#[component]
fn Current(snapshot: ProviderSnapshot) -> impl IntoView {
    let provider = match &snapshot.current {
        None => "Managed provider · no key needed".to_string(),
        Some(key) => format!("{} · workspace key", key.provider.label()),
    };
    let key_line = snapshot.current.as_ref().map(|key| {
        view! {
            <dt>"Key"</dt>
            <dd>
                <code>{format!("…{}", key.last4)}</code>
                {format!(
                    " · added by {} on {} · verified with the provider {}",
                    key.added_by,
                    format_utc(key.added_at),
                    format_utc(key.verified_at),
                )}
            </dd>
        }
    });
    let endpoint = snapshot
        .current
        .as_ref()
        .and_then(|key: &OwnKey| key.base_url.clone())
        .unwrap_or_else(|| snapshot.route.base_url.clone());
    view! {
        <dl class="facts">
            <dt>"Provider"</dt>
            <dd>{provider}</dd>
            {key_line}
            <dt>"Requests go to"</dt>
            <dd>
                <code>{endpoint}</code>
            </dd>
            <dt>"Processed"</dt>
            <dd>{processing_words(&snapshot.route)}</dd>
        </dl>
        {snapshot
            .retiring
            .map(|old| {
                view! {
                    <p class="muted">
                        {format!(
                            "The previous key …{} keeps working until {} so jobs already running can finish; then it is deleted from this server.",
                            old.last4,
                            format_utc(old.usable_until),
                        )}
                    </p>
                }
            })}
        {snapshot.current.is_some().then(|| view! { <BillingWarning /> })}
    }
}

fn processing_words(route: &Route) -> String {
    match route.processing {
        Processing::InRegion(region) => format!("In {}", region.in_words()),
        Processing::LeavesRegion { from, to } => format!(
            "Outside {}: requests leave it and are processed in {}",
            from.in_words(),
            to.in_words()
        ),
        Processing::Unknown => {
            "Wherever your endpoint runs: this console cannot tell where that is".to_string()
        }
    }
}

/// What a choice in the key form means for where data goes, said before
/// anyone saves.
fn choice_note(provider: KeyProvider, route: &Route, snapshot: &ProviderSnapshot) -> String {
    match route.processing {
        Processing::InRegion(region) => {
            format!("Processed in {} ({})", region.in_words(), host(&route.base_url))
        }
        Processing::LeavesRegion { from, to } => format!(
            "Requests leave {}: {} processes them in {}",
            from.in_words(),
            provider.label(),
            to.in_words()
        ),
        Processing::Unknown => format!(
            "Your gateway, Azure OpenAI or model server. This console cannot tell where it processes requests; if your workspace must stay in {}, make sure the endpoint does.",
            snapshot.region.in_words()
        ),
    }
}

/// `gateway.example.com:8443` of a base URL, as the page names endpoints.
fn host(base_url: &str) -> String {
    match url::Url::parse(base_url) {
        Ok(url) => match (url.host_str(), url.port()) {
            (Some(host), Some(port)) => format!("{host}:{port}"),
            (Some(host), None) => host.to_string(),
            _ => base_url.to_string(),
        },
        Err(_) => base_url.to_string(),
    }
}

#[component]
fn KeyForm(snapshot: ProviderSnapshot) -> impl IntoView {
    let selected = snapshot
        .current
        .as_ref()
        .map(|key| key.provider)
        .unwrap_or(KeyProvider::OpenAi);
    let base_url = snapshot
        .current
        .as_ref()
        .and_then(|key| key.base_url.clone())
        .unwrap_or_default();
    let choices = snapshot
        .choices
        .iter()
        .map(|(provider, route)| {
            let id = format!("provider-{}", provider.key());
            let note_id = format!("{id}-note");
            let note = choice_note(*provider, route, &snapshot);
            let leaves = matches!(route.processing, Processing::LeavesRegion { .. });
            view! {
                <div class="choice">
                    <input
                        type="radio"
                        name="provider"
                        id=id.clone()
                        value=provider.key()
                        checked=*provider == selected
                        aria-describedby=note_id.clone()
                    />
                    <label for=id>{provider.label()}</label>
                    <p id=note_id class=if leaves { "hint hint-warning" } else { "hint" }>
                        {note}
                    </p>
                </div>
            }
        })
        .collect_view();
    let replacing = snapshot.current.as_ref().map(|key| {
        format!(
            "The current key …{} keeps working for {} hours after the new one is saved, so running jobs can finish.",
            key.last4, snapshot.grace_hours
        )
    });
    view! {
        <form class="stacked-form" method="post" action=SaveProviderKey::PATH>
            <input type="hidden" name="version" value=snapshot.version.to_string() />
            <fieldset>
                <legend>"Provider"</legend>
                {choices}
            </fieldset>
            <label for="provider-key">"API key"</label>
            <input
                id="provider-key"
                name="key"
                type="password"
                required
                autocomplete="off"
                spellcheck="false"
                aria-describedby="provider-key-hint"
            />
            <p id="provider-key-hint" class="hint">
                "Checked with the provider before it is saved, then stored encrypted. Nobody can see it again here, including you."
            </p>
            <label for="provider-base-url">"Base URL, for an OpenAI-compatible endpoint only"</label>
            <input
                id="provider-base-url"
                name="base_url"
                type="url"
                placeholder="https://gateway.example.com/v1"
                value=base_url
                aria-describedby="provider-base-url-hint"
            />
            <p id="provider-base-url-hint" class="hint">
                "Changing it needs the key again. Plain http:// only to this machine."
            </p>
            <BillingWarning />
            {replacing.map(|text| view! { <p class="hint">{text}</p> })}
            {snapshot
                .models_customized
                .then(|| {
                    view! {
                        <div class="choice">
                            <input id="reset-models" name="reset_models" type="checkbox" value="on" />
                            <label for="reset-models">
                                "If the key is for another provider, reset the models chosen under Models"
                            </label>
                            <p class="hint hint-warning">
                                {format!(
                                    "This workspace chose which models services may use. A key for a provider other than {} resets that choice to every model the new provider offers, with no default; it cannot be saved unless this box is ticked.",
                                    snapshot
                                        .current
                                        .as_ref()
                                        .map(|key| key.provider.label())
                                        .unwrap_or("the managed provider (OpenAI)"),
                                )}
                            </p>
                        </div>
                    }
                })}
            <button type="submit" class="button-primary">
                "Verify and save key"
            </button>
        </form>
    }
}

#[component]
fn BillingWarning() -> impl IntoView {
    view! {
        <p class="callout billing-warning">
            <strong>"Your provider bills you for this usage. "</strong>
            "With a workspace key, every AI request of this workspace is charged by the provider to the key's account, not to us, and we cannot cover or refund that cost. Set up usage alerts and a spending limit in the provider's billing settings."
        </p>
    }
}

#[component]
fn RemoveKey(snapshot: ProviderSnapshot) -> impl IntoView {
    let Some(key) = snapshot.current else {
        return ().into_any();
    };
    view! {
        <details class="confirm">
            <summary>"Remove key…"</summary>
            <form method="post" action=RemoveProviderKey::PATH>
                <input type="hidden" name="version" value=snapshot.version.to_string() />
                <p>
                    {format!(
                        "Remove the {} key …{}? The managed provider serves this workspace at once and every stored copy of the key, including a previous one still in its grace period, is deleted. The key itself stays valid at {}: revoke it there if nothing else uses it.",
                        key.provider.label(),
                        key.last4,
                        key.provider.label(),
                    )}
                </p>
                <button type="submit" class="button-danger">
                    "Remove key and use the managed provider"
                </button>
            </form>
        </details>
    }
    .into_any()
}

/// What model partners receive, in our words; facts from the product's
/// data-privacy documentation.
#[component]
pub fn Partners() -> impl IntoView {
    view! {
        <section class="setting" aria-labelledby="partners-title">
            <h2 id="partners-title">"What model partners receive"</h2>
            <ul class="plain-list">
                <li>
                    "To answer, a model is given context from this workspace: database metadata such as schemas and table and column names, and project code with its output. Anything sensitive in those may reach the model."
                </li>
                <li>
                    "Our model partners do not train models on this data and keep no copy of it once they have answered."
                </li>
                <li>
                    "With a workspace key, all of this workspace's AI requests use that key, including the embeddings behind AI search. Your agreement with that provider then governs them."
                </li>
            </ul>
        </section>
    }
}
