use crate::accounts::personal_data::PersonalData;
use crate::accounts::AuthError;
use leptos::prelude::*;

/// "Download your data": the signed-in person's data as a JSON file. A
/// form post (no JavaScript needed); the answer is an attachment, so the
/// browser saves it and stays on the page.
#[server(endpoint = "account/export")]
pub async fn export_personal_data() -> Result<PersonalData, AuthError> {
    use crate::accounts::service;
    use crate::boundary::load_for_actor;
    use http::header::{HeaderValue, CACHE_CONTROL, CONTENT_DISPOSITION};

    let data = load_for_actor(async |state, actor| service::export(state, actor).await).await?;
    if let Some(response) = use_context::<leptos_axum::ResponseOptions>() {
        response.insert_header(
            CONTENT_DISPOSITION,
            HeaderValue::from_static("attachment; filename=\"my-data.json\""),
        );
        response.insert_header(CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    Ok(data)
}
