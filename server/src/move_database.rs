//! `server migrate-database`: the embedded SQLite database copied into an
//! empty PostgreSQL database, for a console that grows to several
//! replicas. Every table is copied in one transaction on the target (all
//! or nothing), column by column as PostgreSQL types it (SQLite keeps
//! flags as 0/1, PostgreSQL as booleans), tables that others refer to
//! first; counters of generated ids are moved past the copied rows, and
//! row counts are compared at the end. The source is only read.

use sqlx::postgres::{PgConnectOptions, PgConnection, PgRow};
use sqlx::sqlite::{SqliteConnectOptions, SqliteConnection, SqliteRow};
use sqlx::{ConnectOptions, Connection, Row};
use std::collections::{BTreeMap, BTreeSet};
use std::str::FromStr;

/// Why nothing was copied (or, for a count mismatch, why the copy is not
/// to be trusted).
#[derive(Debug, thiserror::Error)]
pub enum MoveError {
    #[error("--from must be an SQLite URL (sqlite://…), --to a PostgreSQL one (postgres://…)")]
    Urls,
    #[error("the SQLite database is not at this console's schema ({0}); start this version of the console on it once (which brings it up to date), stop it, then run this again")]
    SourceSchema(String),
    #[error(
        "the PostgreSQL database is not empty (table {0} has rows); give it an empty database"
    )]
    TargetNotEmpty(String),
    #[error("the two schemas differ: {0}")]
    Schemas(String),
    #[error("after the copy, {table} has {source_rows} row(s) in SQLite but {target_rows} in PostgreSQL")]
    Counts {
        table: String,
        source_rows: i64,
        target_rows: i64,
    },
    #[error("{what}: {source}")]
    Database {
        what: String,
        #[source]
        source: sqlx::Error,
    },
}

fn failed(what: impl Into<String>) -> impl FnOnce(sqlx::Error) -> MoveError {
    let what = what.into();
    move |source| MoveError::Database { what, source }
}

/// A PostgreSQL column: its name and how its values are read from SQLite.
#[derive(Debug, Clone)]
struct Column {
    name: String,
    kind: Kind,
    /// Its values come from a sequence, which must move past them.
    generated: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Flag,
    Whole,
    Real,
    Text,
    Bytes,
}

impl Kind {
    fn of(data_type: &str) -> Option<Kind> {
        Some(match data_type {
            "boolean" => Kind::Flag,
            "bigint" | "integer" | "smallint" => Kind::Whole,
            "double precision" | "real" | "numeric" => Kind::Real,
            "text" | "character varying" | "character" => Kind::Text,
            "bytea" => Kind::Bytes,
            _ => return None,
        })
    }
}

