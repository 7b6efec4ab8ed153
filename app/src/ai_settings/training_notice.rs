use crate::domain::Plan;
use leptos::prelude::*;

/// The training card on a plan that never uses AI sessions for training:
/// a statement, not a control, because there is nothing to decide.
#[component]
pub fn TrainingFixedByPlan(plan: Plan) -> impl IntoView {
    view! {
        <section class="setting" id="training_allowed" aria-labelledby="training_allowed-title">
            <div class="setting-text">
                <h2 id="training_allowed-title">"AI training"</h2>
                <p class="fixed-value">
                    <span class="badge badge-safe">"Not used for training on your plan"</span>
                </p>
                <p class="setting-description">
                    "On the " {plan.to_string()}
                    " plan, prompts, context and answers from this workspace are never used to train or improve any model. There is nothing to opt out of."
                </p>
            </div>
        </section>
    }
}
