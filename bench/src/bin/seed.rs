//! Fill a standin data directory (or PostgreSQL schema) with N ACTIVE key orders of one project, for ci/bench's
//! list-latency-by-store-size runs (1,000 to 1,000,000 orders). Writing them through the API would
//! take minutes at a million; this writes the rows the API would have written, in large
//! transactions, through standin's own migrations.

use std::path::PathBuf;

use clap::Parser;
use standin::storage::{StorageLocation, open};

#[derive(Parser)]
struct Args {
    /// The data directory (`standin serve --data-dir`).
    #[arg(long, required_unless_present = "database_url")]
    data_dir: Option<PathBuf>,
    /// Or a PostgreSQL database (`standin serve --database-url`), with its schema.
    #[arg(long)]
    database_url: Option<String>,
    #[arg(long, requires = "database_url")]
    database_schema: Option<String>,
    /// The project the orders belong to.
    #[arg(long, default_value = "bench-project")]
    project: String,
    /// How many orders to add.
    #[arg(long)]
    orders: u64,
}

const BATCH: u64 = 20_000;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let location = match (&args.database_url, &args.data_dir) {
        (Some(url), _) => StorageLocation::Postgres { url: url.clone(), schema: args.database_schema.clone() },
        (None, Some(dir)) => StorageLocation::DataDir(dir.clone()),
        (None, None) => anyhow::bail!("--data-dir or --database-url"),
    };
    let pool = open(&location).await?;
    let start = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).and_then(|d| d.and_hms_opt(0, 0, 0)).expect("a valid date");
    let meta = r#"{"name":"bench","algorithm":"aes","bit_length":256,"mode":"cbc","expiration":null}"#;
    let mut written = 0;
    while written < args.orders {
        let mut tx = pool.pool.begin().await?;
        let batch = BATCH.min(args.orders - written);
        for i in written..written + batch {
            let at = (start + chrono::TimeDelta::milliseconds(i as i64)).format("%Y-%m-%dT%H:%M:%S%.6f").to_string();
            sqlx::query(
                "INSERT INTO barbican_orders (id, project_id, order_type, status, meta, created_at, updated_at,
                    sub_status, sub_status_message, secret_id)
                 VALUES ($1, $2, 'key', 'ACTIVE', $3, $4, $5, 'Unknown', 'Unknown', $6)",
            )
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(&args.project)
            .bind(meta)
            .bind(&at)
            .bind(&at)
            .bind(uuid::Uuid::new_v4().to_string())
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query(
            "INSERT INTO barbican_project_order_counts (project_id, live_orders) VALUES ($1, $2)
             ON CONFLICT (project_id) DO UPDATE SET live_orders = barbican_project_order_counts.live_orders + excluded.live_orders",
        )
        .bind(&args.project)
        .bind(batch as i64)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        written += batch;
    }
    pool.pool.close().await;
    println!("bench-seed: {written} orders in project {} under {location:?}", args.project);
    Ok(())
}
