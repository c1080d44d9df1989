//! The embedded database: SQLite through sqlx, with the migrations in `server/migrations/`.
//!
//! By default the database is a file under the data directory, in WAL mode, so everything a client
//! was told succeeded survives a restart or a crash (a write is committed before the response is
//! sent). `--ephemeral` keeps it in memory instead, on a single connection (an in-memory SQLite
//! database lives and dies with its connection).

use std::path::PathBuf;
use std::str::FromStr;
use std::time::Duration;

use anyhow::Context;
use sqlx::SqlitePool;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

/// Where standin keeps its state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageLocation {
    /// In memory: gone when the process exits.
    Ephemeral,
    /// `standin.sqlite` in this directory (created if missing).
    DataDir(PathBuf),
}

/// Open (creating if needed) the database and bring its schema up to date.
pub async fn open(location: &StorageLocation) -> anyhow::Result<SqlitePool> {
    let pool = match location {
        StorageLocation::Ephemeral => {
            let options = SqliteConnectOptions::from_str("sqlite::memory:")?.foreign_keys(true);
            SqlitePoolOptions::new()
                .max_connections(1)
                .min_connections(1)
                .idle_timeout(None)
                .max_lifetime(None)
                .connect_with(options)
                .await?
        }
        StorageLocation::DataDir(dir) => {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create the data directory {}", dir.display()))?;
            let options = SqliteConnectOptions::new()
                .filename(dir.join("standin.sqlite"))
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                // WAL + NORMAL: a committed transaction survives a process crash (SIGKILL); only a
                // power loss can lose the last transactions.
                .synchronous(SqliteSynchronous::Normal)
                .busy_timeout(Duration::from_secs(10))
                .foreign_keys(true);
            SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await
                .with_context(|| format!("cannot open the database in {}", dir.display()))?
        }
    };
    sqlx::migrate!("./migrations").run(&pool).await.context("cannot migrate the database")?;
    Ok(pool)
}
