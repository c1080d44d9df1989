//! Storage of deployments, resources, schedules and events (SQLite through sqlx).
//!
//! Pages are `ORDER BY <sort columns>, seq LIMIT size OFFSET page*size` over indexed columns; the sort
//! columns come from a fixed whitelist (see [`super::paging`]), never from the request text.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};
use sqlx::any::AnyRow;
use sqlx::{AnyPool, AssertSqlSafe, Row};

use super::auth::OidcId;
use super::model::{
    Deployment, DeploymentStatus, NodeState, Owner, PendingRule, Resource, Schedule, ScheduleEvent, Task,
};
use super::paging::{PageRequest, SortOrder};
use crate::storage::{BindValue, Database, SqlBuilder, storable};

const TIME_FORMAT: &str = "%Y-%m-%dT%H:%M:%S%.6fZ";

fn to_text(t: &DateTime<Utc>) -> String {
    t.format(TIME_FORMAT).to_string()
}

fn from_text(s: &str) -> anyhow::Result<DateTime<Utc>> {
    Ok(chrono::NaiveDateTime::parse_from_str(s, TIME_FORMAT)?.and_utc())
}

fn map_from_text(s: &str) -> anyhow::Result<Map<String, Value>> {
    Ok(serde_json::from_str(s)?)
}

/// What a control-plane reset of the orchestrator removes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RemovalScope {
    All,
    /// What users of this organisation own (whatever their issuer).
    Organisation(String),
    /// What this user (`subject@issuer`) owns, in any organisation.
    Owner(OidcId),
}

/// Which deployments (or schedules) a list shows.
#[derive(Debug, Clone, Default)]
pub struct ListFilter {
    /// Only those owned by a user of this organisation and issuer. Lists leave owner-less rows out (the real
    /// repository query joins the owner; rows without one exist only when created with OIDC off).
    pub organisation_and_issuer: Option<(String, String)>,
    /// Only those of this owner.
    pub owner: Option<OidcId>,
    /// Only those of this user group.
    pub user_group: Option<String>,
}

impl ListFilter {
    /// The key of this list's kept count, when it has one (every list without a `userGroup` filter).
    fn count_scope(&self) -> Option<String> {
        if self.user_group.is_some() {
            return None;
        }
        match (&self.owner, &self.organisation_and_issuer) {
            (None, None) => Some("all".into()),
            (None, Some((org, issuer))) => Some(format!("org {org} {issuer}")),
            (Some(owner), Some((org, issuer))) if owner.issuer == *issuer => {
                Some(format!("owner {} {} {org}", owner.subject, owner.issuer))
            }
            (Some(_), Some(_)) => None,
            (Some(_), None) => None,
        }
    }

    fn push_where(&self, q: &mut SqlBuilder) {
        q.push(" WHERE 1=1");
        if let Some((org, issuer)) = &self.organisation_and_issuer {
            q.push(" AND owner_organisation = ")
                .push_bind(BindValue::Text(org.clone()))
                .push(" AND owner_issuer = ")
                .push_bind(BindValue::Text(issuer.clone()));
        }
        if let Some(owner) = &self.owner {
            q.push(" AND owner_subject = ")
                .push_bind(BindValue::Text(owner.subject.clone()))
                .push(" AND owner_issuer = ")
                .push_bind(BindValue::Text(owner.issuer.clone()));
        }
        if let Some(group) = &self.user_group {
            q.push(" AND user_group = ").push_bind(BindValue::Text(group.clone()));
        }
    }
}

