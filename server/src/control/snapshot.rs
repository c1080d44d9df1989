//! The whole stored state as one document, for `GET /_standin/state` (`standin export FILE`) and
//! `PUT /_standin/state` (`standin load FILE`).
//!
//! A snapshot is every row of every table of every API, keyed by table, with each column's value
//! as JSON (text, integer, real or null; binary as `{"base64": "…"}`). It is read from the
//! database's own catalogue rather than from a list kept here, so a new table is exported without
//! anyone remembering to add it. Loading one replaces the whole state in one transaction: a
//! snapshot loads completely or not at all. Hand-written snapshots are fixtures: any table may
//! be left out (it is then emptied), and any column with a default may be left out of a row.

use std::collections::BTreeMap;

use anyhow::{Context, bail};
use base64::Engine;
use serde_json::{Map, Value, json};
use sqlx::any::{AnyRow, AnyTypeInfoKind};
use sqlx::{AssertSqlSafe, Column, Row, ValueRef};

use crate::storage::{Backend, Database};

/// The format name every snapshot carries, so that a future change of format is detected.
pub const FORMAT: &str = "standin-state/1";

/// Tables that are bookkeeping, not state: the migrations', SQLite's own, and standin's
/// (`standin_*`, such as the shared rate-limit windows).
fn is_state_table(name: &str) -> bool {
    !name.starts_with("sqlite_") && !name.starts_with("standin_") && name != "_sqlx_migrations"
}

/// A state table's columns, and its primary key (the order rows are exported in).
#[derive(Debug, Clone)]
struct TableInfo {
    columns: Vec<String>,
    /// Whether a column is an integer (PostgreSQL types a null parameter; SQLite does not care).
    integer: Vec<bool>,
    key: Vec<String>,
}

impl TableInfo {
    fn is_integer(&self, column: &str) -> bool {
        self.columns.iter().position(|c| c == column).is_some_and(|i| self.integer[i])
    }
}

