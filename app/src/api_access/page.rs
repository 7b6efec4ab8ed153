use super::rules::{Expiry, TokenLifetime};
use super::server_fns::{
    load_service_tokens, CreateServiceToken, RevokeServiceToken, TakeOverServiceToken,
};
use super::{NewServiceToken, ServiceToken, TokensError, TokensNotice, TokensSnapshot};
use crate::components::{form_page, FormOutcome};
use crate::domain::time::format_utc;
use crate::paths::{Section, OPENAPI, POLICY_API};
use leptos::{prelude::*, server_fn::ServerFn};
use leptos_meta::Title;

/// `/settings/api`: the service tokens with which the product's AI
/// services read this workspace's AI policy. Plain forms.
#[component]
pub fn ApiAccessPage() -> impl IntoView {
    let outcome = FormOutcome::of::<TokensNotice, TokensError>();
    view! {
        <Title text="API access · Workspace settings" />
        {form_page(
            Section::ApiAccess,
            || view! { <Header /> }.into_any(),
            load_service_tokens,
            |snapshot: &TokensSnapshot| snapshot.viewer.clone(),
            outcome,
            |snapshot| view! { <Tokens snapshot /> }.into_any(),
        )}
    }
}

#[component]
fn Header() -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>"API access"</h1>
            <p class="lead">
                "The product's AI services ask this console, before each model call, whether AI may run for this workspace and which provider to use. Each service identifies itself with a token made here."
            </p>
        </header>
    }
}

/// How services call models through the console: the two base URLs, the
/// token's right, and one example each for the SDKs people use.
/// Server-rendered text only.
#[component]
fn Gateway(public_url: Option<String>) -> impl IntoView {
    let origin = public_url.unwrap_or_else(|| "https://<this console>".into());
    let openai = format!("{origin}/gateway/openai/v1");
    let anthropic = format!("{origin}/gateway/anthropic");
    let python = format!(
        "from openai import OpenAI\nclient = OpenAI(base_url=\"{openai}\", api_key=\"<service token>\",\n                default_headers={{\"X-AI-Feature\": \"assistant\"}})\nclient.chat.completions.create(model=\"gpt-4o\", user=\"ada@example.com\",\n    messages=[{{\"role\": \"user\", \"content\": \"Hello\"}}])"
    );
    let node = format!(
        "import OpenAI from \"openai\";\nconst client = new OpenAI({{ baseURL: \"{openai}\", apiKey: \"<service token>\",\n  defaultHeaders: {{ \"X-AI-Feature\": \"assistant\" }} }});"
    );
    let claude = format!(
        "from anthropic import Anthropic\nclient = Anthropic(base_url=\"{anthropic}\", api_key=\"<service token>\",\n                   default_headers={{\"X-AI-Feature\": \"assistant\"}})"
    );
    let curl = format!(
        "curl {openai}/chat/completions \\\n  -H \"Authorization: Bearer <service token>\" -H \"X-AI-Feature: assistant\" \\\n  -H \"Content-Type: application/json\" \\\n  -d '{{\"model\": \"gpt-4o\", \"messages\": [{{\"role\": \"user\", \"content\": \"Hello\"}}]}}'"
    );
    view! {
        <section class="setting" id="gateway" aria-labelledby="gateway-title">
            <h2 id="gateway-title">"Calling models through the gateway"</h2>
            <p class="setting-description">
                "Services can call models through this console instead of holding a provider key: it applies every setting of the AI & agents page to each call, sends it with the key it keeps, and counts what it used. Use a token with "
                <strong>"May call models through the gateway"</strong>
                " as the API key. Choose the feature its calls are for when you make it, or let the service name it in the "
                <code>"X-AI-Feature"</code> " header; " <code>"X-AI-User"</code> " names whom a call runs for."
            </p>
            <dl class="gateway-urls">
                <dt>"OpenAI SDKs (base URL)"</dt>
                <dd><code id="gateway-openai-url">{openai}</code></dd>
                <dt>"Anthropic SDKs (base URL)"</dt>
                <dd><code id="gateway-anthropic-url">{anthropic}</code></dd>
            </dl>
            <details>
                <summary>"Examples: Python, Node, Anthropic, curl"</summary>
                <pre><code>{python}</code></pre>
                <pre><code>{node}</code></pre>
                <pre><code>{claude}</code></pre>
                <pre><code>{curl}</code></pre>
            </details>
        </section>
    }
}