/// `ORDER BY` the sort columns then `seq`, and the page's `LIMIT`/`OFFSET`. Nulls sort first going up
/// and last going down, as SQLite orders them (PostgreSQL is told so; SQLite reads the same words).
fn push_order(q: &mut SqlBuilder, sort: &[SortOrder], page: &PageRequest) {
    q.push(" ORDER BY ");
    for order in sort {
        q.push(order.column).push(if order.ascending { " ASC NULLS FIRST, " } else { " DESC NULLS LAST, " });
    }
    let last_direction = sort.last().is_none_or(|o| o.ascending);
    q.push(if last_direction { "seq ASC" } else { "seq DESC" });
    q.push(" LIMIT ")
        .push_bind(BindValue::Int(i64::from(page.size)))
        .push(" OFFSET ")
        .push_bind(BindValue::Int(page.offset()));
}

const DEPLOYMENT_COLUMNS: &str = "id, created_at, updated_at, status, status_reason, task, physical_id, callback, \
    user_group, owner_subject, owner_issuer, owner_organisation, template, parameters, outputs, timeout_mins, \
    provider_timeout_mins, max_providers_retry, keep_last_attempt, deployment_type, provider, cloud_provider_name, \
    cloud_provider_endpoint, log, extra_info, due_at, polls_left, pending_failure, step_started_at";

/// What a read of deployments selects: the inserted columns and the version.
const DEPLOYMENT_SELECT: &str = "id, created_at, updated_at, status, status_reason, task, physical_id, callback, \
    user_group, owner_subject, owner_issuer, owner_organisation, template, parameters, outputs, timeout_mins, \
    provider_timeout_mins, max_providers_retry, keep_last_attempt, deployment_type, provider, cloud_provider_name, \
    cloud_provider_endpoint, log, extra_info, due_at, polls_left, pending_failure, step_started_at, version";

/// A write of a deployment that someone (another request, another instance) changed or removed
/// since it was read: nothing was written, and the operation starts again from a fresh read.
#[derive(Debug, thiserror::Error)]
#[error("deployment {0} changed while it was being written")]
pub struct StaleWrite(pub String);

fn owner_from_row(row: &AnyRow) -> anyhow::Result<Option<Owner>> {
    let subject: Option<String> = row.try_get("owner_subject")?;
    let issuer: Option<String> = row.try_get("owner_issuer")?;
    let organisation: Option<String> = row.try_get("owner_organisation")?;
    Ok(match (subject, issuer) {
        (Some(subject), Some(issuer)) => {
            Some(Owner { id: OidcId { subject, issuer }, organisation: organisation.unwrap_or_default() })
        }
        _ => None,
    })
}

fn deployment_from_row(row: &AnyRow) -> anyhow::Result<Deployment> {
    let status: String = row.try_get("status")?;
    let task: String = row.try_get("task")?;
    let endpoint: Option<String> = row.try_get("cloud_provider_endpoint")?;
    let due_at: Option<String> = row.try_get("due_at")?;
    let started_at: Option<String> = row.try_get("step_started_at")?;
    Ok(Deployment {
        id: row.try_get("id")?,
        created_at: from_text(&row.try_get::<String, _>("created_at")?)?,
        updated_at: from_text(&row.try_get::<String, _>("updated_at")?)?,
        status: DeploymentStatus::parse(&status).unwrap_or(DeploymentStatus::Unknown),
        status_reason: row.try_get("status_reason")?,
        task: Task::parse(&task).unwrap_or(Task::Unknown),
        physical_id: row.try_get("physical_id")?,
        callback: row.try_get("callback")?,
        user_group: row.try_get("user_group")?,
        owner: owner_from_row(row)?,
        template: row.try_get("template")?,
        parameters: map_from_text(&row.try_get::<String, _>("parameters")?)?,
        outputs: map_from_text(&row.try_get::<String, _>("outputs")?)?,
        timeout_mins: row.try_get("timeout_mins")?,
        provider_timeout_mins: row.try_get("provider_timeout_mins")?,
        max_providers_retry: row.try_get("max_providers_retry")?,
        keep_last_attempt: row.try_get::<i64, _>("keep_last_attempt")? != 0,
        deployment_type: row.try_get("deployment_type")?,
        provider: row.try_get("provider")?,
        cloud_provider_name: row.try_get("cloud_provider_name")?,
        cloud_provider_endpoint: endpoint.map(|e| serde_json::from_str(&e)).transpose()?,
        log: row.try_get("log")?,
        extra_info: row.try_get("extra_info")?,
        pending: PendingRule {
            due_at: due_at.map(|t| from_text(&t)).transpose()?,
            polls_left: row.try_get("polls_left")?,
            failure: row.try_get("pending_failure")?,
            started_at: started_at.map(|t| from_text(&t)).transpose()?,
        },
        version: row.try_get("version")?,
    })
}

