//! Orders as Barbican keeps them, and how each edition of the API represents them.

use chrono::NaiveDateTime;
use serde_json::{Map, Value};
use uuid::Uuid;

/// What an order asks Barbican to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderType {
    /// A symmetric key: one secret.
    Key,
    /// A key pair: a container holding a private and a public key secret.
    Asymmetric,
}

impl OrderType {
    /// The wire value; the enum is case-sensitive, as Barbican's schema is.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "key" => Some(OrderType::Key),
            "asymmetric" => Some(OrderType::Asymmetric),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrderType::Key => "key",
            OrderType::Asymmetric => "asymmetric",
        }
    }
}

/// Where an order is in its lifecycle: PENDING, then ACTIVE or ERROR.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OrderStatus {
    Pending,
    Active,
    Error,
}

impl OrderStatus {
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "PENDING" => Some(OrderStatus::Pending),
            "ACTIVE" => Some(OrderStatus::Active),
            "ERROR" => Some(OrderStatus::Error),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            OrderStatus::Pending => "PENDING",
            OrderStatus::Active => "ACTIVE",
            OrderStatus::Error => "ERROR",
        }
    }
}

/// An order as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Order {
    pub id: Uuid,
    pub project_id: String,
    pub order_type: OrderType,
    pub status: OrderStatus,
    /// The validated meta, keys in input order.
    pub meta: Map<String, Value>,
    pub creator_id: Option<String>,
    /// Naive UTC.
    pub created: NaiveDateTime,
    pub updated: NaiveDateTime,
    pub sub_status: Option<String>,
    pub sub_status_message: Option<String>,
    pub error_status_code: Option<String>,
    pub error_reason: Option<String>,
    pub secret_id: Option<Uuid>,
    pub container_id: Option<Uuid>,
}

impl Order {
    /// A new order, PENDING, as Barbican inserts it before processing.
    pub fn new_pending(
        id: Uuid,
        project_id: &str,
        order_type: OrderType,
        meta: Map<String, Value>,
        creator_id: Option<String>,
        created: NaiveDateTime,
    ) -> Self {
        Order {
            id,
            project_id: project_id.to_string(),
            order_type,
            status: OrderStatus::Pending,
            meta,
            creator_id,
            created,
            updated: created,
            sub_status: None,
            sub_status_message: None,
            error_status_code: None,
            error_reason: None,
            secret_id: None,
            container_id: None,
        }
    }
}

/// What processing decided for an order.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// A key order's secret.
    Secret(Uuid),
    /// An asymmetric order's container.
    Container(Uuid),
    /// `error_status_code` (a string, as Barbican sends it) and `error_reason`.
    Failed { status_code: String, reason: String },
}

/// How timestamps are written. The documents show whole seconds (`2015-10-20T18:38:44`); Barbican
/// 21.0.0 on SQLite sends microseconds (Python `isoformat()`, which drops a zero fraction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum TimestampStyle {
    /// As the documents show: whole seconds.
    #[default]
    Seconds,
    /// As Barbican 21.0.0 on SQLite sends: microseconds, omitted when zero.
    Microseconds,
}

impl TimestampStyle {
    pub fn format(self, t: &NaiveDateTime) -> String {
        use chrono::Timelike;
        match self {
            TimestampStyle::Seconds => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            TimestampStyle::Microseconds if t.nanosecond() / 1000 == 0 => t.format("%Y-%m-%dT%H:%M:%S").to_string(),
            TimestampStyle::Microseconds => t.format("%Y-%m-%dT%H:%M:%S%.6f").to_string(),
        }
    }
}

/// Sort an object's keys, recursively: the documents show every Barbican object with sorted keys.
pub fn sorted(map: &Map<String, Value>) -> Map<String, Value> {
    let mut entries: Vec<(&String, &Value)> = map.iter().collect();
    entries.sort_by(|a, b| a.0.cmp(b.0));
    entries
        .into_iter()
        .map(|(k, v)| {
            let v = match v {
                Value::Object(inner) => Value::Object(sorted(inner)),
                other => other.clone(),
            };
            (k.clone(), v)
        })
        .collect()
}
