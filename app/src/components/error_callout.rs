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
