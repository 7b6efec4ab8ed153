use super::server_fns::{set_ai_enabled, set_training_allowed, SetAiEnabled, SetTrainingAllowed};
use super::{SaveError, SavedSwitch, SwitchSetting};
use leptos::{ev::SubmitEvent, prelude::*, server_fn::ServerFn};

/// The words and the form wiring of one switch.
struct SwitchCopy {
    title: &'static str,
    label: &'static str,
    description: &'static str,
    /// Shown while the switch is off, if turning it off has consequences an
    /// admin must not miss.
    off_notice: Option<&'static str>,
    action: &'static str,
    field: &'static str,
}

impl SwitchCopy {
    fn of(setting: SwitchSetting) -> Self {
        match setting {
            SwitchSetting::AiEnabled => SwitchCopy {
                title: "AI features",
                label: "Allow AI features in this workspace",
                description: "Members can ask AI to write and explain code, summarise results and run agents. While this is off, no AI feature runs for anyone and nothing is sent to a model provider.",
                off_notice: Some("AI features are turned off for every member of this workspace. Provider and key settings are kept, not erased, and apply again as soon as AI is turned back on."),
                action: SetAiEnabled::PATH,
                field: "enabled",
            },
            SwitchSetting::TrainingAllowed => SwitchCopy {
                title: "AI training",
                label: "Use this workspace's AI sessions to improve AI features",
                description: "Off unless an admin turns it on: prompts, context and answers from this workspace are not used to train or improve any model. This choice is separate from the AI switch; opting out of training never turns AI off. Our model providers never train on your data, whatever is chosen here.",
                off_notice: None,
                action: SetTrainingAllowed::PATH,
                field: "allowed",
            },
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum SaveStatus {
    Idle,
    Saving,
    Saved,
    Failed(SaveError),
}

impl SaveStatus {
    fn message(&self) -> String {
        match self {
            SaveStatus::Idle => String::new(),
            SaveStatus::Saving => "Saving…".into(),
            SaveStatus::Saved => "Saved.".into(),
            SaveStatus::Failed(error) => {
                format!("Not saved: {error}. The switch shows the setting as it still is.")
            }
        }
    }
}

async fn save(setting: SwitchSetting, value: bool, version: i64) -> Result<SavedSwitch, SaveError> {
    match setting {
        SwitchSetting::AiEnabled => set_ai_enabled(value, version).await,
        SwitchSetting::TrainingAllowed => set_training_allowed(value, version).await,
    }
}

/// One on/off setting. Without JavaScript it is a form whose button posts
/// the opposite of the current value and the server redirects back; with
/// JavaScript the same form is saved in place, showing saving, saved or
/// why it failed, and a failed save puts the switch back.
#[island]
pub fn SettingSwitch(
    setting: SwitchSetting,
    initial: bool,
    /// The setting's version when the page was rendered; every save names
    /// the version it was based on.
    version: i64,
    /// False for members: the switch shows the value but cannot change it.
    editable: bool,
    /// The configuration variable that fixes this setting, if one does.
    fixed_by: Option<String>,
    /// The outcome of a save posted without JavaScript, read from the URL.
    notice: Option<Result<(), SaveError>>,
) -> impl IntoView {
    let copy = SwitchCopy::of(setting);
    let on = RwSignal::new(initial);
    let version = RwSignal::new(version);
    let status = RwSignal::new(match notice {
        None => SaveStatus::Idle,
        Some(Ok(())) => SaveStatus::Saved,
        Some(Err(error)) => SaveStatus::Failed(error),
    });

    let submit = move |event: SubmitEvent| {
        event.prevent_default();
        if !editable || status.with_untracked(|status| *status == SaveStatus::Saving) {
            return;
        }
        let previous = on.get_untracked();
        on.set(!previous);
        status.set(SaveStatus::Saving);
        leptos::task::spawn_local(async move {
            match save(setting, !previous, version.get_untracked()).await {
                Ok(saved) => {
                    on.set(saved.value);
                    version.set(saved.version);
                    status.set(SaveStatus::Saved);
                }
                Err(error) => {
                    on.set(previous);
                    status.set(SaveStatus::Failed(error));
                }
            }
        });
    };

    let key = setting.key();
    let title_id = format!("{key}-title");
    let label_id = format!("{key}-label");
    let description_id = format!("{key}-description");
    let failed = move || status.with(|status| matches!(status, SaveStatus::Failed(_)));
    // Effects run only in the browser: this marks the switch as saved in
    // place from now on, which tests and styles can rely on.
    let interactive = RwSignal::new(false);
    Effect::new(move |_| interactive.set(true));

    view! {
        <section
            class="setting"
            id=key
            aria-labelledby=title_id.clone()
            data-interactive=move || interactive.get().to_string()
        >
            <div class="setting-text">
                <h2 id=title_id.clone()>{copy.title}</h2>
                <p id=description_id.clone() class="setting-description">
                    {copy.description}
                </p>
            </div>
            <form class="setting-control" method="post" action=copy.action on:submit=submit>
                <input type="hidden" name=copy.field value=move || (!on.get()).to_string() />
                <input type="hidden" name="version" value=move || version.get().to_string() />
                <button
                    type="submit"
                    class="switch"
                    role="switch"
                    aria-checked=move || on.get().to_string()
                    aria-labelledby=label_id.clone()
                    aria-describedby=description_id
                    aria-busy=move || status.with(|status| *status == SaveStatus::Saving).to_string()
                    disabled=!editable
                >
                    <span class="switch-track" aria-hidden="true">
                        <span class="switch-thumb"></span>
                    </span>
                    <span class="switch-state" aria-hidden="true">
                        {move || if on.get() { "On" } else { "Off" }}
                    </span>
                </button>
                <span id=label_id class="switch-label">
                    {copy.label}
                </span>
            </form>
            {fixed_by
                .map(|variable| {
                    view! {
                        <p class="fixed-value">
                            <span class="badge">"Set by the server configuration"</span>
                            " (" <code>{variable}</code> "). An operator changes it there."
                        </p>
                    }
                })}
            <p class="save-status" class:save-failed=failed role="status">
                {move || status.with(SaveStatus::message)}
            </p>
            {copy
                .off_notice
                .map(|text| {
                    view! {
                        <Show when=move || !on.get()>
                            <p class="callout callout-warning">{text}</p>
                        </Show>
                    }
                })}
        </section>
    }
}