fn resource_from_row(row: &AnyRow) -> anyhow::Result<Resource> {
    let state: String = row.try_get("state")?;
    Ok(Resource {
        id: row.try_get("id")?,
        deployment_id: row.try_get("deployment_id")?,
        created_at: from_text(&row.try_get::<String, _>("created_at")?)?,
        updated_at: from_text(&row.try_get::<String, _>("updated_at")?)?,
        physical_id: row.try_get("physical_id")?,
        state: NodeState::parse(&state).unwrap_or(NodeState::Error),
        tosca_node_type: row.try_get("tosca_node_type")?,
        tosca_node_name: row.try_get("tosca_node_name")?,
        metadata: map_from_text(&row.try_get::<String, _>("metadata")?)?,
    })
}

fn schedule_from_row(row: &AnyRow) -> anyhow::Result<Schedule> {
    let updated: Option<String> = row.try_get("updated_at")?;
    Ok(Schedule {
        id: row.try_get("id")?,
        created_at: from_text(&row.try_get::<String, _>("created_at")?)?,
        updated_at: updated.map(|t| from_text(&t)).transpose()?,
        status: row.try_get("status")?,
        replication_expression: row.try_get("replication_expression")?,
        file_expression: row.try_get("file_expression")?,
        callback: row.try_get("callback")?,
        number_of_replicas: row.try_get("number_of_replicas")?,
        owner: owner_from_row(row)?,
        template: row.try_get("template")?,
        parameters: map_from_text(&row.try_get::<String, _>("parameters")?)?,
    })
}

/// The orchestrator's tables.
#[derive(Clone)]
pub struct OrchestratorStore {
    pool: AnyPool,
}

impl OrchestratorStore {
    pub fn new(db: Database) -> Self {
        OrchestratorStore { pool: db.pool }
    }

    /// The total of a list: its kept count (see the migration), else counted on the index of its filter.
    async fn count(&self, list: &str, table: &'static str, filter: &ListFilter) -> anyhow::Result<i64> {
        if let Some(scope) = filter.count_scope() {
            let n: Option<i64> =
                sqlx::query_scalar("SELECT n FROM orchestrator_list_counts WHERE list = $1 AND scope = $2")
                    .bind(list)
                    .bind(scope)
                    .fetch_optional(&self.pool)
                    .await?;
            return Ok(n.unwrap_or(0));
        }
        let mut count = SqlBuilder::new(format!("SELECT COUNT(*) FROM {table}"));
        filter.push_where(&mut count);
        Ok(count.build_scalar().fetch_one(&self.pool).await?)
    }

