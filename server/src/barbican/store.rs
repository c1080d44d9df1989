//! Storage of orders, secrets and containers (see [`crate::storage`]).
//!
//! Everything is scoped by project: a lookup with the wrong project finds nothing, exactly as a
//! missing order. Deletes are soft (Barbican marks rows deleted); the generated secret or
//! container stays when its order is deleted, as in Barbican.

use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};
use uuid::Uuid;

use super::model::{Order, OrderStatus, OrderType, Outcome};
use super::paging::Paging;
use crate::storage::Database;

const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6f";

fn to_text(t: &NaiveDateTime) -> String {
    t.format(TIME_FORMAT).to_string()
}

fn from_text(s: &str) -> anyhow::Result<NaiveDateTime> {
    Ok(NaiveDateTime::parse_from_str(s, TIME_FORMAT)?)
}

/// How a PENDING order becomes due for processing.
#[derive(Debug, Clone, PartialEq)]
pub struct PendingRule {
    pub due_at: Option<NaiveDateTime>,
    pub polls_left: Option<i64>,
}

/// A generated secret, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Secret {
    pub id: Uuid,
    pub project_id: String,
    pub name: Option<String>,
    pub secret_type: String,
    pub algorithm: Option<String>,
    pub bit_length: Option<i64>,
    pub mode: Option<String>,
    pub expiration: Option<NaiveDateTime>,
    pub content_type: String,
    pub creator_id: Option<String>,
    pub created: NaiveDateTime,
    pub updated: NaiveDateTime,
    pub payload: Vec<u8>,
}

/// A generated container (an asymmetric order's key pair), as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Container {
    pub id: Uuid,
    pub project_id: String,
    pub name: Option<String>,
    pub container_type: String,
    pub creator_id: Option<String>,
    pub created: NaiveDateTime,
    pub updated: NaiveDateTime,
    /// `(name, secret id)` in Barbican's order.
    pub secret_refs: Vec<(String, Uuid)>,
}

/// The orders, secrets and containers of every project.
#[derive(Clone)]
pub struct OrderStore {
    pool: AnyPool,
    /// Bumped after every committed change, so that caches of what was read can tell they are
    /// stale (see [`super::page_cache`]). It counts this process's writes only, which is why the
    /// cache is off when other instances share the database.
    generation: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

impl OrderStore {
    pub fn new(db: Database) -> Self {
        OrderStore { pool: db.pool, generation: Default::default() }
    }

    /// How many changes were committed so far (an opaque, growing number).
    pub fn generation(&self) -> u64 {
        self.generation.load(std::sync::atomic::Ordering::Acquire)
    }

    /// Say that the tables changed under the store (a snapshot load, say): every cached read is stale.
    pub fn invalidate(&self) {
        self.generation.fetch_add(1, std::sync::atomic::Ordering::AcqRel);
    }

