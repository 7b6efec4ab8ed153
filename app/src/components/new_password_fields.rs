use crate::accounts::credentials::MIN_PASSWORD_CHARS;
use leptos::prelude::*;

/// A new password typed twice, with the length rule stated and checked by
/// the browser before the form is sent (the server checks it again).
/// `name` is the form field (and the server function's argument); the
/// second one is `{name}_again`.
#[component]
pub fn NewPasswordFields(name: &'static str, label: &'static str) -> impl IntoView {
    let again = format!("{name}_again");
    let hint = format!("{name}-hint");
    view! {
        <label for=name>{label}</label>
        <input
            id=name
            name=name
            type="password"
            autocomplete="new-password"
            required
            minlength=MIN_PASSWORD_CHARS.to_string()
            aria-describedby=hint.clone()
        />
        <p id=hint class="hint">
            {format!("At least {MIN_PASSWORD_CHARS} characters.")}
        </p>
        <label for=again.clone()>{format!("{label} again")}</label>
        <input id=again.clone() name=again type="password" autocomplete="new-password" required />
    }
}
