use super::Outcome;
use leptos::prelude::*;

/// A section of the AI page made of plain forms: its heading, what it is
/// for, an optional note, what became of its last form post, then its
/// body. `id` is its anchor (forms send the browser back to it) and names
/// its heading (`{id}-title`) and class.
#[component]
pub fn FormSection(
    id: &'static str,
    title: &'static str,
    description: &'static str,
    /// Shown before the outcome, e.g. why the choices do not apply now.
    #[prop(default = None)]
    note: Option<AnyView>,
    notice: Option<&'static str>,
    error: Option<String>,
    children: Children,
) -> impl IntoView {
    let heading = format!("{id}-title");
    let labelled_by = heading.clone();
    view! {
        <section class=format!("setting {id}") id=id aria-labelledby=labelled_by>
            <h2 id=heading>{title}</h2>
            <p class="setting-description">{description}</p>
            {note}
            <Outcome notice error />
            {children()}
        </section>
    }
}