/// Every table of the target and its columns, in the order to fill them
/// (a table after the tables it refers to).
async fn target_tables(target: &mut PgConnection) -> Result<Vec<(String, Vec<Column>)>, MoveError> {
    let rows: Vec<PgRow> = sqlx::query(
        "SELECT c.table_name::text, c.column_name::text, c.data_type::text,
                (c.column_default LIKE 'nextval(%' OR c.is_identity = 'YES') AS generated
         FROM information_schema.columns c
         JOIN information_schema.tables t
           ON t.table_name = c.table_name AND t.table_schema = c.table_schema
         WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE'
           AND c.table_name <> '_sqlx_migrations'
         ORDER BY c.table_name, c.ordinal_position",
    )
    .fetch_all(&mut *target)
    .await
    .map_err(failed("reading the PostgreSQL schema"))?;
    let mut tables: BTreeMap<String, Vec<Column>> = BTreeMap::new();
    for row in rows {
        let table: String = row.get(0);
        let name: String = row.get(1);
        let data_type: String = row.get(2);
        let kind = Kind::of(&data_type).ok_or_else(|| {
            MoveError::Schemas(format!(
                "{table}.{name} is of a type this copy does not know ({data_type})"
            ))
        })?;
        tables.entry(table).or_default().push(Column {
            name,
            kind,
            generated: row.get::<Option<bool>, _>(3).unwrap_or(false),
        });
    }
    let references: Vec<(String, String)> = sqlx::query_as(
        "SELECT child.relname::text, parent.relname::text
         FROM pg_constraint k
         JOIN pg_class child ON child.oid = k.conrelid
         JOIN pg_class parent ON parent.oid = k.confrelid
         JOIN pg_namespace n ON n.oid = child.relnamespace
         WHERE k.contype = 'f' AND n.nspname = current_schema()",
    )
    .fetch_all(&mut *target)
    .await
    .map_err(failed("reading the PostgreSQL schema"))?;
    // Tables in an order where each comes after those it refers to.
    let mut ordered = Vec::new();
    let mut placed = BTreeSet::new();
    while placed.len() < tables.len() {
        let before = placed.len();
        for table in tables.keys() {
            let ready = references
                .iter()
                .filter(|(child, parent)| child == table && parent != table)
                .all(|(_, parent)| placed.contains(parent) || !tables.contains_key(parent));
            if !placed.contains(table) && ready {
                placed.insert(table.clone());
                ordered.push(table.clone());
            }
        }
        if placed.len() == before {
            return Err(MoveError::Schemas(
                "the tables refer to each other in a circle".into(),
            ));
        }
    }
    Ok(ordered
        .into_iter()
        .filter_map(|table| tables.remove(&table).map(|columns| (table, columns)))
        .collect())
}

