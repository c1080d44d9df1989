//! The database: SQLite (embedded, the default) or PostgreSQL (shared by several instances), one
//! storage layer for both through sqlx's `Any` driver.
//!
//! Every query is written once, in the SQL both databases read: `$1`-style parameters (sqlx's
//! SQLite driver binds them by number too), `ON CONFLICT` upserts, `RETURNING`, no database
//! functions outside the common set. What truly differs (the schema's DDL and triggers, the
//! catalogue queries of snapshots, row claims) lives in the two migration trees
//! `server/migrations/{sqlite,postgres}/` and behind [`Backend`].
//!
//! SQLite: by default a file under the data directory, in WAL mode, so everything a client was
//! told succeeded survives a restart or a crash (a write is committed before the response is
//! sent). `--ephemeral` keeps it in memory instead, on a single connection (an in-memory SQLite
//! database lives and dies with its connection). Only one standin may use a SQLite database.
//!
//! PostgreSQL (`--database-url postgres://…`): any number of standins share it. Nothing in a
//! process may then assume it is alone: see `docs/design.md` ("Several instances").

use std::fmt::Write as _;
use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions};
use sqlx::{AnyPool, AssertSqlSafe, ConnectOptions, Connection, Executor};

/// Where standin keeps its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageLocation {
    /// SQLite in memory: gone when the process exits.
    Ephemeral,
    /// SQLite: `standin.sqlite` in this directory (created if missing).
    DataDir(PathBuf),
    /// PostgreSQL at this URL, shared with other instances.
    Postgres {
        url: String,
        /// A schema of its own (created if missing) instead of the connection's default, so that
        /// several sandboxes (or test runs) can share one database.
        schema: Option<String>,
    },
}

impl StorageLocation {
    /// The location a `--database-url` names: `postgres://…` or `postgresql://…`.
    pub fn from_database_url(url: &str, schema: Option<String>) -> anyhow::Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(StorageLocation::Postgres { url: url.to_string(), schema })
        } else {
            anyhow::bail!("--database-url takes a postgres:// URL (SQLite is chosen with --data-dir or --ephemeral)")
        }
    }
}

/// Which database a [`Database`] talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pool of connections to standin's database, and which kind it is.
#[derive(Clone, Debug)]
pub struct Database {
    pub pool: AnyPool,
    pub backend: Backend,
}

impl Database {
    /// Whether other standin instances may share this database (PostgreSQL): then nothing cached
    /// in this process can be trusted to see every write.
    pub fn is_shared(&self) -> bool {
        self.backend == Backend::Postgres
    }
}

/// A schema name standin accepts: letters, digits and underscores, not starting with a digit.
fn check_schema(schema: &str) -> anyhow::Result<()> {
    let ok = !schema.is_empty()
        && schema.len() <= 63
        && schema.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
        && !schema.as_bytes()[0].is_ascii_digit();
    anyhow::ensure!(ok, "the schema name {schema:?} must be letters, digits and underscores (at most 63)");
    Ok(())
}

/// Open (creating if needed) the database and bring its schema up to date.
pub async fn open(location: &StorageLocation) -> anyhow::Result<Database> {
    sqlx::any::install_default_drivers();
    let database = match location {
        StorageLocation::Ephemeral => {
            let options = AnyConnectOptions::from_str("sqlite::memory:")?;
            let pool = AnyPoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .after_connect(|conn, _| {
                    Box::pin(async move { conn.execute("PRAGMA foreign_keys = ON").await.map(drop) })
                })
                .connect_with(options)
                .await?;
            Database { pool, backend: Backend::Sqlite }
        }
        StorageLocation::DataDir(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
            let file = sqlx::sqlite::SqliteConnectOptions::new().filename(dir.join("standin.sqlite"));
            let mut url = file.to_url_lossy();
            url.set_query(Some("mode=rwc"));
            let options = AnyConnectOptions::from_url(&url)?;
            let pool = AnyPoolOptions::new()
                .max_connections(8)
                .after_connect(|conn, _| {
                    Box::pin(async move {
                        // WAL + NORMAL: a committed transaction survives a process crash (SIGKILL);
                        // only a power loss can lose the last transactions.
                        conn.execute(
                            "PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA busy_timeout = 10000; \
                             PRAGMA foreign_keys = ON",
                        )
                        .await
                        .map(drop)
                    })
                })
                .connect_with(options)
                .await
                .with_context(|| format!("cannot open the database in {}", dir.display()))?;
            Database { pool, backend: Backend::Sqlite }
        }
        StorageLocation::Postgres { url, schema } => {
            let options = AnyConnectOptions::from_str(url).context("cannot read the --database-url")?;
            if let Some(schema) = schema {
                check_schema(schema)?;
                // Created over a connection of its own, before the pool points every connection at it.
                // Instances starting together take turns (CREATE SCHEMA IF NOT EXISTS itself races).
                let mut conn = sqlx::AnyConnection::connect_with(&options).await.context("cannot reach PostgreSQL")?;
                conn.execute("SELECT pg_advisory_lock(5732191)").await?;
                let created = conn.execute(AssertSqlSafe(format!("CREATE SCHEMA IF NOT EXISTS \"{schema}\""))).await;
                conn.execute("SELECT pg_advisory_unlock(5732191)").await?;
                created.with_context(|| format!("cannot create the schema {schema}"))?;
                conn.close().await?;
            }
            let search_path = schema.clone();
            let pool = AnyPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .after_connect(move |conn, _| {
                    let search_path = search_path.clone();
                    Box::pin(async move {
                        if let Some(schema) = search_path {
                            conn.execute(AssertSqlSafe(format!("SET search_path TO \"{schema}\""))).await?;
                        }
                        Ok(())
                    })
                })
                .connect_with(options)
                .await
                .context("cannot connect to PostgreSQL")?;
            Database { pool, backend: Backend::Postgres }
        }
    };
    match database.backend {
        Backend::Sqlite => sqlx::migrate!("./migrations/sqlite").run(&database.pool).await,
        // Instances starting together migrate one at a time (sqlx takes an advisory lock).
        Backend::Postgres => sqlx::migrate!("./migrations/postgres").run(&database.pool).await,
    }
    .context("cannot migrate the database")?;
    Ok(database)
}