/// The state tables and their columns, from the database's catalogue.
async fn tables(db: &Database) -> anyhow::Result<BTreeMap<String, TableInfo>> {
    let pool = &db.pool;
    let names: Vec<String> = match db.backend {
        Backend::Sqlite => {
            sqlx::query_scalar("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
                .fetch_all(pool)
                .await?
        }
        Backend::Postgres => {
            sqlx::query_scalar(
                "SELECT CAST(table_name AS TEXT) FROM information_schema.tables \
                 WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name",
            )
            .fetch_all(pool)
            .await?
        }
    };
    let mut tables = BTreeMap::new();
    for name in names.into_iter().filter(|n| is_state_table(n)) {
        // The name comes from the catalogue, not from a client.
        let rows: Vec<(String, String, i64)> = match db.backend {
            Backend::Sqlite => {
                sqlx::query_as(AssertSqlSafe(format!(
                    "SELECT name, upper(type), pk FROM pragma_table_info('{name}') ORDER BY cid"
                )))
                .fetch_all(pool)
                .await?
            }
            Backend::Postgres => {
                sqlx::query_as(
                    "SELECT CAST(c.column_name AS TEXT), upper(CAST(c.data_type AS TEXT)), \
                        CAST(COALESCE(k.ordinal_position, 0) AS BIGINT) \
                     FROM information_schema.columns c \
                     LEFT JOIN information_schema.table_constraints t \
                        ON t.table_schema = c.table_schema AND t.table_name = c.table_name \
                        AND t.constraint_type = 'PRIMARY KEY' \
                     LEFT JOIN information_schema.key_column_usage k \
                        ON k.constraint_name = t.constraint_name AND k.table_schema = c.table_schema \
                        AND k.column_name = c.column_name \
                     WHERE c.table_schema = current_schema() AND c.table_name = $1 ORDER BY c.ordinal_position",
                )
                .bind(&name)
                .fetch_all(pool)
                .await?
            }
        };
        let mut key: Vec<(i64, String)> = rows.iter().filter(|r| r.2 > 0).map(|r| (r.2, r.0.clone())).collect();
        key.sort();
        tables.insert(
            name,
            TableInfo {
                columns: rows.iter().map(|r| r.0.clone()).collect(),
                integer: rows.iter().map(|r| r.1.contains("INT")).collect(),
                key: key.into_iter().map(|(_, c)| c).collect(),
            },
        );
    }
    Ok(tables)
}

fn column_value(row: &AnyRow, index: usize) -> anyhow::Result<Value> {
    let raw = row.try_get_raw(index)?;
    if raw.is_null() {
        return Ok(Value::Null);
    }
    Ok(match raw.type_info().kind() {
        AnyTypeInfoKind::SmallInt | AnyTypeInfoKind::Integer | AnyTypeInfoKind::BigInt => {
            json!(row.try_get::<i64, _>(index)?)
        }
        AnyTypeInfoKind::Real | AnyTypeInfoKind::Double => json!(row.try_get::<f64, _>(index)?),
        AnyTypeInfoKind::Blob => {
            json!({"base64": base64::engine::general_purpose::STANDARD.encode(row.try_get::<Vec<u8>, _>(index)?)})
        }
        _ => json!(row.try_get::<String, _>(index)?),
    })
}

/// Every row of every state table, in primary-key order.
pub async fn export(db: &Database) -> anyhow::Result<Value> {
    let pool = &db.pool;
    let mut out = Map::new();
    for (table, info) in tables(db).await? {
        let order = if info.key.is_empty() {
            String::new()
        } else {
            format!(" ORDER BY {}", info.key.iter().map(|c| format!("\"{c}\"")).collect::<Vec<_>>().join(", "))
        };
        let rows = sqlx::query(AssertSqlSafe(format!("SELECT * FROM \"{table}\"{order}"))).fetch_all(pool).await?;
        let mut exported = Vec::with_capacity(rows.len());
        for row in &rows {
            let mut object = Map::new();
            for (i, column) in row.columns().iter().enumerate() {
                object.insert(column.name().to_string(), column_value(row, i)?);
            }
            exported.push(Value::Object(object));
        }
        out.insert(table, Value::Array(exported));
    }
    Ok(json!({"format": FORMAT, "tables": out}))
}

/// The tables that count other tables' rows (so that lists answer `total` without counting), and
/// how to recompute each from the rows it counts: a snapshot may leave them out (a hand-written
/// fixture need not keep them), and they are then derived from the rows it loaded.
const COUNT_TABLES: &[(&str, &str)] = &[
    (
        "barbican_project_order_counts",
        "INSERT INTO barbican_project_order_counts (project_id, live_orders) \
         SELECT project_id, COUNT(*) FROM barbican_orders WHERE deleted = 0 GROUP BY project_id",
    ),
    (
        "marketplace_service_counts",
        "INSERT INTO marketplace_service_counts (kind, active, services) \
         SELECT kind, active, COUNT(*) FROM marketplace_company_services GROUP BY kind, active",
    ),
    // Kept by triggers on every insert, so already derived when the snapshot leaves it out.
    ("orchestrator_list_counts", ""),
];

/// How many rows a load wrote, per table.
pub type Loaded = BTreeMap<String, u64>;

/// Replace the whole state with a snapshot's, in one transaction.
pub async fn import(db: &Database, snapshot: &Value) -> anyhow::Result<Loaded> {
    let pool = &db.pool;
    match snapshot.get("format").and_then(Value::as_str) {
        Some(FORMAT) => {}
        Some(other) => bail!("`format` is {other:?}; this standin reads {FORMAT:?}"),
        None => bail!("a snapshot needs `format: {FORMAT}`"),
    }
    if let Some(unknown) =
        snapshot.as_object().and_then(|o| o.keys().find(|k| !matches!(k.as_str(), "format" | "tables")))
    {
        bail!("a snapshot has `format` and `tables` only, not {unknown:?}");
    }
    let given = snapshot.get("tables").and_then(Value::as_object).context("a snapshot needs a `tables` object")?;
    let known = tables(db).await?;
    if let Some(unknown) = given.keys().find(|t| !known.contains_key(*t)) {
        bail!("no table {unknown:?} (tables: {})", known.keys().cloned().collect::<Vec<_>>().join(", "));
    }
    let mut tx = pool.begin().await?;
    // References (a location's region) are checked at commit, so tables load in any order.
    let defer = match db.backend {
        Backend::Sqlite => "PRAGMA defer_foreign_keys = ON",
        Backend::Postgres => "SET CONSTRAINTS ALL DEFERRED",
    };
    sqlx::query(defer).execute(&mut *tx).await?;
    for table in known.keys() {
        sqlx::query(AssertSqlSafe(format!("DELETE FROM \"{table}\""))).execute(&mut *tx).await?;
    }
    let is_count = |t: &str| COUNT_TABLES.iter().any(|(c, _)| *c == t);
    // Counted rows first, then the counts: a count the snapshot gives replaces what a trigger
    // derived while its rows loaded.
    let ordered = given.iter().filter(|(t, _)| !is_count(t)).chain(given.iter().filter(|(t, _)| is_count(t)));
    let mut loaded = Loaded::new();
    for (table, rows) in ordered {
        let info = &known[table];
        let columns = &info.columns;
        let rows = rows.as_array().with_context(|| format!("`tables.{table}` must be an array of rows"))?;
        for (n, row) in rows.iter().enumerate() {
            let row = row.as_object().with_context(|| format!("`tables.{table}[{n}]` must be an object"))?;
            if let Some(unknown) = row.keys().find(|c| !columns.contains(c)) {
                bail!("`tables.{table}[{n}]`: no column {unknown:?} (columns: {})", columns.join(", "));
            }
            if row.is_empty() {
                bail!("`tables.{table}[{n}]` has no columns");
            }
            // Column names are checked against the catalogue above; values are bound.
            let names: Vec<String> = row.keys().map(|c| format!("\"{c}\"")).collect();
            let marks: Vec<String> = (1..=names.len()).map(|i| format!("${i}")).collect();
            // A count the snapshot gives replaces the one its rows' triggers derived.
            let replace = if is_count(table) && !info.key.is_empty() {
                let key: Vec<String> = info.key.iter().map(|c| format!("\"{c}\"")).collect();
                let set: Vec<String> = names.iter().map(|c| format!("{c} = excluded.{c}")).collect();
                format!(" ON CONFLICT ({}) DO UPDATE SET {}", key.join(", "), set.join(", "))
            } else {
                String::new()
            };
            let sql = format!("INSERT INTO \"{table}\" ({}) VALUES ({}){replace}", names.join(", "), marks.join(", "));
            let mut query = sqlx::query(AssertSqlSafe(sql));
            for (column, value) in row {
                query = match value {
                    Value::Null if info.is_integer(column) => query.bind(None::<i64>),
                    Value::Null => query.bind(None::<String>),
                    Value::Bool(b) => query.bind(i64::from(*b)),
                    Value::Number(n) if n.is_i64() => query.bind(n.as_i64()),
                    Value::Number(n) => query.bind(n.as_f64()),
                    Value::String(s) => query.bind(s.clone()),
                    Value::Object(o) if o.len() == 1 && o.get("base64").is_some_and(Value::is_string) => {
                        let text = o["base64"].as_str().unwrap_or_default();
                        let bytes = base64::engine::general_purpose::STANDARD
                            .decode(text)
                            .with_context(|| format!("`tables.{table}[{n}]`: bad base64"))?;
                        query.bind(bytes)
                    }
                    other => query.bind(other.to_string()),
                };
            }
            query.execute(&mut *tx).await.with_context(|| format!("`tables.{table}[{n}]` cannot be stored"))?;
            *loaded.entry(table.clone()).or_default() += 1;
        }
    }
    for (table, derive) in COUNT_TABLES {
        if !given.contains_key(*table) && !derive.is_empty() {
            sqlx::query(*derive).execute(&mut *tx).await?;
        }
    }
    if db.backend == Backend::Postgres {
        // Rows loaded with their `seq` leave the sequences behind: move each past its table's rows.
        for (table, info) in &known {
            if info.columns.iter().any(|c| c == "seq") {
                sqlx::query(AssertSqlSafe(format!(
                    "SELECT CAST(setval(pg_get_serial_sequence('{table}', 'seq'), COALESCE(MAX(seq), 0) + 1, false) AS BIGINT) FROM \"{table}\""
                )))
                .execute(&mut *tx)
                .await?;
            }
        }
    }
    tx.commit().await.context("the snapshot's rows do not hold together")?;
    Ok(loaded)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{StorageLocation, open};

    #[tokio::test]
    async fn a_snapshot_round_trips_and_a_bad_one_changes_nothing() {
        let pool = open(&StorageLocation::Ephemeral).await.unwrap();
        let snapshot = json!({"format": FORMAT, "tables": {
            "barbican_project_order_counts": [{"project_id": "p1", "live_orders": 2}],
            "barbican_secrets": [{"id": "s1", "project_id": "p1", "secret_type": "symmetric", "content_type": "application/octet-stream",
                                  "created_at": "2026-01-01T00:00:00.000000", "updated_at": "2026-01-01T00:00:00.000000",
                                  "payload": {"base64": "AAEC"}}]
        }});
        let loaded = import(&pool, &snapshot).await.unwrap();
        assert_eq!(loaded.values().sum::<u64>(), 2);
        let exported = export(&pool).await.unwrap();
        assert_eq!(
            exported["tables"]["barbican_project_order_counts"],
            json!([{"project_id": "p1", "live_orders": 2}])
        );
        assert_eq!(exported["tables"]["barbican_secrets"][0]["payload"], json!({"base64": "AAEC"}));
        assert_eq!(exported["tables"]["barbican_orders"], json!([]), "every table is exported");
        assert!(exported["tables"].get("_sqlx_migrations").is_none());

        let bad =
            json!({"format": FORMAT, "tables": {"barbican_project_order_counts": [{"project_id": "p2", "nope": 1}]}});
        let err = import(&pool, &bad).await.unwrap_err().to_string();
        assert!(err.contains(r#"no column "nope""#), "{err}");
        assert_eq!(export(&pool).await.unwrap(), exported, "nothing changed");
        let err = import(&pool, &json!({"tables": {}})).await.unwrap_err().to_string();
        assert!(err.contains("format"), "{err}");
        let err = import(&pool, &json!({"format": FORMAT, "tables": {"users; DROP TABLE x": []}})).await.unwrap_err();
        assert!(err.to_string().starts_with("no table"), "{err}");
    }
}
