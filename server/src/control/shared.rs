//! The control settings that instances sharing a PostgreSQL database share: the fault rules and
//! the lifecycles new resources get. Behind a load balancer a control call reaches one instance,
//! yet the sandbox it sets up is everybody's, so these live in the database
//! (`standin_shared_settings`, one row) once a control call changes them; until then each
//! instance follows its own command line.
//!
//! Consistency is read-your-writes across instances: a change is committed before the control call
//! answers, and every request to an API first compares the row's generation with the one this
//! instance last applied (one indexed read), reloading the settings when it moved. A rule limited
//! to a number of requests is used up in the same row, under its lock, so `times: 3` means three
//! requests in all, not three per instance. The journal stays per instance: it is what that
//! process saw.

use std::sync::atomic::{AtomicI64, Ordering};

use anyhow::Context;
use poem_openapi::types::{ParseFromJSON, ToJSON};
use serde_json::{Value, json};
use sqlx::AnyPool;

use super::faults::FaultRule;

/// The shared settings, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    pub faults: Vec<FaultRule>,
    pub barbican_orders: String,
    pub orchestrator_deployments: String,
}

impl Settings {
    fn to_text(&self) -> String {
        json!({
            "faults": self.faults.iter().filter_map(ToJSON::to_json).collect::<Vec<Value>>(),
            "barbican_orders": self.barbican_orders,
            "orchestrator_deployments": self.orchestrator_deployments,
        })
        .to_string()
    }

    fn from_text(text: &str) -> anyhow::Result<Self> {
        let value: Value = serde_json::from_str(text)?;
        let faults = value["faults"]
            .as_array()
            .context("no fault list")?
            .iter()
            .map(|rule| FaultRule::parse_from_json(Some(rule.clone())).map_err(|e| anyhow::anyhow!(e.into_message())))
            .collect::<anyhow::Result<Vec<_>>>()?;
        let text_of = |key: &str| value[key].as_str().map(str::to_string).with_context(|| format!("no {key}"));
        Ok(Settings {
            faults,
            barbican_orders: text_of("barbican_orders")?,
            orchestrator_deployments: text_of("orchestrator_deployments")?,
        })
    }
}

/// The row, and which generation of it this instance applied.
pub struct SharedSettings {
    pool: AnyPool,
    applied: AtomicI64,
}

impl SharedSettings {
    pub fn new(pool: AnyPool) -> Self {
        SharedSettings { pool, applied: AtomicI64::new(0) }
    }

    /// The settings, if they changed since this instance last applied them (`None` otherwise, or
    /// while no control call has changed any).
    pub async fn changed(&self) -> anyhow::Result<Option<Settings>> {
        // Every API request asks, so only the generation is read; the settings only when it moved.
        let generation: Option<i64> =
            sqlx::query_scalar("SELECT generation FROM standin_shared_settings WHERE name = 'control'")
                .fetch_optional(&self.pool)
                .await?;
        if generation.is_none_or(|g| g == self.applied.load(Ordering::Acquire)) {
            return Ok(None);
        }
        let (generation, value): (i64, String) =
            sqlx::query_as("SELECT generation, value FROM standin_shared_settings WHERE name = 'control'")
                .fetch_one(&self.pool)
                .await?;
        let settings = Settings::from_text(&value)?;
        self.applied.store(generation, Ordering::Release);
        Ok(Some(settings))
    }

    /// Change the settings in one transaction, under the row's lock: `change` gets the stored
    /// settings (this instance's own, `local`, when none are stored yet) and returns its answer.
    /// Returns the answer and the settings after the change, for this instance to apply at once.
    pub async fn change<R>(
        &self,
        local: Settings,
        change: impl FnOnce(&mut Settings) -> R,
    ) -> anyhow::Result<(R, Settings)> {
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO standin_shared_settings (name, generation, value) VALUES ('control', 0, $1)
             ON CONFLICT (name) DO NOTHING",
        )
        .bind(local.to_text())
        .execute(&mut *tx)
        .await?;
        let (generation, value): (i64, String) =
            sqlx::query_as("SELECT generation, value FROM standin_shared_settings WHERE name = 'control' FOR UPDATE")
                .fetch_one(&mut *tx)
                .await?;
        let mut settings = Settings::from_text(&value)?;
        let before = settings.clone();
        let answer = change(&mut settings);
        if settings != before || generation == 0 {
            sqlx::query("UPDATE standin_shared_settings SET generation = $1, value = $2 WHERE name = 'control'")
                .bind(generation + 1)
                .bind(settings.to_text())
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            self.applied.store(generation + 1, Ordering::Release);
        } else {
            tx.commit().await?;
        }
        Ok((answer, settings))
    }
}