/// One SQLite row's values, as the target's columns want them.
#[derive(Debug)]
enum Value {
    Flag(Option<bool>),
    Whole(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Bytes(Option<Vec<u8>>),
}

fn read(row: &SqliteRow, index: usize, kind: Kind) -> Result<Value, sqlx::Error> {
    Ok(match kind {
        Kind::Flag => Value::Flag(row.try_get::<Option<i64>, _>(index)?.map(|flag| flag != 0)),
        Kind::Whole => Value::Whole(row.try_get(index)?),
        Kind::Real => Value::Real(row.try_get(index)?),
        Kind::Text => Value::Text(row.try_get(index)?),
        Kind::Bytes => Value::Bytes(row.try_get(index)?),
    })
}

/// Most values one INSERT binds (PostgreSQL takes at most 65,535).
const MOST_BINDS: usize = 10_000;

fn quoted(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

/// Copies every table from the SQLite database `from` into the empty
/// PostgreSQL database `to` (migrated first); returns each table's rows.
pub async fn copy(from: &str, to: &str) -> Result<Vec<(String, i64)>, MoveError> {
    if !from.starts_with("sqlite:")
        || !(to.starts_with("postgres:") || to.starts_with("postgresql:"))
    {
        return Err(MoveError::Urls);
    }
    let source_options = SqliteConnectOptions::from_str(from)
        .map_err(failed("reading --from"))?
        .read_only(true);
    let mut source = source_options
        .connect()
        .await
        .map_err(failed("opening the SQLite database"))?;
    check_source_schema(&mut source).await?;
    // The target gets this build's schema, as the console would give it.
    app::db::connect(to)
        .await
        .map_err(|error| MoveError::Schemas(format!("preparing PostgreSQL: {error}")))?
        .close()
        .await;
    let mut target = PgConnectOptions::from_str(to)
        .map_err(failed("reading --to"))?
        .connect()
        .await
        .map_err(failed("opening the PostgreSQL database"))?;
    let tables = target_tables(&mut target).await?;
    for (table, _) in &tables {
        let rows: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", quoted(table)))
            .fetch_one(&mut target)
            .await
            .map_err(failed(format!("counting {table} in PostgreSQL")))?;
        if rows > 0 {
            return Err(MoveError::TargetNotEmpty(table.clone()));
        }
    }
    let mut tx = target
        .begin()
        .await
        .map_err(failed("starting the PostgreSQL transaction"))?;
    let mut copied = Vec::new();
    for (table, columns) in &tables {
        let names: Vec<String> = columns.iter().map(|column| quoted(&column.name)).collect();
        let rows: Vec<SqliteRow> = sqlx::query(&format!(
            "SELECT {} FROM {}",
            names.join(", "),
            quoted(table)
        ))
        .fetch_all(&mut source)
        .await
        .map_err(|error| {
            MoveError::Schemas(format!(
                "{table} cannot be read from SQLite as PostgreSQL has it: {error}"
            ))
        })?;
        let per_insert = (MOST_BINDS / columns.len().max(1)).max(1);
        for chunk in rows.chunks(per_insert) {
            let mut values = Vec::with_capacity(chunk.len() * columns.len());
            let mut placeholders = Vec::with_capacity(chunk.len());
            for row in chunk {
                let mut marks = Vec::with_capacity(columns.len());
                for (index, column) in columns.iter().enumerate() {
                    values.push(read(row, index, column.kind).map_err(|error| {
                        MoveError::Schemas(format!("{table}.{}: {error}", column.name))
                    })?);
                    marks.push(format!("${}", values.len()));
                }
                placeholders.push(format!("({})", marks.join(", ")));
            }
            // Ids keep their values, generated or not.
            let overriding = if columns.iter().any(|column| column.generated) {
                " OVERRIDING SYSTEM VALUE"
            } else {
                ""
            };
            let sql = format!(
                "INSERT INTO {} ({}){overriding} VALUES {}",
                quoted(table),
                names.join(", "),
                placeholders.join(", ")
            );
            let mut insert = sqlx::query(&sql);
            for value in values {
                insert = match value {
                    Value::Flag(flag) => insert.bind(flag),
                    Value::Whole(whole) => insert.bind(whole),
                    Value::Real(real) => insert.bind(real),
                    Value::Text(text) => insert.bind(text),
                    Value::Bytes(bytes) => insert.bind(bytes),
                };
            }
            insert
                .execute(&mut *tx)
                .await
                .map_err(failed(format!("copying {table}")))?;
        }
        for column in columns.iter().filter(|column| column.generated) {
            sqlx::query(&format!(
                "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX({name}), 1), MAX({name}) IS NOT NULL) FROM {table}",
                name = quoted(&column.name),
                table = quoted(table),
            ))
            .bind(table)
            .bind(&column.name)
            .execute(&mut *tx)
            .await
            .map_err(failed(format!("moving {table}'s id counter on")))?;
        }
        copied.push((table.clone(), rows.len() as i64));
    }
    tx.commit().await.map_err(failed("committing the copy"))?;
    for (table, source_rows) in &copied {
        let target_rows: i64 =
            sqlx::query_scalar(&format!("SELECT COUNT(*) FROM {}", quoted(table)))
                .fetch_one(&mut target)
                .await
                .map_err(failed(format!("counting {table} in PostgreSQL")))?;
        if target_rows != *source_rows {
            return Err(MoveError::Counts {
                table: table.clone(),
                source_rows: *source_rows,
                target_rows,
            });
        }
    }
    let _ = source.close().await;
    let _ = target.close().await;
    Ok(copied)
}

/// The source must have exactly this build's migrations: its tables are
/// then the target's, column for column.
async fn check_source_schema(source: &mut SqliteConnection) -> Result<(), MoveError> {
    let applied: Vec<i64> =
        sqlx::query_scalar("SELECT version FROM _sqlx_migrations WHERE success ORDER BY version")
            .fetch_all(&mut *source)
            .await
            .map_err(|_| MoveError::SourceSchema("it has no console schema".into()))?;
    let known: Vec<i64> = app::db::Backend::Sqlite
        .migrator()
        .iter()
        .map(|migration| migration.version)
        .collect();
    if applied != known {
        return Err(MoveError::SourceSchema(format!(
            "{} of this version's {} migrations applied",
            applied
                .iter()
                .filter(|version| known.contains(version))
                .count(),
            known.len()
        )));
    }
    Ok(())
}