    /// Insert a deployment and its resources in one transaction.
    pub async fn insert_deployment(&self, d: &Deployment, resources: &[Resource]) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        // The column list is a constant: nothing from the request is in this text.
        sqlx::query(AssertSqlSafe(format!(
            "INSERT INTO orchestrator_deployments ({DEPLOYMENT_COLUMNS}) VALUES \
             ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29)"
        )))
        .bind(&d.id)
        .bind(to_text(&d.created_at))
        .bind(to_text(&d.updated_at))
        .bind(d.status.as_str())
        .bind(&d.status_reason)
        .bind(d.task.as_str())
        .bind(&d.physical_id)
        .bind(&d.callback)
        .bind(&d.user_group)
        .bind(d.owner.as_ref().map(|o| o.id.subject.clone()))
        .bind(d.owner.as_ref().map(|o| o.id.issuer.clone()))
        .bind(d.owner.as_ref().map(|o| o.organisation.clone()))
        .bind(&d.template)
        .bind(Value::Object(d.parameters.clone()).to_string())
        .bind(Value::Object(d.outputs.clone()).to_string())
        .bind(d.timeout_mins)
        .bind(d.provider_timeout_mins)
        .bind(d.max_providers_retry)
        .bind(i64::from(d.keep_last_attempt))
        .bind(&d.deployment_type)
        .bind(&d.provider)
        .bind(&d.cloud_provider_name)
        .bind(d.cloud_provider_endpoint.as_ref().map(Value::to_string))
        .bind(&d.log)
        .bind(&d.extra_info)
        .bind(d.pending.due_at.as_ref().map(to_text))
        .bind(d.pending.polls_left)
        .bind(&d.pending.failure)
        .bind(d.pending.started_at.as_ref().map(to_text))
        .execute(&mut *tx)
        .await?;
        for r in resources {
            insert_resource(&mut tx, r).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// Write back every mutable column of a deployment, and replace its resources by `resources`; a
    /// [`StaleWrite`] error (and nothing written) if it changed since `d` was read.
    pub async fn save_deployment(&self, d: &mut Deployment, resources: &[Resource]) -> anyhow::Result<()> {
        let mut tx = self.pool.begin().await?;
        let updated = sqlx::query(
            "UPDATE orchestrator_deployments SET updated_at = $1, status = $2, status_reason = $3, task = $4, \
             physical_id = $5, callback = $6, template = $7, parameters = $8, outputs = $9, timeout_mins = $10, \
             provider_timeout_mins = $11, max_providers_retry = $12, keep_last_attempt = $13, deployment_type = $14, \
             provider = $15, cloud_provider_name = $16, cloud_provider_endpoint = $17, log = $18, extra_info = $19, due_at = $20, \
             polls_left = $21, pending_failure = $22, step_started_at = $23, version = version + 1 \
             WHERE id = $24 AND version = $25",
        )
        .bind(to_text(&d.updated_at))
        .bind(d.status.as_str())
        .bind(&d.status_reason)
        .bind(d.task.as_str())
        .bind(&d.physical_id)
        .bind(&d.callback)
        .bind(&d.template)
        .bind(Value::Object(d.parameters.clone()).to_string())
        .bind(Value::Object(d.outputs.clone()).to_string())
        .bind(d.timeout_mins)
        .bind(d.provider_timeout_mins)
        .bind(d.max_providers_retry)
        .bind(i64::from(d.keep_last_attempt))
        .bind(&d.deployment_type)
        .bind(&d.provider)
        .bind(&d.cloud_provider_name)
        .bind(d.cloud_provider_endpoint.as_ref().map(Value::to_string))
        .bind(&d.log)
        .bind(&d.extra_info)
        .bind(d.pending.due_at.as_ref().map(to_text))
        .bind(d.pending.polls_left)
        .bind(&d.pending.failure)
        .bind(d.pending.started_at.as_ref().map(to_text))
        .bind(&d.id)
        .bind(d.version)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StaleWrite(d.id.clone()).into());
        }
        let stored: Vec<String> = sqlx::query_scalar("SELECT id FROM orchestrator_resources WHERE deployment_id = $1")
            .bind(&d.id)
            .fetch_all(&mut *tx)
            .await?;
        for gone in stored.iter().filter(|id| !resources.iter().any(|r| &r.id == *id)) {
            sqlx::query("DELETE FROM orchestrator_resources WHERE id = $1").bind(gone).execute(&mut *tx).await?;
        }
        for r in resources {
            sqlx::query(
                "UPDATE orchestrator_resources SET updated_at = $1, physical_id = $2, state = $3, metadata = $4 WHERE id = $5",
            )
            .bind(to_text(&r.updated_at))
            .bind(&r.physical_id)
            .bind(r.state.as_str())
            .bind(Value::Object(r.metadata.clone()).to_string())
            .bind(&r.id)
            .execute(&mut *tx)
            .await?;
            // New resources (created by an update) are inserted.
            sqlx::query("INSERT INTO orchestrator_resources (id, deployment_id, created_at, updated_at, physical_id, state, tosca_node_type, tosca_node_name, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT DO NOTHING")
                .bind(&r.id)
                .bind(&r.deployment_id)
                .bind(to_text(&r.created_at))
                .bind(to_text(&r.updated_at))
                .bind(&r.physical_id)
                .bind(r.state.as_str())
                .bind(&r.tosca_node_type)
                .bind(&r.tosca_node_name)
                .bind(Value::Object(r.metadata.clone()).to_string())
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        d.version += 1;
        Ok(())
    }