    /// Insert a new order (and count it for its project) in one transaction.
    /// `claimed_until`: the order is claimed for processing from the start (see [`Self::claim`]),
    /// for a creator about to process it, so that no other reader takes it and no second write is
    /// needed to claim it.
    pub async fn insert(
        &self,
        order: &Order,
        pending: Option<&PendingRule>,
        claimed_until: Option<NaiveDateTime>,
    ) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO barbican_orders (id, project_id, order_type, status, meta, creator_id, created_at, updated_at,
                sub_status, sub_status_message, error_status_code, error_reason, secret_id, container_id, due_at, polls_left,
                claimed_until)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)",
        )
        .bind(order.id.to_string())
        .bind(&order.project_id)
        .bind(order.order_type.as_str())
        .bind(order.status.as_str())
        .bind(serde_json::to_string(&order.meta)?)
        .bind(&order.creator_id)
        .bind(to_text(&order.created))
        .bind(to_text(&order.updated))
        .bind(&order.sub_status)
        .bind(&order.sub_status_message)
        .bind(&order.error_status_code)
        .bind(&order.error_reason)
        .bind(order.secret_id.map(|s| s.to_string()))
        .bind(order.container_id.map(|s| s.to_string()))
        .bind(pending.and_then(|p| p.due_at.as_ref()).map(to_text))
        .bind(pending.and_then(|p| p.polls_left))
        .bind(claimed_until.as_ref().map(to_text))
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO barbican_project_order_counts (project_id, live_orders) VALUES ($1, 1)
             ON CONFLICT (project_id) DO UPDATE SET live_orders = barbican_project_order_counts.live_orders + 1",
        )
        .bind(&order.project_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.invalidate();
        Ok(())
    }

    /// Whether an order with this id exists at all (any project, deleted or not).
    pub async fn exists(&self, id: &Uuid) -> anyhow::Result<bool> {
        let found: Option<i64> = sqlx::query_scalar("SELECT 1 FROM barbican_orders WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        Ok(found.is_some())
    }

    /// A live order of any project (for the control plane, which acts on every project).
    pub async fn find(&self, id: &Uuid) -> anyhow::Result<Option<Order>> {
        let row = sqlx::query("SELECT * FROM barbican_orders WHERE id = $1 AND deleted = 0")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| order_from_row(&r)).transpose()
    }

    /// Remove every order, secret and container (of one project, or of all): the control plane's
    /// reset. Returns how many orders went.
    pub async fn remove_all(&self, project_id: Option<&str>) -> anyhow::Result<u64> {
        let mut tx = self.pool.begin().await?;
        // Orders first: their count is the answer.
        const TABLES: [(&str, &str); 4] = [
            ("DELETE FROM barbican_orders WHERE project_id = $1", "DELETE FROM barbican_orders"),
            ("DELETE FROM barbican_secrets WHERE project_id = $1", "DELETE FROM barbican_secrets"),
            ("DELETE FROM barbican_containers WHERE project_id = $1", "DELETE FROM barbican_containers"),
            (
                "DELETE FROM barbican_project_order_counts WHERE project_id = $1",
                "DELETE FROM barbican_project_order_counts",
            ),
        ];
        let mut removed = Vec::with_capacity(TABLES.len());
        for (one_project, every_project) in TABLES {
            let done = match project_id {
                Some(project) => sqlx::query(one_project).bind(project).execute(&mut *tx).await?,
                None => sqlx::query(every_project).execute(&mut *tx).await?,
            };
            removed.push(done.rows_affected());
        }
        let orders = removed[0];
        tx.commit().await?;
        self.invalidate();
        Ok(orders)
    }

    /// A live order of this project.
    pub async fn get(&self, project_id: &str, id: &Uuid) -> anyhow::Result<Option<Order>> {
        let row = sqlx::query("SELECT * FROM barbican_orders WHERE id = $1 AND project_id = $2 AND deleted = 0")
            .bind(id.to_string())
            .bind(project_id)
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| order_from_row(&r)).transpose()
    }

    /// One page of a project's live orders, oldest first, and how many there are in all.
    /// `meta_filter` keeps orders whose stored meta contains the JSON-encoded string (Barbican's
    /// `LIKE '%"<s>"%'`); without it, `total` is the maintained count, not a scan.
    pub async fn list(
        &self,
        project_id: &str,
        paging: Paging,
        meta_filter: Option<&str>,
    ) -> anyhow::Result<(Vec<Order>, i64)> {
        let (rows, total) = match meta_filter {
            None => {
                let rows = sqlx::query(
                    "SELECT * FROM barbican_orders WHERE project_id = $1 AND deleted = 0
                     ORDER BY created_at, seq LIMIT $2 OFFSET $3",
                )
                .bind(project_id)
                .bind(paging.limit)
                .bind(paging.offset)
                .fetch_all(&self.pool)
                .await?;
                let total: Option<i64> =
                    sqlx::query_scalar("SELECT live_orders FROM barbican_project_order_counts WHERE project_id = $1")
                        .bind(project_id)
                        .fetch_optional(&self.pool)
                        .await?;
                (rows, total.unwrap_or(0))
            }
            Some(filter) => {
                let pattern = format!("%{}%", serde_json::to_string(filter)?);
                let rows = sqlx::query(
                    "SELECT * FROM barbican_orders WHERE project_id = $1 AND deleted = 0 AND meta LIKE $2
                     ORDER BY created_at, seq LIMIT $3 OFFSET $4",
                )
                .bind(project_id)
                .bind(&pattern)
                .bind(paging.limit)
                .bind(paging.offset)
                .fetch_all(&self.pool)
                .await?;
                let total: i64 = sqlx::query_scalar(
                    "SELECT COUNT(*) FROM barbican_orders WHERE project_id = $1 AND deleted = 0 AND meta LIKE $2",
                )
                .bind(project_id)
                .bind(&pattern)
                .fetch_one(&self.pool)
                .await?;
                (rows, total)
            }
        };
        let orders = rows.iter().map(order_from_row).collect::<anyhow::Result<Vec<_>>>()?;
        Ok((orders, total))
    }

    /// Soft-delete a live order of this project. `false` if there was none.
    pub async fn delete(&self, project_id: &str, id: &Uuid) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let done =
            sqlx::query("UPDATE barbican_orders SET deleted = 1 WHERE id = $1 AND project_id = $2 AND deleted = 0")
                .bind(id.to_string())
                .bind(project_id)
                .execute(&mut *tx)
                .await?
                .rows_affected()
                == 1;
        if done {
            sqlx::query("UPDATE barbican_project_order_counts SET live_orders = live_orders - 1 WHERE project_id = $1")
                .bind(project_id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.invalidate();
        Ok(done)
    }

    /// Claim a PENDING order for processing until `until`, unless another processor (a request of
    /// this instance or of another one sharing the database) holds a claim that has not yet run
    /// out at `now`. A claim runs out so that an order held by an instance that died is processed
    /// by the next read; [`Self::complete`] ends it. Times are the wall clock, never the seeded one.
    pub async fn claim(&self, id: &Uuid, now: NaiveDateTime, until: NaiveDateTime) -> anyhow::Result<bool> {
        let done = sqlx::query(
            "UPDATE barbican_orders SET claimed_until = $1
             WHERE id = $2 AND status = 'PENDING' AND (claimed_until IS NULL OR claimed_until < $3)",
        )
        .bind(to_text(&until))
        .bind(id.to_string())
        .bind(to_text(&now))
        .execute(&self.pool)
        .await?;
        Ok(done.rows_affected() == 1)
    }

    /// Give a claim back (processing failed before the order could be completed).
    pub async fn release(&self, id: &Uuid) -> anyhow::Result<()> {
        sqlx::query("UPDATE barbican_orders SET claimed_until = NULL WHERE id = $1 AND status = 'PENDING'")
            .bind(id.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Count one read of a PENDING order that waits for polls; returns the polls still left.
    pub async fn count_poll(&self, id: &Uuid) -> anyhow::Result<Option<i64>> {
        let left: Option<Option<i64>> = sqlx::query_scalar(
            "UPDATE barbican_orders SET polls_left = CASE WHEN polls_left > 0 THEN polls_left - 1 ELSE 0 END
             WHERE id = $1 AND status = 'PENDING' AND polls_left IS NOT NULL RETURNING polls_left",
        )
        .bind(id.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(left.flatten())
    }

    /// The pending rule of an order, if it is PENDING.
    pub async fn pending_rule(&self, id: &Uuid) -> anyhow::Result<Option<PendingRule>> {
        let row = sqlx::query("SELECT due_at, polls_left FROM barbican_orders WHERE id = $1 AND status = 'PENDING'")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| -> anyhow::Result<PendingRule> {
            let due_at: Option<String> = r.try_get("due_at")?;
            Ok(PendingRule {
                due_at: due_at.as_deref().map(from_text).transpose()?,
                polls_left: r.try_get("polls_left")?,
            })
        })
        .transpose()
    }

    /// Record what processing produced, with the generated secrets and container, atomically.
    /// Only a PENDING order changes: a concurrent completion of the same order is a no-op (`false`).
    pub async fn complete(
        &self,
        order_id: &Uuid,
        outcome: &Outcome,
        secrets: &[Secret],
        container: Option<&Container>,
        updated: NaiveDateTime,
    ) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let (status, sub, err_code, err_reason, secret_id, container_id) = match outcome {
            Outcome::Secret(id) => (OrderStatus::Active, Some("Unknown"), None, None, Some(id.to_string()), None),
            Outcome::Container(id) => (OrderStatus::Active, Some("Unknown"), None, None, None, Some(id.to_string())),
            Outcome::Failed { status_code, reason } => {
                (OrderStatus::Error, None, Some(status_code.as_str()), Some(reason.as_str()), None, None)
            }
        };
        let changed = sqlx::query(
            "UPDATE barbican_orders SET status = $1, sub_status = $2, sub_status_message = $3, error_status_code = $4,
                error_reason = $5, secret_id = $6, container_id = $7, updated_at = $8, due_at = NULL, polls_left = NULL,
                claimed_until = NULL
             WHERE id = $9 AND status = 'PENDING'",
        )
        .bind(status.as_str())
        .bind(sub)
        .bind(sub)
        .bind(err_code)
        .bind(err_reason)
        .bind(secret_id)
        .bind(container_id)
        .bind(to_text(&updated))
        .bind(order_id.to_string())
        .execute(&mut *tx)
        .await?
        .rows_affected()
            == 1;
        if !changed {
            return Ok(false);
        }
        for s in secrets {
            sqlx::query(
                "INSERT INTO barbican_secrets (id, project_id, name, secret_type, algorithm, bit_length, mode, expiration,
                    content_type, creator_id, created_at, updated_at, payload) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
            )
            .bind(s.id.to_string())
            .bind(&s.project_id)
            .bind(&s.name)
            .bind(&s.secret_type)
            .bind(&s.algorithm)
            .bind(s.bit_length)
            .bind(&s.mode)
            .bind(s.expiration.as_ref().map(to_text))
            .bind(&s.content_type)
            .bind(&s.creator_id)
            .bind(to_text(&s.created))
            .bind(to_text(&s.updated))
            .bind(&s.payload)
            .execute(&mut *tx)
            .await?;
        }
        if let Some(c) = container {
            let refs: Vec<Value> = c
                .secret_refs
                .iter()
                .map(|(name, id)| serde_json::json!({ "name": name, "secret_id": id.to_string() }))
                .collect();
            sqlx::query(
                "INSERT INTO barbican_containers (id, project_id, name, container_type, creator_id, created_at, updated_at, secret_refs)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            )
            .bind(c.id.to_string())
            .bind(&c.project_id)
            .bind(&c.name)
            .bind(&c.container_type)
            .bind(&c.creator_id)
            .bind(to_text(&c.created))
            .bind(to_text(&c.updated))
            .bind(serde_json::to_string(&refs)?)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        self.invalidate();
        Ok(true)
    }

    /// A secret, whatever its project (the caller decides what another project's secret means).
    pub async fn secret(&self, id: &Uuid) -> anyhow::Result<Option<Secret>> {
        let row = sqlx::query("SELECT * FROM barbican_secrets WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| -> anyhow::Result<Secret> {
            let expiration: Option<String> = r.try_get("expiration")?;
            Ok(Secret {
                id: Uuid::parse_str(r.try_get("id")?)?,
                project_id: r.try_get("project_id")?,
                name: r.try_get("name")?,
                secret_type: r.try_get("secret_type")?,
                algorithm: r.try_get("algorithm")?,
                bit_length: r.try_get("bit_length")?,
                mode: r.try_get("mode")?,
                expiration: expiration.as_deref().map(from_text).transpose()?,
                content_type: r.try_get("content_type")?,
                creator_id: r.try_get("creator_id")?,
                created: from_text(r.try_get("created_at")?)?,
                updated: from_text(r.try_get("updated_at")?)?,
                payload: r.try_get("payload")?,
            })
        })
        .transpose()
    }

    /// A container, whatever its project.
    pub async fn container(&self, id: &Uuid) -> anyhow::Result<Option<Container>> {
        let row = sqlx::query("SELECT * FROM barbican_containers WHERE id = $1")
            .bind(id.to_string())
            .fetch_optional(&self.pool)
            .await?;
        row.map(|r| -> anyhow::Result<Container> {
            let refs: Vec<Value> = serde_json::from_str(r.try_get("secret_refs")?)?;
            let secret_refs = refs
                .iter()
                .map(|v| -> anyhow::Result<(String, Uuid)> {
                    let name = v["name"].as_str().unwrap_or_default().to_string();
                    Ok((name, Uuid::parse_str(v["secret_id"].as_str().unwrap_or_default())?))
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            Ok(Container {
                id: Uuid::parse_str(r.try_get("id")?)?,
                project_id: r.try_get("project_id")?,
                name: r.try_get("name")?,
                container_type: r.try_get("container_type")?,
                creator_id: r.try_get("creator_id")?,
                created: from_text(r.try_get("created_at")?)?,
                updated: from_text(r.try_get("updated_at")?)?,
                secret_refs,
            })
        })
        .transpose()
    }
}

fn order_from_row(r: &AnyRow) -> anyhow::Result<Order> {
    let meta: Map<String, Value> = serde_json::from_str(r.try_get("meta")?)?;
    let parse_uuid = |col: &str| -> anyhow::Result<Option<Uuid>> {
        let v: Option<String> = r.try_get(col)?;
        Ok(v.as_deref().map(Uuid::parse_str).transpose()?)
    };
    Ok(Order {
        id: Uuid::parse_str(r.try_get("id")?)?,
        project_id: r.try_get("project_id")?,
        order_type: OrderType::parse(r.try_get("order_type")?).ok_or_else(|| anyhow::anyhow!("bad order_type"))?,
        status: OrderStatus::parse(r.try_get("status")?).ok_or_else(|| anyhow::anyhow!("bad status"))?,
        meta,
        creator_id: r.try_get("creator_id")?,
        created: from_text(r.try_get("created_at")?)?,
        updated: from_text(r.try_get("updated_at")?)?,
        sub_status: r.try_get("sub_status")?,
        sub_status_message: r.try_get("sub_status_message")?,
        error_status_code: r.try_get("error_status_code")?,
        error_reason: r.try_get("error_reason")?,
        secret_id: parse_uuid("secret_id")?,
        container_id: parse_uuid("container_id")?,
    })
}
