use super::notice::SaveNotice;
use super::server_fns::{load_ai_settings, SettingsSnapshot};
use super::switch::SettingSwitch;
use super::training_notice::TrainingFixedByPlan;
use super::SwitchSetting;
use crate::activity::{load_activity, Activity, ActivityPage};
use crate::boundary::LoadError;
use crate::budget::server_fns::load_budget;
use crate::budget::{Budget, BudgetError, BudgetNotice, BudgetStatus, TypedBudget};
use crate::components::{typed_after_refusal, ErrorCallout, SettingsShell};
use crate::domain::TrainingControl;
use crate::features::server_fns::{load_features, FeaturesSnapshot};
use crate::features::{Features, FeaturesError, FeaturesNotice};
use crate::model_provider::server_fns::load_model_provider;
use crate::model_provider::{
    ModelProvider, Partners, ProviderError, ProviderNotice, ProviderSnapshot,
};
use crate::models::server_fns::{load_models, ModelsSnapshot};
use crate::models::{Models, ModelsError, ModelsNotice};
use crate::paths::{Section, AI_SETTINGS};
use crate::usage::server_fns::load_usage;
use crate::usage::{Usage, UsageSnapshot};
use crate::{budget, features, model_provider, models};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;
use serde::{Deserialize, Serialize};