    /// Remove the deployments (with their resources) and schedules (with their events) of a scope; the counts
    /// kept for paging are recomputed. Returns how many deployments and schedules went.
    pub async fn remove_all(&self, scope: &RemovalScope) -> anyhow::Result<(u64, u64)> {
        let (filter, binds): (&str, Vec<String>) = match scope {
            RemovalScope::All => ("1 = 1", vec![]),
            RemovalScope::Organisation(org) => ("owner_organisation = $1", vec![org.clone()]),
            RemovalScope::Owner(id) => {
                ("owner_subject = $1 AND owner_issuer = $2", vec![id.subject.clone(), id.issuer.clone()])
            }
        };
        let mut tx = self.pool.begin().await?;
        let mut run = async |sql: String| -> anyhow::Result<u64> {
            let mut q = sqlx::query(AssertSqlSafe(sql));
            for b in &binds {
                q = q.bind(b.clone());
            }
            Ok(q.execute(&mut *tx).await?.rows_affected())
        };
        run(format!(
            "DELETE FROM orchestrator_schedule_events WHERE schedule_id IN (SELECT id FROM orchestrator_schedules WHERE {filter})"
        ))
        .await?;
        run(format!(
            "DELETE FROM orchestrator_resources WHERE deployment_id IN (SELECT id FROM orchestrator_deployments WHERE {filter})"
        ))
        .await?;
        let deployments = run(format!("DELETE FROM orchestrator_deployments WHERE {filter}")).await?;
        let schedules = run(format!("DELETE FROM orchestrator_schedules WHERE {filter}")).await?;
        sqlx::query("DELETE FROM orchestrator_list_counts").execute(&mut *tx).await?;
        for (list, table) in [("deployments", "orchestrator_deployments"), ("schedules", "orchestrator_schedules")] {
            for (scope, group) in [
                ("'all'", "1 = 1"),
                (
                    "'org ' || owner_organisation || ' ' || owner_issuer",
                    "owner_subject IS NOT NULL GROUP BY owner_organisation, owner_issuer",
                ),
                (
                    "'owner ' || owner_subject || ' ' || owner_issuer || ' ' || owner_organisation",
                    "owner_subject IS NOT NULL GROUP BY owner_subject, owner_issuer, owner_organisation",
                ),
            ] {
                let sql = format!(
                    "INSERT INTO orchestrator_list_counts (list, scope, n) SELECT '{list}', {scope}, COUNT(*) FROM {table} WHERE {group}"
                );
                sqlx::query(AssertSqlSafe(sql)).execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        Ok((deployments, schedules))
    }

    /// Remove a deployment (its resources and events go with it), unless it changed since it was
    /// read at `version` ([`StaleWrite`]).
    pub async fn delete_deployment(&self, id: &str, version: i64) -> anyhow::Result<()> {
        let done = sqlx::query("DELETE FROM orchestrator_deployments WHERE id = $1 AND version = $2")
            .bind(id)
            .bind(version)
            .execute(&self.pool)
            .await?;
        if done.rows_affected() != 1 {
            return Err(StaleWrite(id.to_string()).into());
        }
        Ok(())
    }

    pub async fn get_deployment(&self, id: &str) -> anyhow::Result<Option<Deployment>> {
        if !storable(id) {
            return Ok(None);
        }
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DEPLOYMENT_SELECT} FROM orchestrator_deployments WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        row.as_ref().map(deployment_from_row).transpose()
    }

    /// One page of deployments and the total count.
    pub async fn list_deployments(
        &self,
        filter: &ListFilter,
        sort: &[SortOrder],
        page: &PageRequest,
    ) -> anyhow::Result<(Vec<Deployment>, i64)> {
        let total = self.count("deployments", "orchestrator_deployments", filter).await?;
        let mut q = SqlBuilder::new(format!("SELECT {DEPLOYMENT_SELECT} FROM orchestrator_deployments"));
        filter.push_where(&mut q);
        push_order(&mut q, sort, page);
        let rows = q.build().fetch_all(&self.pool).await?;
        Ok((rows.iter().map(deployment_from_row).collect::<anyhow::Result<_>>()?, total))
    }

    /// Every resource of a deployment, in creation order.
    pub async fn all_resources(&self, deployment_id: &str) -> anyhow::Result<Vec<Resource>> {
        if !storable(deployment_id) {
            return Ok(Vec::new());
        }
        let rows =
            sqlx::query("SELECT * FROM orchestrator_resources WHERE deployment_id = $1 ORDER BY created_at, seq")
                .bind(deployment_id)
                .fetch_all(&self.pool)
                .await?;
        rows.iter().map(resource_from_row).collect()
    }

    /// One page of a deployment's resources and their count.
    pub async fn list_resources(
        &self,
        deployment_id: &str,
        sort: &[SortOrder],
        page: &PageRequest,
    ) -> anyhow::Result<(Vec<Resource>, i64)> {
        if !storable(deployment_id) {
            return Ok((Vec::new(), 0));
        }
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orchestrator_resources WHERE deployment_id = $1")
            .bind(deployment_id)
            .fetch_one(&self.pool)
            .await?;
        let mut q = SqlBuilder::new("SELECT * FROM orchestrator_resources WHERE deployment_id = ");
        q.push_bind(BindValue::Text(deployment_id.to_string()));
        push_order(&mut q, sort, page);
        let rows = q.build().fetch_all(&self.pool).await?;
        Ok((rows.iter().map(resource_from_row).collect::<anyhow::Result<_>>()?, total))
    }

    pub async fn get_resource(&self, deployment_id: &str, id: &str) -> anyhow::Result<Option<Resource>> {
        if !storable(deployment_id) || !storable(id) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT * FROM orchestrator_resources WHERE deployment_id = $1 AND id = $2")
            .bind(deployment_id)
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(resource_from_row).transpose()
    }

    pub async fn insert_schedule(&self, s: &Schedule) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO orchestrator_schedules (id, created_at, updated_at, status, replication_expression, \
             file_expression, callback, number_of_replicas, owner_subject, owner_issuer, owner_organisation, template, \
             parameters) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(&s.id)
        .bind(to_text(&s.created_at))
        .bind(s.updated_at.as_ref().map(to_text))
        .bind(&s.status)
        .bind(&s.replication_expression)
        .bind(&s.file_expression)
        .bind(&s.callback)
        .bind(s.number_of_replicas)
        .bind(s.owner.as_ref().map(|o| o.id.subject.clone()))
        .bind(s.owner.as_ref().map(|o| o.id.issuer.clone()))
        .bind(s.owner.as_ref().map(|o| o.organisation.clone()))
        .bind(&s.template)
        .bind(Value::Object(s.parameters.clone()).to_string())
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    pub async fn get_schedule(&self, id: &str) -> anyhow::Result<Option<Schedule>> {
        if !storable(id) {
            return Ok(None);
        }
        let row = sqlx::query("SELECT * FROM orchestrator_schedules WHERE id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(schedule_from_row).transpose()
    }

    pub async fn list_schedules(
        &self,
        filter: &ListFilter,
        sort: &[SortOrder],
        page: &PageRequest,
    ) -> anyhow::Result<(Vec<Schedule>, i64)> {
        let total = self.count("schedules", "orchestrator_schedules", filter).await?;
        let mut q = SqlBuilder::new("SELECT * FROM orchestrator_schedules");
        filter.push_where(&mut q);
        push_order(&mut q, sort, page);
        let rows = q.build().fetch_all(&self.pool).await?;
        Ok((rows.iter().map(schedule_from_row).collect::<anyhow::Result<_>>()?, total))
    }

    pub async fn insert_event(&self, e: &ScheduleEvent) -> anyhow::Result<()> {
        sqlx::query(
            "INSERT INTO orchestrator_schedule_events (id, schedule_id, deployment_id, created_at, updated_at, scope, \
             name, replication_status) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&e.id)
        .bind(&e.schedule_id)
        .bind(&e.deployment.id)
        .bind(to_text(&e.created_at))
        .bind(e.updated_at.as_ref().map(to_text))
        .bind(&e.scope)
        .bind(&e.name)
        .bind(&e.replication_status)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// One page of a schedule's events (each with its deployment) and their count.
    pub async fn list_events(
        &self,
        schedule_id: &str,
        sort: &[SortOrder],
        page: &PageRequest,
    ) -> anyhow::Result<(Vec<ScheduleEvent>, i64)> {
        if !storable(schedule_id) {
            return Ok((Vec::new(), 0));
        }
        let total: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM orchestrator_schedule_events WHERE schedule_id = $1")
            .bind(schedule_id)
            .fetch_one(&self.pool)
            .await?;
        let mut q = SqlBuilder::new(
            "SELECT id AS event_id, deployment_id, created_at AS event_created_at, updated_at AS event_updated_at, \
             scope, name, replication_status, seq FROM orchestrator_schedule_events WHERE schedule_id = ",
        );
        q.push_bind(BindValue::Text(schedule_id.to_string()));
        let sort: Vec<SortOrder> = sort.to_vec();
        push_order(&mut q, &sort, page);
        let rows = q.build().fetch_all(&self.pool).await?;
        let mut events = Vec::with_capacity(rows.len());
        for row in &rows {
            let deployment_id: String = row.try_get("deployment_id")?;
            let Some(deployment) = self.get_deployment(&deployment_id).await? else { continue };
            let updated: Option<String> = row.try_get("event_updated_at")?;
            events.push(ScheduleEvent {
                id: row.try_get("event_id")?,
                schedule_id: schedule_id.to_string(),
                created_at: from_text(&row.try_get::<String, _>("event_created_at")?)?,
                updated_at: updated.map(|t| from_text(&t)).transpose()?,
                deployment,
                scope: row.try_get("scope")?,
                name: row.try_get("name")?,
                replication_status: row.try_get("replication_status")?,
            });
        }
        Ok((events, total))
    }
}

async fn insert_resource(tx: &mut sqlx::Transaction<'_, sqlx::Any>, r: &Resource) -> anyhow::Result<()> {
    sqlx::query(
        "INSERT INTO orchestrator_resources (id, deployment_id, created_at, updated_at, physical_id, state, \
         tosca_node_type, tosca_node_name, metadata) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(&r.id)
    .bind(&r.deployment_id)
    .bind(to_text(&r.created_at))
    .bind(to_text(&r.updated_at))
    .bind(&r.physical_id)
    .bind(r.state.as_str())
    .bind(&r.tosca_node_type)
    .bind(&r.tosca_node_name)
    .bind(Value::Object(r.metadata.clone()).to_string())
    .execute(&mut **tx)
    .await?;
    Ok(())
}