#[component]
fn Tokens(snapshot: TokensSnapshot) -> impl IntoView {
    let path = POLICY_API.replace("{id}", &snapshot.workspace_id);
    if !snapshot.can_manage {
        return view! {
            <p class="callout">"Only admins can see, create or revoke service tokens."</p>
        }
        .into_any();
    }
    let public_url = snapshot.public_url.clone();
    view! {
        {snapshot.new_token.map(|token| view! { <NewToken token /> })}
        <Gateway public_url />
        <section class="setting" aria-labelledby="policy-title">
            <h2 id="policy-title">"The policy endpoint"</h2>
            <p class="setting-description">
                "GET " <code>{path}</code> " with " <code>"Authorization: Bearer <token>"</code>
                ". Answers are never cached, so a change made here applies to the next request. Described in "
                <a href=OPENAPI>"OpenAPI"</a> "."
            </p>
        </section>
        <section class="setting" aria-labelledby="create-token-title">
            <h2 id="create-token-title">"Create a service token"</h2>
            <form class="stacked-form" method="post" action=CreateServiceToken::PATH>
                <label for="token-name">"Name of the service that will use it"</label>
                <input id="token-name" name="name" type="text" required maxlength="80" />
                <label for="token-lifetime">"Expires after"</label>
                <select id="token-lifetime" name="lifetime">
                    {TokenLifetime::ALL
                        .iter()
                        .copied()
                        .map(|lifetime| {
                            view! {
                                <option
                                    value=lifetime.key()
                                    selected=lifetime == TokenLifetime::default()
                                >
                                    {lifetime.label()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                <div class="choice">
                    <input id="token-gateway" name="may_call_models" type="checkbox" value="on" />
                    <label for="token-gateway">"May call models through the gateway"</label>
                    <p class="hint">
                        "The service calls models through this console, which holds the key, applies every setting of the AI & agents page and counts what each call uses."
                    </p>
                </div>
                <label for="token-feature">"Its calls are for"</label>
                <select id="token-feature" name="gateway_feature">
                    <option value="" selected>"The feature the service names with each call"</option>
                    {crate::features::rules::FEATURES
                        .iter()
                        .map(|spec| view! { <option value=spec.key>{spec.title}</option> })
                        .collect_view()}
                </select>
                <div class="choice">
                    <input id="token-keys" name="may_receive_keys" type="checkbox" value="on" />
                    <label for="token-keys">"May receive the workspace's provider key"</label>
                    <p class="hint">
                        "Only for services that call the provider themselves. Every answer that contains the key is recorded in the Activity panel."
                    </p>
                </div>
                <label for="token-password">"Your password (only for a token that receives the key)"</label>
                <input
                    id="token-password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    maxlength="256"
                />
                <button type="submit" class="button-primary">
                    "Create token"
                </button>
            </form>
        </section>
        <TokenList tokens=snapshot.tokens viewer_id=snapshot.viewer_id now=snapshot.now />
    }
    .into_any()
}

#[component]
fn NewToken(token: NewServiceToken) -> impl IntoView {
    view! {
        <section class="callout new-link" aria-labelledby="new-token-title">
            <h2 id="new-token-title">{format!("Token for {}", token.name)}</h2>
            <p>
                "Copy it into the service's configuration now: it is shown only this once and stored here only as a fingerprint. If it gets lost, revoke it and create another."
            </p>
            <label for="new-token">"Service token"</label>
            <input id="new-token" type="text" readonly value=token.token />
        </section>
    }
}

/// What the list says about a token's end.
fn expiry_text(expiry: Expiry) -> String {
    match expiry {
        Expiry::Never => "Never".into(),
        Expiry::On(at) => format_utc(at),
        Expiry::Soon { at, days_left } => format!(
            "Soon: {} ({days_left} day{} left)",
            format_utc(at),
            if days_left == 1 { "" } else { "s" }
        ),
        Expiry::Expired(at) => format!("Expired {}: refused", format_utc(at)),
    }
}

#[component]
fn TokenList(
    tokens: Vec<ServiceToken>,
    viewer_id: crate::domain::UserId,
    now: i64,
) -> impl IntoView {
    if tokens.is_empty() {
        return view! { <p class="muted">"No service tokens yet."</p> }.into_any();
    }
    view! {
        <section class="setting" aria-labelledby="tokens-title">
            <h2 id="tokens-title">"Service tokens"</h2>
            <table class="members">
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Provider key"</th>
                        <th scope="col">"Created"</th>
                        <th scope="col">"Last used"</th>
                        <th scope="col">"Expires"</th>
                        <th scope="col">"Actions"</th>
                    </tr>
                </thead>
                <tbody>
                    {tokens
                        .into_iter()
                        .map(|token| {
                            if let Some(revoked_at) = token.revoked_at {
                                return view! {
                                    <tr class="muted">
                                        <td>{token.name.clone()}</td>
                                        <td>{if token.may_receive_keys { "Received it" } else { "Never" }}</td>
                                        <td>{format!("{} by {}", format_utc(token.created_at), token.created_by)}</td>
                                        <td>{token.last_used_at.map(format_utc).unwrap_or_else(|| "Never".into())}</td>
                                        <td>{format!("Revoked {}: refused", format_utc(revoked_at))}</td>
                                        <td></td>
                                    </tr>
                                }
                                .into_any();
                            }
                            let theirs = token.created_by_id.as_deref() != Some(viewer_id.as_str());
                            let take_over = theirs.then(|| {
                                view! {
                                    <form method="post" action=TakeOverServiceToken::PATH>
                                        <input type="hidden" name="token_id" value=token.id.to_string() />
                                        <button
                                            type="submit"
                                            class="button-secondary"
                                            aria-label=format!("Take over {}", token.name)
                                            title="Keep it working if the admin who made it leaves"
                                        >
                                            "Take over"
                                        </button>
                                    </form>
                                }
                            });
                            view! {
                                <tr>
                                    <td>{token.name.clone()}</td>
                                    <td>{if token.may_receive_keys { "Receives it" } else { "Never" }}</td>
                                    <td>
                                        {format!(
                                            "{} by {}",
                                            format_utc(token.created_at),
                                            token.created_by,
                                        )}
                                    </td>
                                    <td>
                                        {token
                                            .last_used_at
                                            .map(format_utc)
                                            .unwrap_or_else(|| "Never".into())}
                                    </td>
                                    <td>{expiry_text(Expiry::of(token.expires_at, now))}</td>
                                    <td class="actions">
                                        {take_over}
                                        <details class="confirm">
                                            <summary aria-label=format!("Revoke… {}", token.name)>
                                                "Revoke…"
                                            </summary>
                                            <form method="post" action=RevokeServiceToken::PATH>
                                                <input type="hidden" name="token_id" value=token.id.to_string() />
                                                <p>
                                                    {format!(
                                                        "Services using “{}” are refused from the next request, and its open policy streams close.",
                                                        token.name,
                                                    )}
                                                </p>
                                                <button type="submit" class="button-danger">
                                                    {format!("Revoke {}", token.name)}
                                                </button>
                                            </form>
                                        </details>
                                    </td>
                                </tr>
                            }
                            .into_any()
                        })
                        .collect_view()}
                </tbody>
            </table>
        </section>
    }
    .into_any()
}
