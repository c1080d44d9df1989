//! The orchestrator's entities as standin keeps them: deployments, resources, schedules, events.

use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use super::auth::OidcId;

/// A closed set of names written as the real service's Java enum constants.
macro_rules! java_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident => $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }

            /// The constant with exactly this name (Java's `valueOf`: case-sensitive).
            pub fn parse(text: &str) -> Option<Self> {
                match text { $($text => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

java_enum!(
    /// Status of a deployment.
    DeploymentStatus {
        CreateInProgress => "CREATE_IN_PROGRESS",
        CreateComplete => "CREATE_COMPLETE",
        CreateFailed => "CREATE_FAILED",
        UpdateInProgress => "UPDATE_IN_PROGRESS",
        UpdateComplete => "UPDATE_COMPLETE",
        UpdateFailed => "UPDATE_FAILED",
        DeleteInProgress => "DELETE_IN_PROGRESS",
        DeleteComplete => "DELETE_COMPLETE",
        DeleteFailed => "DELETE_FAILED",
        Unknown => "UNKNOWN",
    }
);

impl DeploymentStatus {
    pub fn is_in_progress(self) -> bool {
        matches!(
            self,
            DeploymentStatus::CreateInProgress
                | DeploymentStatus::UpdateInProgress
                | DeploymentStatus::DeleteInProgress
        )
    }

    /// Whether updates and resource actions are allowed in this status (409 otherwise).
    pub fn allows_update(self) -> bool {
        matches!(
            self,
            DeploymentStatus::CreateComplete | DeploymentStatus::UpdateComplete | DeploymentStatus::UpdateFailed
        )
    }

    /// Whether a delete is allowed in this status (409 otherwise).
    pub fn allows_delete(self) -> bool {
        !matches!(self, DeploymentStatus::DeleteInProgress | DeploymentStatus::DeleteComplete)
    }

    /// Whether a reset to `DELETE_FAILED` is allowed in this status (409 otherwise).
    pub fn allows_reset(self) -> bool {
        self == DeploymentStatus::DeleteInProgress
    }
}

java_enum!(
    /// The current step of the deployment process.
    Task {
        None => "NONE",
        Monitoring => "MONITORING",
        Qos => "QOS",
        Brokering => "BROKERING",
        Dms => "DMS",
        Deployer => "DEPLOYER",
        Unknown => "UNKNOWN",
    }
);

java_enum!(
    /// State of a resource (a TOSCA node instance).
    NodeState {
        Initial => "INITIAL",
        Creating => "CREATING",
        Created => "CREATED",
        Configuring => "CONFIGURING",
        Configured => "CONFIGURED",
        Starting => "STARTING",
        Started => "STARTED",
        Stopping => "STOPPING",
        Stopped => "STOPPED",
        Deleting => "DELETING",
        Error => "ERROR",
    }
);

/// The owner of a deployment or schedule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Owner {
    pub id: OidcId,
    pub organisation: String,
}

/// How a pending (`*_IN_PROGRESS`) deployment becomes due.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct PendingRule {
    pub due_at: Option<DateTime<Utc>>,
    pub polls_left: Option<i64>,
    /// `None`: the step succeeds; else the failure reason.
    pub failure: Option<String>,
    /// When the step started (the overall `timeoutMins` counts from here).
    pub started_at: Option<DateTime<Utc>>,
}

/// A deployment, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Deployment {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub status: DeploymentStatus,
    pub status_reason: Option<String>,
    pub task: Task,
    pub physical_id: Option<String>,
    pub callback: Option<String>,
    pub user_group: Option<String>,
    pub owner: Option<Owner>,
    pub template: String,
    pub parameters: Map<String, Value>,
    pub outputs: Map<String, Value>,
    pub timeout_mins: Option<i64>,
    pub provider_timeout_mins: Option<i64>,
    pub max_providers_retry: Option<i64>,
    pub keep_last_attempt: bool,
    /// `TOSCA`, `CHRONOS`, `MARATHON`, `QCG` or `KUBERNETES_HELM_CHART`.
    pub deployment_type: String,
    /// The provider kind (`IM`, `CHRONOS`, ...), internal; `None` until past brokering.
    pub provider: Option<String>,
    pub cloud_provider_name: Option<String>,
    pub cloud_provider_endpoint: Option<Value>,
    pub log: Option<String>,
    pub extra_info: Option<String>,
    pub pending: PendingRule,
    /// The stored version this was read at (0 before it is stored): a write of it succeeds only if
    /// nobody wrote the deployment since (see [`super::store::StaleWrite`]).
    pub version: i64,
}

impl Deployment {
    /// Whether the deployment got past brokering (it has a cloud provider).
    pub fn has_provider(&self) -> bool {
        self.provider.is_some()
    }

