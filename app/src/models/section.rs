use super::server_fns::{ModelsSnapshot, RefreshModelList, SaveModels};
use super::{ModelsError, ModelsNotice, MODELS_SETTING};
use crate::components::{ErrorCallout, FormSection};
use leptos::{prelude::*, server_fn::ServerFn};

/// The Models section: which models services may use, and the default.
/// Server-rendered plain forms.
#[component]
pub fn Models(
    snapshot: Result<ModelsSnapshot, ModelsError>,
    notice: Option<ModelsNotice>,
    error: Option<ModelsError>,
) -> impl IntoView {
    let body = match snapshot {
        Ok(snapshot) => view! { <Choice snapshot /> }.into_any(),
        Err(error) => view! { <ErrorCallout message=error.to_string() /> }.into_any(),
    };
    view! {
        <FormSection
            id=MODELS_SETTING
            title="Models"
            description="Which of the provider's models this workspace's AI services may use, and the one they use unless they have a reason to pick another."
            notice=notice.map(|notice| notice.message())
            error=error.map(|error| error.to_string())
        >
            {body}
        </FormSection>
    }
}

#[component]
fn Choice(snapshot: ModelsSnapshot) -> impl IntoView {
    let editable = snapshot.can_change && snapshot.fixed_by.is_none();
    let source = if snapshot.own_key {
        "The list is what the workspace key's provider offered when the key was last verified or the list refreshed."
    } else {
        "The list is the managed provider's, set by the server configuration (AI_MANAGED_MODELS)."
    };
    let dropped: Vec<String> = snapshot
        .listed
        .iter()
        .filter(|model| model.allowed && !model.offered)
        .map(|model| model.name.clone())
        .collect();
    let refresh = (snapshot.own_key && snapshot.can_change).then(|| {
        view! {
            <form method="post" action=RefreshModelList::PATH class="inline-form">
                <button type="submit" class="button-secondary">"Refresh model list"</button>
            </form>
        }
    });
    view! {
        <p class="hint">{source}</p>
        {(!dropped.is_empty())
            .then(|| {
                view! {
                    <p class="callout callout-error" id="models-dropped">
                        {format!(
                            "The provider no longer offers {}. Services asking for it will fail; untick it or pick another default.",
                            dropped.join(", "),
                        )}
                    </p>
                }
            })}
        <form method="post" action=SaveModels::PATH>
            <fieldset disabled=!editable>
                <legend>"Models services may use"</legend>
                <input type="hidden" name="version" value=snapshot.version />
                <span class="choice-inline">
                    <input type="radio" id="models-all" name="scope" value="all" checked=snapshot.all />
                    <label for="models-all">"Every model the provider offers"</label>
                </span>
                <span class="choice-inline">
                    <input
                        type="radio"
                        id="models-selected"
                        name="scope"
                        value="selected"
                        checked=!snapshot.all
                    />
                    <label for="models-selected">"Only the models ticked below"</label>
                </span>
                <ul class="model-list">
                    {snapshot
                        .listed
                        .iter()
                        .enumerate()
                        .map(|(n, model)| {
                            let id = format!("model-{n}");
                            let note = (!model.offered).then_some(" — no longer offered by the provider");
                            view! {
                                <li class="choice-inline">
                                    <input
                                        type="checkbox"
                                        id=id.clone()
                                        name="models[]"
                                        value=model.name.clone()
                                        checked=!snapshot.all && model.allowed
                                    />
                                    <label for=id>
                                        <code>{model.name.clone()}</code>
                                        {note}
                                    </label>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <label for="default-model">"Default model"</label>
                <select id="default-model" name="default_model">
                    <option value="" selected=snapshot.default.is_none()>
                        "No default: each service picks"
                    </option>
                    {snapshot
                        .listed
                        .iter()
                        .map(|model| {
                            view! {
                                <option value=model.name.clone() selected=model.default>
                                    {model.name.clone()}
                                </option>
                            }
                        })
                        .collect_view()}
                </select>
                {snapshot
                    .fixed_by
                    .clone()
                    .map(|variables| {
                        view! {
                            <p class="muted">
                                {format!("Set by the server configuration ({variables}).")}
                            </p>
                        }
                    })}
                {editable
                    .then(|| {
                        view! {
                            <button type="submit" class="button-secondary">
                                "Save models"
                            </button>
                        }
                    })}
            </fieldset>
        </form>
        {refresh}
    }
}
