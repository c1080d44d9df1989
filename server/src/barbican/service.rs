//! The Orders service: what each operation does, apart from HTTP.
//!
//! Handlers translate requests into calls here and results into responses; storage is behind
//! [`OrderStore`]. The order lifecycle lives here too. Barbican processes an order inside the POST
//! when its queue is off (the default), so a fresh order is already ACTIVE or ERROR; standin does
//! the same by default and can instead hold orders PENDING for a while, for a number of reads, or
//! until told. A PENDING order is advanced lazily, when it is read, from the rule stored with it,
//! so pending lifecycles survive a restart.

use chrono::{NaiveDateTime, TimeDelta};
use uuid::Uuid;

use super::auth::{Action, Caller};
use super::error::BarbicanError;
use super::model::{Order, OrderStatus};
use super::paging::Paging;
use super::processing;
use super::store::{Container, OrderStore, PendingRule, Secret};
use super::validate::ValidOrderRequest;

/// How a new order moves from PENDING to ACTIVE or ERROR: `Immediate` processes it inside the
/// POST (as Barbican with its queue off: never seen PENDING); the others keep it PENDING for a time,
/// a number of reads, or until the control plane moves it.
pub use crate::lifecycle_rule::Lifecycle;

/// The current time as Barbican stores it: naive UTC, microsecond precision.
pub fn now() -> NaiveDateTime {
    micros(crate::determinism::now().naive_utc())
}

/// The time deadlines (`after-seconds`) are kept in (see [`crate::determinism`]).
fn deadline_now() -> NaiveDateTime {
    micros(crate::determinism::deadline_now().naive_utc())
}

fn micros(t: NaiveDateTime) -> NaiveDateTime {
    t - TimeDelta::nanoseconds(i64::from(t.and_utc().timestamp_subsec_nanos() % 1000))
}

fn storage_failure(operation: &str, err: anyhow::Error) -> BarbicanError {
    tracing::error!(operation, error = %err, "storage failure");
    BarbicanError::Internal(format!("{operation} failure seen - please contact site administrator."))
}

/// Where the control plane may move a PENDING order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OrderTarget {
    /// What processing decides (ACTIVE with key material, or the plugins' ERROR).
    Next,
    /// ACTIVE with real key material; refused when the plugins would fail the order.
    Active,
    /// ERROR with this `error_status_code` and `error_reason`.
    Error { status_code: String, reason: String },
}

