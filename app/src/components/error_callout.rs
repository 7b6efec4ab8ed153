use leptos::prelude::*;

/// A failure the person must read, announced to screen readers at once.
#[component]
pub fn ErrorCallout(message: String) -> impl IntoView {
    view! {
        <p class="callout callout-error" role="alert">
            {message}
        </p>
    }
}

/// What became of a section's last form post: "it worked", or why not.
#[component]
pub fn Outcome(notice: Option<&'static str>, error: Option<String>) -> impl IntoView {
    view! {
        {notice.map(|notice| view! { <p class="callout" role="status">{notice}</p> })}
        {error.map(|message| view! { <ErrorCallout message /> })}
    }
}