/// Whether a text can be stored, or looked up, at all: PostgreSQL's text holds no NUL character
/// (SQLite's does), so an id with one names nothing on either database.
pub fn storable(text: &str) -> bool {
    !text.contains('\0')
}

/// A value bound to a query built at run time (see [`SqlBuilder`]).
#[derive(Debug, Clone)]
pub enum BindValue {
    Text(String),
    Int(i64),
}

/// A statement assembled from trusted fragments, with its values bound as `$n` parameters (what
/// both databases read; sqlx's own `QueryBuilder` writes `?` under the `Any` driver).
#[derive(Debug, Default)]
pub struct SqlBuilder {
    sql: String,
    binds: Vec<BindValue>,
}

impl SqlBuilder {
    pub fn new(sql: impl Into<String>) -> Self {
        SqlBuilder { sql: sql.into(), binds: Vec::new() }
    }

    /// Append SQL text (never a client's text: values go through [`Self::push_bind`]).
    pub fn push(&mut self, sql: &str) -> &mut Self {
        self.sql.push_str(sql);
        self
    }

    /// Append a parameter and bind `value` to it.
    pub fn push_bind(&mut self, value: BindValue) -> &mut Self {
        self.binds.push(value);
        // Writing to a String cannot fail.
        let _ = write!(self.sql, "${}", self.binds.len());
        self
    }

    pub fn sql(&self) -> &str {
        &self.sql
    }

    /// The query, with every value bound.
    pub fn build(&self) -> sqlx::query::Query<'_, sqlx::Any, sqlx::any::AnyArguments> {
        let mut query = sqlx::query(AssertSqlSafe(self.sql.as_str()));
        for value in &self.binds {
            query = match value {
                BindValue::Text(s) => query.bind(s.as_str()),
                BindValue::Int(i) => query.bind(*i),
            };
        }
        query
    }

    /// The same, for a query of one value.
    pub fn build_scalar<T>(&self) -> sqlx::query::QueryScalar<'_, sqlx::Any, T, sqlx::any::AnyArguments>
    where
        T: Send + Unpin,
        (T,): for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow>,
    {
        let mut query = sqlx::query_scalar(AssertSqlSafe(self.sql.as_str()));
        for value in &self.binds {
            query = match value {
                BindValue::Text(s) => query.bind(s.as_str()),
                BindValue::Int(i) => query.bind(*i),
            };
        }
        query
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_built_statement_numbers_its_parameters() {
        let mut q = SqlBuilder::new("SELECT * FROM t WHERE a = ");
        q.push_bind(BindValue::Text("x".into())).push(" AND b = ").push_bind(BindValue::Int(2));
        assert_eq!(q.sql(), "SELECT * FROM t WHERE a = $1 AND b = $2");
    }

    #[test]
    fn schema_names_are_checked() {
        assert!(check_schema("standin_ci_1").is_ok());
        for bad in ["", "1abc", "a-b", "a\"b", "a;drop"] {
            assert!(check_schema(bad).is_err(), "{bad}");
        }
    }

    #[tokio::test]
    async fn both_placeholder_styles_reach_sqlite_by_number() {
        let db = open(&StorageLocation::Ephemeral).await.unwrap();
        let (a, b): (i64, String) =
            sqlx::query_as("SELECT $2, $1").bind("one").bind(2_i64).fetch_one(&db.pool).await.unwrap();
        assert_eq!((a, b.as_str()), (2, "one"));
    }
}