/// Why the control plane could not move an order.
#[derive(Debug, thiserror::Error)]
pub enum AdvanceError {
    #[error("no order {0}")]
    NotFound(String),
    #[error("order {id} is {status}, not PENDING: only a PENDING order moves")]
    NotPending { id: String, status: &'static str },
    #[error("order {id} cannot go ACTIVE: processing fails it with {status_code} \"{reason}\"")]
    WouldFail { id: String, status_code: String, reason: String },
    #[error(transparent)]
    Storage(#[from] anyhow::Error),
}

/// How long a processor holds a PENDING order before another may take it over: far longer than
/// the slowest key generation (RSA 4096 in a debug build), short enough that an order held by an
/// instance that died is finished soon after.
const CLAIM_LEASE: TimeDelta = TimeDelta::seconds(10);

/// Orders, secrets and containers, per project.
#[derive(Clone)]
pub struct OrderService {
    store: OrderStore,
    /// How many orders this instance processed (the lifecycle steps it ran).
    steps_run: std::sync::Arc<std::sync::atomic::AtomicU64>,
    /// The lifecycle new orders get; the control plane can change it while standin runs.
    lifecycle: std::sync::Arc<std::sync::RwLock<Lifecycle>>,
}

impl OrderService {
    pub fn new(store: OrderStore, lifecycle: Lifecycle) -> Self {
        OrderService {
            store,
            steps_run: Default::default(),
            lifecycle: std::sync::Arc::new(std::sync::RwLock::new(lifecycle)),
        }
    }

    pub fn store(&self) -> &OrderStore {
        &self.store
    }

    /// How many orders this instance has processed since it started.
    pub fn steps_run(&self) -> u64 {
        self.steps_run.load(std::sync::atomic::Ordering::Relaxed)
    }

    /// The lifecycle new orders get.
    pub fn lifecycle(&self) -> Lifecycle {
        self.lifecycle.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Change the lifecycle of orders created from now on (orders already PENDING keep theirs).
    pub fn set_lifecycle(&self, lifecycle: Lifecycle) {
        *self.lifecycle.write().unwrap_or_else(std::sync::PoisonError::into_inner) = lifecycle;
    }

    /// The control plane's move of a PENDING order, in any project; returns the order after it.
    pub async fn advance(&self, id: &str, target: OrderTarget) -> Result<Order, AdvanceError> {
        let not_found = || AdvanceError::NotFound(id.to_string());
        let uuid = Self::parse_id(id).ok_or_else(not_found)?;
        let order = self.store.find(&uuid).await?.ok_or_else(not_found)?;
        if order.status != OrderStatus::Pending {
            return Err(AdvanceError::NotPending { id: id.to_string(), status: order.status.as_str() });
        }
        let processed = match target {
            OrderTarget::Error { status_code, reason } => processing::Processed {
                outcome: super::model::Outcome::Failed { status_code, reason },
                secrets: Vec::new(),
                container: None,
            },
            OrderTarget::Next | OrderTarget::Active => {
                let pending = order.clone();
                let processed = tokio::task::spawn_blocking(move || processing::process(&pending, now()))
                    .await
                    .map_err(anyhow::Error::from)?;
                if let (OrderTarget::Active, super::model::Outcome::Failed { status_code, reason }) =
                    (&target, &processed.outcome)
                {
                    return Err(AdvanceError::WouldFail {
                        id: id.to_string(),
                        status_code: status_code.clone(),
                        reason: reason.clone(),
                    });
                }
                processed
            }
        };
        self.store
            .complete(&order.id, &processed.outcome, &processed.secrets, processed.container.as_ref(), now())
            .await?;
        self.store.find(&uuid).await?.ok_or_else(not_found)
    }

    /// Accept a validated order: store it PENDING (acknowledged only once committed), then, unless
    /// the lifecycle holds it, process it before answering.
    pub async fn create(&self, caller: &Caller, request: ValidOrderRequest) -> Result<Order, BarbicanError> {
        const OP: &str = "Order creation";
        let created = now();
        let order = Order::new_pending(
            crate::determinism::uuid_v4(),
            &caller.project_id,
            request.order_type,
            request.meta,
            caller.user_id.clone(),
            created,
        );
        let lifecycle = self.lifecycle();
        let rule = match lifecycle {
            // Due at once: if standin dies before processing, the next read finishes the job.
            Lifecycle::Immediate => PendingRule { due_at: Some(deadline_now()), polls_left: None },
            Lifecycle::AfterSeconds(s) => PendingRule {
                due_at: Some(deadline_now() + TimeDelta::microseconds((s * 1e6) as i64)),
                polls_left: None,
            },
            Lifecycle::AfterPolls(n) => PendingRule { due_at: None, polls_left: Some(i64::from(n) + 1) },
            Lifecycle::Manual => PendingRule { due_at: None, polls_left: None },
        };
        let immediate = lifecycle == Lifecycle::Immediate;
        // Processed at once: claimed in the insert itself.
        let claim = immediate.then(|| chrono::Utc::now().naive_utc() + CLAIM_LEASE);
        self.store.insert(&order, Some(&rule), claim).await.map_err(|e| storage_failure(OP, e))?;
        if immediate {
            self.process_claimed(&order).await.map_err(|e| storage_failure(OP, e))?;
        }
        Ok(order)
    }

    /// Process a PENDING order now (key generation runs on a blocking thread) and record the result,
    /// unless another processor holds it (see [`OrderStore::claim`]): each order is processed once,
    /// however many requests and instances find it due together.
    pub async fn process(&self, order: &Order) -> anyhow::Result<()> {
        let wall = chrono::Utc::now().naive_utc();
        if !self.store.claim(&order.id, wall, wall + CLAIM_LEASE).await? {
            return Ok(());
        }
        self.process_claimed(order).await
    }

    /// [`Self::process`] of an order this caller holds the claim of.
    async fn process_claimed(&self, order: &Order) -> anyhow::Result<()> {
        let pending = order.clone();
        let done = async {
            let processed = tokio::task::spawn_blocking(move || processing::process(&pending, now())).await?;
            self.store
                .complete(&order.id, &processed.outcome, &processed.secrets, processed.container.as_ref(), now())
                .await
        }
        .await;
        // Counted whatever `complete` found: it is the processing (the key generated) that must
        // happen once, not only its record.
        self.steps_run.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        match done {
            Ok(_) => Ok(()),
            Err(e) => {
                let _ = self.store.release(&order.id).await;
                Err(e)
            }
        }
    }

    /// Move a PENDING order on if its rule says it is due; `true` if it changed.
    async fn advance_if_due(&self, order: &Order) -> anyhow::Result<bool> {
        if order.status != OrderStatus::Pending {
            return Ok(false);
        }
        let Some(rule) = self.store.pending_rule(&order.id).await? else { return Ok(false) };
        let due = match (rule.due_at, rule.polls_left) {
            (Some(at), _) => at <= deadline_now(),
            (None, Some(_)) => self.store.count_poll(&order.id).await? == Some(0),
            (None, None) => false,
        };
        if due {
            self.process(order).await?;
        }
        Ok(due)
    }

    fn parse_id(id: &str) -> Option<Uuid> {
        Uuid::parse_str(id).ok()
    }

    /// An order of the caller's project (another project's is "not found").
    pub async fn get(&self, caller: &Caller, id: &str) -> Result<Order, BarbicanError> {
        const OP: &str = "Order retrieval";
        let id = Self::parse_id(id).ok_or_else(BarbicanError::order_not_found)?;
        let order = self.store.get(&caller.project_id, &id).await.map_err(|e| storage_failure(OP, e))?;
        let order = order.ok_or_else(BarbicanError::order_not_found)?;
        if self.advance_if_due(&order).await.map_err(|e| storage_failure(OP, e))? {
            return self
                .store
                .get(&caller.project_id, &id)
                .await
                .map_err(|e| storage_failure(OP, e))?
                .ok_or_else(BarbicanError::order_not_found);
        }
        Ok(order)
    }

    /// Whether the caller's project has this order, without counting as a read of it (the
    /// lifecycle does not move): Barbican looks the order up before it refuses a method.
    pub async fn require_existing(&self, caller: &Caller, id: &str) -> Result<(), BarbicanError> {
        let id = Self::parse_id(id).ok_or_else(BarbicanError::order_not_found)?;
        let found = self.store.get(&caller.project_id, &id).await.map_err(|e| storage_failure("Order retrieval", e))?;
        found.map(drop).ok_or_else(BarbicanError::order_not_found)
    }

    /// A page of the caller's orders, oldest first, and their total.
    pub async fn list(
        &self,
        caller: &Caller,
        paging: Paging,
        meta: Option<&str>,
    ) -> Result<(Vec<Order>, i64), BarbicanError> {
        const OP: &str = "Order(s) retrieval";
        let (mut orders, total) =
            self.store.list(&caller.project_id, paging, meta).await.map_err(|e| storage_failure(OP, e))?;
        for order in orders.iter_mut().filter(|o| o.status == OrderStatus::Pending) {
            if self.advance_if_due(order).await.map_err(|e| storage_failure(OP, e))?
                && let Some(fresh) =
                    self.store.get(&caller.project_id, &order.id).await.map_err(|e| storage_failure(OP, e))?
            {
                *order = fresh;
            }
        }
        Ok((orders, total))
    }

    /// Soft-delete an order of the caller's project. Its secret or container stays.
    pub async fn delete(&self, caller: &Caller, id: &str) -> Result<(), BarbicanError> {
        const OP: &str = "Order deletion";
        let id = Self::parse_id(id).ok_or_else(BarbicanError::order_not_found)?;
        let deleted = self.store.delete(&caller.project_id, &id).await.map_err(|e| storage_failure(OP, e))?;
        if deleted { Ok(()) } else { Err(BarbicanError::order_not_found()) }
    }

    /// A secret of the caller's project. Unlike orders, another project's secret is a 403, not a
    /// 404 (observed on Barbican 21.0.0); `action` says which 403 (metadata or payload).
    pub async fn secret(&self, caller: &Caller, id: &str, action: Action) -> Result<Secret, BarbicanError> {
        let id = Self::parse_id(id)
            .ok_or_else(|| BarbicanError::NotFound("Not Found. Provided secret id is invalid.".into()))?;
        let secret = self.store.secret(&id).await.map_err(|e| storage_failure("Secret retrieval", e))?;
        let secret = secret.ok_or_else(|| BarbicanError::NotFound("Secret not found.".into()))?;
        if secret.project_id != caller.project_id {
            return Err(action.forbidden());
        }
        Ok(secret)
    }

    /// A container of the caller's project; another project's is a 403, as for secrets.
    pub async fn container(&self, caller: &Caller, id: &str) -> Result<Container, BarbicanError> {
        let id = Self::parse_id(id)
            .ok_or_else(|| BarbicanError::NotFound("Not Found. Provided container id is invalid.".into()))?;
        let container = self.store.container(&id).await.map_err(|e| storage_failure("Container retrieval", e))?;
        let container = container.ok_or_else(|| BarbicanError::NotFound("Secrets container not found.".into()))?;
        if container.project_id != caller.project_id {
            return Err(Action::GetContainer.forbidden());
        }
        Ok(container)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_parses_from_the_command_line() {
        assert_eq!("immediate".parse(), Ok(Lifecycle::Immediate));
        assert_eq!("manual".parse(), Ok(Lifecycle::Manual));
        assert_eq!("after-seconds:2.5".parse(), Ok(Lifecycle::AfterSeconds(2.5)));
        assert_eq!("after-polls:3".parse(), Ok(Lifecycle::AfterPolls(3)));
        assert!("after-polls:-1".parse::<Lifecycle>().is_err());
        assert!("sometimes".parse::<Lifecycle>().is_err());
        for text in ["immediate", "manual", "after-seconds:2.5", "after-polls:3"] {
            assert_eq!(text.parse::<Lifecycle>().unwrap().to_string(), text, "round trip");
        }
    }
}
