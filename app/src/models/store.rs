//! SQL for the model lists and choices. Schema: `app/migrations/*/…_models.sql`.

use super::rules::ModelChoice;
use crate::db::{Flag, Tx};
use crate::domain::WorkspaceId;
use sqlx::AnyExecutor;

/// The models the workspace key's provider listed last, sorted.
pub async fn offered(
    db: impl AnyExecutor<'_>,
    workspace: &WorkspaceId,
) -> Result<Vec<String>, sqlx::Error> {
    sqlx::query_scalar("SELECT model FROM offered_models WHERE workspace_id = $1 ORDER BY model")
        .bind(workspace.as_str())
        .fetch_all(db)
        .await
}

/// Replaces the provider's list.
pub async fn replace_offered(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    models: &[String],
) -> Result<(), sqlx::Error> {
    sqlx::query("DELETE FROM offered_models WHERE workspace_id = $1")
        .bind(workspace.as_str())
        .execute(&mut **tx)
        .await?;
    for model in models {
        sqlx::query("INSERT INTO offered_models (workspace_id, model) VALUES ($1, $2)")
            .bind(workspace.as_str())
            .bind(model)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

#[derive(sqlx::FromRow)]
struct ChoiceRow {
    allow_all: Flag,
    default_model: Option<String>,
}

/// The stored choice; all models and no default without one.
pub async fn choice(
    db: &mut sqlx::AnyConnection,
    workspace: &WorkspaceId,
) -> Result<ModelChoice, sqlx::Error> {
    let row: Option<ChoiceRow> = sqlx::query_as(
        "SELECT allow_all, default_model FROM model_choices WHERE workspace_id = $1",
    )
    .bind(workspace.as_str())
    .fetch_optional(&mut *db)
    .await?;
    let Some(row) = row else {
        return Ok(ModelChoice::default());
    };
    let allowed = sqlx::query_scalar(
        "SELECT model FROM allowed_models WHERE workspace_id = $1 ORDER BY model",
    )
    .bind(workspace.as_str())
    .fetch_all(db)
    .await?;
    Ok(ModelChoice {
        all: row.allow_all.into(),
        allowed,
        default: row.default_model,
    })
}

/// Stores a choice in place of the one before.
pub async fn save_choice(
    tx: &mut Tx<'_>,
    workspace: &WorkspaceId,
    choice: &ModelChoice,
) -> Result<(), sqlx::Error> {
    reset_choice(tx, workspace).await?;
    sqlx::query(
        "INSERT INTO model_choices (workspace_id, allow_all, default_model) VALUES ($1, $2, $3)",
    )
    .bind(workspace.as_str())
    .bind(choice.all)
    .bind(choice.default.as_deref())
    .execute(&mut **tx)
    .await?;
    for model in choice.allowed.iter().filter(|_| !choice.all) {
        sqlx::query("INSERT INTO allowed_models (workspace_id, model) VALUES ($1, $2)")
            .bind(workspace.as_str())
            .bind(model)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Back to all models, no default.
pub async fn reset_choice(tx: &mut Tx<'_>, workspace: &WorkspaceId) -> Result<(), sqlx::Error> {
    for table in ["model_choices", "allowed_models"] {
        sqlx::query(&format!("DELETE FROM {table} WHERE workspace_id = $1"))
            .bind(workspace.as_str())
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}
