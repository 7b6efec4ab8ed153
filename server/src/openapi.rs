//! The service APIs' OpenAPI description, generated from the types they
//! serialise and served at `/api/v1/openapi.json`.

use crate::service_api::ApiError;
use app::api_access::policy_document::{
    FeatureDecision, FeaturePolicy, ModelsPolicy, PolicyDocument, ProviderPolicy, RetiringKeyPolicy,
};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use std::sync::LazyLock;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::OpenApi;

/// The description served at `/api/v1/openapi.json`.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "AI & agents console: policy API",
        version = "1",
        description = "What the product's AI services ask before calling a model for a workspace. \
                       Answers are never cached by the console, so an admin's change applies to \
                       the next request."
    ),
    paths(
        crate::policy_api::ai_policy,
        crate::policy_api::ai_policy_stream,
        crate::usage_api::report_usage
    ),
    components(schemas(
        PolicyDocument,
        ProviderPolicy,
        RetiringKeyPolicy,
        FeaturePolicy,
        FeatureDecision,
        ModelsPolicy,
        crate::policy_api::PolicyAnswer,
        crate::policy_api::FeatureKey,
        crate::policy_api::RoleKey,
        crate::usage_api::UsageReport,
        crate::usage_api::UsageReportEvent,
        crate::usage_api::PaidByKey,
        app::usage::service::Receipt,
        app::budget::service::NotificationBody,
        ApiError
    )),
    modifiers(&ServiceTokenScheme)
)]
pub struct PolicyApiDescription;

struct ServiceTokenScheme;

impl utoipa::Modify for ServiceTokenScheme {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some("A service token created on Settings > API access."))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("serviceToken", SecurityScheme::Http(scheme));
    }
}

static OPENAPI_JSON: LazyLock<String> = LazyLock::new(|| {
    PolicyApiDescription::openapi()
        .to_json()
        .unwrap_or_else(|error| {
            tracing::error!(%error, "serialising the OpenAPI description failed");
            String::from("{}")
        })
});

pub async fn openapi() -> Response {
    (
        [(header::CONTENT_TYPE, "application/json")],
        OPENAPI_JSON.as_str(),
    )
        .into_response()
}