    /// The provider kind that refuses updates and actions, by name (`CHRONOS`, `MARATHON`, `QCG`).
    pub fn refusing_provider(&self) -> Option<&str> {
        matches!(self.deployment_type.as_str(), "CHRONOS" | "MARATHON" | "QCG").then_some(self.deployment_type.as_str())
    }
}

/// A resource (one TOSCA node instance), as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Resource {
    pub id: String,
    pub deployment_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub physical_id: Option<String>,
    pub state: NodeState,
    pub tosca_node_type: String,
    pub tosca_node_name: String,
    pub metadata: Map<String, Value>,
}

/// A deployment schedule, as stored.
#[derive(Debug, Clone, PartialEq)]
pub struct Schedule {
    pub id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
    pub status: String,
    pub replication_expression: String,
    pub file_expression: String,
    pub callback: Option<String>,
    pub number_of_replicas: i64,
    pub owner: Option<Owner>,
    pub template: String,
    pub parameters: Map<String, Value>,
}

/// An event fired by a schedule, with the deployment it created.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleEvent {
    pub id: String,
    pub schedule_id: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: Option<DateTime<Utc>>,
    pub deployment: Deployment,
    pub scope: String,
    pub name: String,
    pub replication_status: Option<String>,
}

/// The wire form of every date: `yyyy-MM-dd'T'HH:mmZ` in UTC, e.g. `2023-10-27T13:24+0000`.
pub fn wire_time(t: &DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M+0000").to_string()
}

/// A fresh id in the orchestrator's shape: a time-ordered UUID (version-1 fields rearranged so that the
/// text sorts by time: `time_hi` (starting with `1`), `time_mid`, `time_low`, then clock and node).
pub fn new_id() -> String {
    // 100-ns intervals since the Gregorian reform, as in a version-1 UUID.
    const GREGORIAN_OFFSET: u64 = 0x01B2_1DD2_1381_4000;
    static LAST: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let now = crate::determinism::now();
    let ticks =
        (now.timestamp() as u64) * 10_000_000 + u64::from(now.timestamp_subsec_nanos() / 100) + GREGORIAN_OFFSET;
    // Strictly increasing, so ids created in the same tick still sort in creation order.
    let ticks = LAST.fetch_max(ticks, std::sync::atomic::Ordering::SeqCst).max(ticks - 1) + 1;
    let _ = LAST.fetch_max(ticks, std::sync::atomic::Ordering::SeqCst);
    let time_low = ticks & 0xFFFF_FFFF;
    let time_mid = (ticks >> 32) & 0xFFFF;
    let time_hi = ((ticks >> 48) & 0x0FFF) | 0x1000;
    let random = crate::determinism::uuid_v4().into_bytes();
    let clock = (u16::from_be_bytes([random[0], random[1]]) & 0x3FFF) | 0x8000;
    let node: String = random[2..8].iter().map(|b| format!("{b:02x}")).collect();
    format!("{time_hi:04x}{time_mid:04x}-{:04x}-{:04x}-{clock:04x}-{node}", time_low >> 16, time_low & 0xFFFF)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_time_first_and_36_characters() {
        let id = new_id();
        assert_eq!(id.len(), 36, "{id}");
        assert!(id.starts_with('1'), "{id}");
        let groups: Vec<usize> = id.split('-').map(str::len).collect();
        assert_eq!(groups, [8, 4, 4, 4, 12], "{id}");
        assert!(new_id() > id, "ids sort in creation order");
    }

    /// The operation × status matrix of the fidelity notes (§5.3): `true` where the operation is accepted.
    #[test]
    fn operation_status_matrix() {
        use DeploymentStatus::*;
        let statuses = [
            CreateInProgress,
            CreateComplete,
            CreateFailed,
            UpdateInProgress,
            UpdateComplete,
            UpdateFailed,
            DeleteInProgress,
            DeleteFailed,
            Unknown,
            DeleteComplete,
        ];
        let put = [false, true, false, false, true, true, false, false, false, false];
        let delete = [true, true, true, true, true, true, false, true, true, false];
        let reset = [false, false, false, false, false, false, true, false, false, false];
        for (i, status) in statuses.iter().enumerate() {
            assert_eq!(status.allows_update(), put[i], "PUT and actions in {}", status.as_str());
            assert_eq!(status.allows_delete(), delete[i], "DELETE in {}", status.as_str());
            assert_eq!(status.allows_reset(), reset[i], "PATCH in {}", status.as_str());
        }
        assert_eq!(statuses.len(), DeploymentStatus::ALL.len());
    }

    #[test]
    fn times_have_minute_precision() {
        let t = DateTime::parse_from_rfc3339("2023-10-27T13:24:59.123Z").unwrap().with_timezone(&Utc);
        assert_eq!(wire_time(&t), "2023-10-27T13:24+0000");
    }
}
