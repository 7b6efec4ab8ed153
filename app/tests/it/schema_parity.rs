//! The two migration trees describe one schema: after every migration,
//! SQLite and PostgreSQL have the same tables with the same columns, of
//! the same kinds. Runs on the test command's PostgreSQL pass (it needs
//! both databases); on the SQLite pass there is nothing to compare with.

use app::db;
use std::collections::BTreeMap;

/// What a column holds, in words both databases' types map to.
fn kind(declared: &str) -> &'static str {
    let declared = declared.to_ascii_lowercase();
    if declared.contains("int") || declared == "boolean" {
        // Flags are integers on SQLite and booleans on PostgreSQL; the
        // `Flag` type reads either.
        "whole number"
    } else if declared.contains("char") || declared.contains("text") {
        "text"
    } else if declared.contains("real") || declared.contains("double") || declared.contains("float")
    {
        "real number"
    } else if declared.contains("blob") || declared == "bytea" {
        "bytes"
    } else {
        "other"
    }
}

type Schema = BTreeMap<String, BTreeMap<String, &'static str>>;

fn schema(rows: Vec<(String, String, String)>) -> Schema {
    let mut schema = Schema::new();
    for (table, column, declared) in rows {
        if table.starts_with("_sqlx") || table.starts_with("sqlite_") {
            continue;
        }
        schema
            .entry(table)
            .or_default()
            .insert(column, kind(&declared));
    }
    schema
}

#[tokio::test]
async fn sqlite_and_postgresql_end_with_the_same_tables_and_columns() {
    if std::env::var("TEST_DATABASE_URL").is_err() {
        eprintln!("schema parity: compared on the PostgreSQL pass only");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let sqlite = db::connect(&format!(
        "sqlite://{}",
        dir.path().join("parity.db").display()
    ))
    .await
    .unwrap();
    let postgres = db::connect(&test_support::database::fresh_database_url(dir.path()).await)
        .await
        .unwrap();
    let on_sqlite = schema(
        sqlx::query_as(
            "SELECT m.name, p.name, p.type FROM sqlite_master m, pragma_table_info(m.name) p
             WHERE m.type = 'table'",
        )
        .fetch_all(&sqlite)
        .await
        .unwrap(),
    );
    let on_postgres = schema(
        sqlx::query_as(
            "SELECT table_name::text, column_name::text, data_type::text
             FROM information_schema.columns WHERE table_schema = 'public'",
        )
        .fetch_all(&postgres)
        .await
        .unwrap(),
    );
    let tables = |schema: &Schema| schema.keys().cloned().collect::<Vec<_>>();
    assert_eq!(tables(&on_sqlite), tables(&on_postgres), "the same tables");
    for (table, columns) in &on_sqlite {
        assert_eq!(
            Some(columns),
            on_postgres.get(table),
            "{table}: the same columns, of the same kinds (SQLite, then PostgreSQL)"
        );
    }
    assert!(on_sqlite.len() > 10, "the schema was read: {on_sqlite:?}");
}