/// `/settings/ai`. Rendered on the server; only the switches are islands
/// that run in the browser.
#[component]
pub fn AiSettingsPage() -> impl IntoView {
    let query = use_query_map();
    let notice = query.with_untracked(|q| SaveNotice::from_query(|key| q.get(key)));
    let activity_page = query.with_untracked(|q| {
        q.get("activity")
            .and_then(|page| page.parse::<u32>().ok())
            .unwrap_or(0)
    });
    let features_outcome = query.with_untracked(|q| {
        features::server_fns::OUTCOME.read::<FeaturesNotice, FeaturesError>(|key| q.get(key))
    });
    let models_outcome = query.with_untracked(|q| {
        models::server_fns::OUTCOME.read::<ModelsNotice, ModelsError>(|key| q.get(key))
    });
    let budget_outcome = query.with_untracked(|q| {
        let (notice, error) =
            budget::server_fns::OUTCOME.read::<BudgetNotice, BudgetError>(|key| q.get(key));
        BudgetOutcome {
            notice,
            error,
            typed: TypedBudget::default(),
        }
    });
    // What the refused Budget form typed, from the session.
    let typed = typed_after_refusal(AI_SETTINGS, budget_outcome.error.is_some(), None);
    let provider_outcome = query.with_untracked(|q| {
        model_provider::server_fns::OUTCOME.read::<ProviderNotice, ProviderError>(|key| q.get(key))
    });
    // Every section's data in one resource, loaded side by side: the page
    // renders once it all arrived, with no Suspense nested in another.
    let snapshot = Resource::new_blocking(
        move || activity_page,
        |activity_page| async move {
            let (settings, features, provider, models, usage, budget, activity) = futures_util::join!(
                load_ai_settings(),
                load_features(),
                load_model_provider(),
                load_models(),
                load_usage(),
                load_budget(),
                load_activity(activity_page),
            );
            settings.map(|settings| PageData {
                settings,
                features,
                provider,
                models,
                usage,
                budget,
                activity,
            })
        },
    );

    view! {
        <Title text="AI & agents · Workspace settings" />
        <Suspense fallback=|| ()>
            {move || {
                let notice = notice.clone();
                let provider_outcome = provider_outcome.clone();
                let features_outcome = features_outcome.clone();
                let models_outcome = models_outcome.clone();
                let mut budget_outcome = budget_outcome.clone();
                Suspend::new(async move {
                let typed = typed.await;
                budget_outcome.typed = TypedBudget {
                    amount: typed.get("budget_amount"),
                    warn_percent: typed.get("budget_warn"),
                    at_limit: typed.get("budget_at_limit"),
                };
                match snapshot.await {
                    Ok(snapshot) => {
                        view! {
                            <SettingsShell viewer=Some(snapshot.settings.viewer.clone()) current=Section::AiSettings>
                                <PageHeader />
                                <Sections
                                    data=snapshot
                                    notice
                                    provider_outcome
                                    features_outcome
                                    models_outcome
                                    budget_outcome
                                />
                            </SettingsShell>
                        }
                            .into_any()
                    }
                    Err(error) => {
                        view! {
                            <SettingsShell viewer=None current=Section::AiSettings>
                                <PageHeader />
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

/// What the page shows, loaded together.
#[derive(Debug, Clone, Serialize, Deserialize)]
struct PageData {
    settings: SettingsSnapshot,
    features: Result<FeaturesSnapshot, LoadError>,
    provider: Result<ProviderSnapshot, ProviderError>,
    models: Result<ModelsSnapshot, ModelsError>,
    usage: Result<UsageSnapshot, LoadError>,
    budget: Result<BudgetStatus, LoadError>,
    activity: Result<ActivityPage, LoadError>,
}

/// What the Budget form's last submission came back with.
#[derive(Debug, Clone, Default)]
struct BudgetOutcome {
    notice: Option<BudgetNotice>,
    error: Option<BudgetError>,
    typed: TypedBudget,
}

#[component]
fn PageHeader() -> impl IntoView {
    view! {
        <header class="page-header">
            <h1>"AI & agents"</h1>
            <p class="lead">
                "Decide whether AI runs in this workspace and how its AI sessions may be used."
            </p>
        </header>
    }
}

#[component]
fn Sections(
    data: PageData,
    notice: Option<SaveNotice>,
    provider_outcome: (Option<ProviderNotice>, Option<ProviderError>),
    features_outcome: (Option<FeaturesNotice>, Option<FeaturesError>),
    models_outcome: (Option<ModelsNotice>, Option<ModelsError>),
    budget_outcome: BudgetOutcome,
) -> impl IntoView {
    let PageData {
        settings: snapshot,
        features,
        provider,
        models,
        usage,
        budget,
        activity,
    } = data;
    let budget_stops_ai = budget
        .as_ref()
        .is_ok_and(|status| status.stopping_ai && snapshot.settings.ai_enabled);
    let SettingsSnapshot {
        settings,
        versions,
        plan,
        viewer,
        fixed,
    } = snapshot;
    let editable = viewer.role.can_change_settings();
    let notice_for = move |setting: SwitchSetting| {
        notice
            .as_ref()
            .filter(|notice| notice.setting == setting)
            .map(|notice| notice.result.clone())
    };
    let training = match plan.training_control() {
        TrainingControl::AdminChoice => view! {
            <SettingSwitch
                setting=SwitchSetting::TrainingAllowed
                initial=settings.training_allowed
                version=versions.training_allowed.version
                editable=editable && fixed.training_allowed.is_none()
                fixed_by=fixed.fixed_by(SwitchSetting::TrainingAllowed).map(str::to_string)
                notice=notice_for(SwitchSetting::TrainingAllowed)
            />
        }
        .into_any(),
        TrainingControl::NeverUsed => view! { <TrainingFixedByPlan plan /> }.into_any(),
    };

    view! {
        <p class="plan-line">
            "Plan: " <strong>{plan.to_string()}</strong>
            <span class="muted">" · set by the server configuration (AI_PLAN)"</span>
        </p>
        {(!editable)
            .then(|| {
                view! {
                    <p class="callout" id="read-only-note">
                        "You can see these settings, but only admins can change them. Ask an admin of this workspace if something should change."
                    </p>
                }
            })}
        {budget_stops_ai
            .then(|| {
                view! {
                    <p class="callout callout-warning" id="ai-off-by-budget">
                        "AI is off for everyone right now: this month's budget is spent. The switch below keeps its setting; see Budget below for when AI comes back and how to bring it back sooner."
                    </p>
                }
            })}
        <SettingSwitch
            setting=SwitchSetting::AiEnabled
            initial=settings.ai_enabled
            version=versions.ai_enabled.version
            editable=editable && fixed.ai_enabled.is_none()
            fixed_by=fixed.fixed_by(SwitchSetting::AiEnabled).map(str::to_string)
            notice=notice_for(SwitchSetting::AiEnabled)
        />
        {training}
        <Features
            snapshot=features
            ai_enabled=settings.ai_enabled
            notice=features_outcome.0
            error=features_outcome.1
        />
        <ModelProvider snapshot=provider notice=provider_outcome.0 error=provider_outcome.1 />
        <Models snapshot=models notice=models_outcome.0 error=models_outcome.1 />
        <Partners />
        <Usage snapshot=usage />
        <Budget
            status=budget
            notice=budget_outcome.notice
            error=budget_outcome.error
            typed=budget_outcome.typed
        />
        <Activity activity />
    }
}
