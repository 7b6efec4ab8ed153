use super::rules::{AgentActions, Audience, FeatureSpec, FEATURES};
use super::server_fns::{FeaturesSnapshot, SetAgentActions, SetFeatureAudience};
use super::store_keys::AGENT_ACTIONS;
use super::{FeaturesError, FeaturesNotice, FEATURES_SECTION};
use crate::boundary::LoadError;
use crate::components::{ErrorCallout, FormSection};
use leptos::{prelude::*, server_fn::ServerFn};

/// The Features section of the AI page: who may use each AI feature, and
/// what agents may do. Server-rendered plain forms, one a choice.
#[component]
pub fn Features(
    snapshot: Result<FeaturesSnapshot, LoadError>,
    ai_enabled: bool,
    notice: Option<FeaturesNotice>,
    error: Option<FeaturesError>,
) -> impl IntoView {
    let body = match snapshot {
        Ok(snapshot) => view! { <Choices snapshot ai_enabled /> }.into_any(),
        Err(error) => view! { <ErrorCallout message=error.to_string() /> }.into_any(),
    };
    let ai_off = (!ai_enabled).then(|| {
        view! {
            <p class="callout" id="features-ai-off">
                "AI is off for this workspace, so every feature is off. The choices below are kept and apply when AI is on."
            </p>
        }
        .into_any()
    });
    view! {
        <FormSection
            id=FEATURES_SECTION
            title="Features"
            description="Who may use each AI feature. Services ask before every use, so a change applies from their next request."
            note=ai_off
            notice=notice.map(|notice| notice.message())
            error=error.map(|error| error.to_string())
        >
            {body}
        </FormSection>
    }
}

#[component]
fn Choices(snapshot: FeaturesSnapshot, ai_enabled: bool) -> impl IntoView {
    let version = |key: &str| snapshot.versions.get(key).copied().unwrap_or_default();
    FEATURES
        .iter()
        .map(|spec| {
            let fixed_by = snapshot.fixed.audience(spec.feature).map(|_| spec.variable);
            let audience = view! {
                <FeatureAudience
                    spec=*spec
                    current=snapshot.choices.audience(spec.feature)
                    version=version(spec.key)
                    editable=snapshot.can_change && fixed_by.is_none()
                    fixed_by
                    ai_enabled
                />
            };
            let actions = (spec.key == "agents").then(|| {
                let fixed_by = snapshot.fixed.agent_actions.map(|_| AgentActions::VARIABLE);
                view! {
                    <AgentActionsChoice
                        current=snapshot.choices.agent_actions
                        version=version(AGENT_ACTIONS)
                        editable=snapshot.can_change && fixed_by.is_none()
                        fixed_by
                    />
                }
            });
            view! {
                <div class="feature" id=format!("feature-{}", spec.key)>
                    {audience}
                    {actions}
                </div>
            }
        })
        .collect_view()
}

/// Why a choice cannot be changed here, if it cannot.
fn fixed_note(fixed_by: Option<&'static str>) -> impl IntoView {
    fixed_by.map(|variable| {
        view! {
            <p class="muted">{format!("Set by the server configuration ({variable}).")}</p>
        }
    })
}

#[component]
fn FeatureAudience(
    spec: FeatureSpec,
    current: Audience,
    version: i64,
    editable: bool,
    fixed_by: Option<&'static str>,
    ai_enabled: bool,
) -> impl IntoView {
    let state = if !ai_enabled {
        "Off: AI is off for this workspace. Kept; applies when AI is on."
    } else if current == Audience::NoOne {
        "Off for everyone."
    } else {
        "On."
    };
    view! {
        <form method="post" action=SetFeatureAudience::PATH>
            <fieldset disabled=!editable>
                <legend>{spec.title}</legend>
                <p class="hint">{spec.description}</p>
                <p class="feature-state">{state}</p>
                <input type="hidden" name="feature" value=spec.key />
                <input type="hidden" name="version" value=version />
                <Radios
                    name="audience"
                    id_prefix=spec.key
                    options=Audience::ALL.iter().map(|audience| (audience.key(), audience.label())).collect()
                    current=current.key()
                    class="choices-inline"
                />
                {fixed_note(fixed_by)}
                {editable
                    .then(|| {
                        view! {
                            <button
                                type="submit"
                                class="button-secondary"
                                aria-label=format!("Save who may use {}", spec.title)
                            >
                                "Save"
                            </button>
                        }
                    })}
            </fieldset>
        </form>
    }
}

#[component]
fn AgentActionsChoice(
    current: AgentActions,
    version: i64,
    editable: bool,
    fixed_by: Option<&'static str>,
) -> impl IntoView {
    view! {
        <form method="post" action=SetAgentActions::PATH>
            <fieldset disabled=!editable>
                <legend>"What agents may do"</legend>
                <input type="hidden" name="version" value=version />
                <Radios
                    name="actions"
                    id_prefix="agents"
                    options=AgentActions::ALL.iter().map(|actions| (actions.key(), actions.label())).collect()
                    current=current.key()
                    class="choices-stacked"
                />
                {fixed_note(fixed_by)}
                {editable
                    .then(|| {
                        view! {
                            <button
                                type="submit"
                                class="button-secondary"
                                aria-label="Save what agents may do"
                            >
                                "Save"
                            </button>
                        }
                    })}
            </fieldset>
        </form>
    }
}

/// One radio button per option (`(value, label)`), `current` checked.
#[component]
fn Radios(
    name: &'static str,
    id_prefix: &'static str,
    options: Vec<(&'static str, &'static str)>,
    current: &'static str,
    class: &'static str,
) -> impl IntoView {
    view! {
        <div class=class>
            {options
                .into_iter()
                .map(|(value, label)| {
                    let id = format!("{id_prefix}-{value}");
                    view! {
                        <span class="choice-inline">
                            <input
                                type="radio"
                                id=id.clone()
                                name=name
                                value=value
                                checked=value == current
                            />
                            <label for=id>{label}</label>
                        </span>
                    }
                })
                .collect_view()}
        </div>
    }
}
