//! The simulated deployment lifecycle: `CREATE_IN_PROGRESS` → `CREATE_COMPLETE` or `CREATE_FAILED`,
//! `UPDATE_IN_PROGRESS` → `UPDATE_COMPLETE` or `UPDATE_FAILED`, `DELETE_IN_PROGRESS` → gone or `DELETE_FAILED`.
//!
//! The real orchestrator runs a workflow (brokering, deploy, poll every 30 s, finalise). standin keeps, with each
//! deployment in progress, when the step is due (a time, a number of reads left, or never: manual) and how it
//! ends (success, or a failure reason the template asked for). A deployment is advanced lazily, when it is read
//! ([`observe`]), so a pending step survives a restart and costs nothing while nobody looks.
//!
//! Along the way: the first read that finds the step not yet due sees what the deploy step shows (task
//! `DEPLOYER`, a cloud provider, a `physicalId`, resources `CREATING`). In `manual` mode nothing moves: the
//! stored rule (both `due_at` and `polls_left` NULL) waits for the control plane, which ends the step at once
//! with the outcome it was going to have or with a chosen one ([`force`]).
//!
//! A create or update still pending `timeoutMins` after it started fails with the real reason
//! (`Timeout: Maximum execution time exceeded.`), as the orchestrator's overall timeout does; a held (manual)
//! step never times out.
//!
//! **How a template asks for a failure:** a top-level `metadata` map with `standin_fail` naming the steps that
//! fail (`create`, `update`, `delete`, or several separated by commas) and optionally `standin_fail_reason`, the
//! `statusReason` to show. TOSCA allows `metadata` there and the real orchestrator ignores it.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Map, Value};

use super::model::{Deployment, DeploymentStatus, NodeState, PendingRule, Resource, Task};
use super::tosca;
use super::views::virtual_machine_info;

/// How fast a deployment in progress finishes its step: `Immediate` is due at once (the answer to the
/// request still shows `*_IN_PROGRESS`, the next read sees the result); the others are due after a
/// time, a number of reads, or when the control plane moves it.
pub use crate::lifecycle_rule::Lifecycle;

/// A lifecycle step.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Create,
    Update,
    Delete,
}

impl Step {
    fn name(self) -> &'static str {
        match self {
            Step::Create => "create",
            Step::Update => "update",
            Step::Delete => "delete",
        }
    }

    fn default_reason(self) -> &'static str {
        match self {
            Step::Create => {
                "Retries on cloud providers exhausted. Error list is:\nstandin-cloud: the template asked standin to fail its creation"
            }
            Step::Update => "Error updating the deployment: the template asked standin to fail its update",
            Step::Delete => "Error undeploying the deployment: the template asked standin to fail its deletion",
        }
    }
}

/// The failure a template asks for at a step, if any (see the module docs).
pub fn requested_failure(template: &str, step: Step) -> Option<String> {
    let yaml: serde_norway::Value = serde_norway::from_str(template).ok()?;
    let metadata = yaml.get("metadata")?;
    let steps = metadata.get("standin_fail")?.as_str()?;
    if !steps.split(',').any(|s| s.trim() == step.name()) {
        return None;
    }
    let reason = metadata.get("standin_fail_reason").and_then(|r| r.as_str()).unwrap_or(step.default_reason());
    Some(reason.to_string())
}

impl Lifecycle {
    /// The rule of a step starting now.
    pub fn rule(&self, now: DateTime<Utc>, failure: Option<String>) -> PendingRule {
        let started_at = Some(now);
        match self {
            Lifecycle::Immediate => PendingRule { due_at: Some(now), polls_left: None, failure, started_at },
            Lifecycle::AfterSeconds(s) => PendingRule {
                due_at: Some(now + TimeDelta::milliseconds((s * 1000.0) as i64)),
                polls_left: None,
                failure,
                started_at,
            },
            Lifecycle::AfterPolls(n) => {
                PendingRule { due_at: None, polls_left: Some(i64::from(*n)), failure, started_at }
            }
            Lifecycle::Manual => PendingRule { due_at: None, polls_left: None, failure, started_at },
        }
    }
}

/// The `statusReason` of a create or update that outlived its `timeoutMins`.
pub const TIMEOUT_REASON: &str = "Timeout: Maximum execution time exceeded.";

/// What a read did to a deployment.
#[derive(Debug, Clone, PartialEq)]
pub enum Observed {
    /// Nothing changed.
    Unchanged,
    /// Still in progress; the stored state changed (a read was counted, or the deploy step began).
    Progressed,
    /// The step finished: the deployment's callback is to be notified.
    Finished,
    /// The undeployment succeeded: the deployment is gone.
    Removed,
}

/// The cloud provider standin "chooses" for a deployment.
pub fn assign_provider(d: &mut Deployment) {
    if d.provider.is_some() {
        return;
    }
    let (provider, iaas) = match d.deployment_type.as_str() {
        "CHRONOS" => ("CHRONOS", "CHRONOS"),
        "MARATHON" => ("MARATHON", "MARATHON"),
        "QCG" => ("QCG", "QCG"),
        "KUBERNETES_HELM_CHART" => ("KUBERNETES", "KUBERNETES"),
        _ => ("IM", "OPENSTACK"),
    };
    d.provider = Some(provider.into());
    d.cloud_provider_name = Some("standin-cloud".into());
    d.cloud_provider_endpoint = Some(serde_json::json!({
        "cpEndpoint": "https://cloud.standin.local:5000/v3",
        "cpComputeServiceId": "standin-cloud-compute",
        "deploymentType": iaas,
    }));
    d.physical_id = Some(crate::determinism::uuid_v4().to_string());
}

/// Whether the pending step is due now; counts this read.
fn due(rule: &mut PendingRule, now: DateTime<Utc>) -> (bool, bool) {
    if let Some(left) = rule.polls_left {
        if left <= 0 {
            return (true, false);
        }
        rule.polls_left = Some(left - 1);
        return (false, true);
    }
    match rule.due_at {
        Some(t) => (now >= t, false),
        None => (false, false),
    }
}

/// The outputs of a completed deployment: the template's outputs, evaluated with its parameters (no runtime
/// attributes are known, so `get_attribute` outputs carry the evaluation error, as the real service leaves them).
pub fn completed_outputs(d: &Deployment) -> Map<String, Value> {
    match tosca::parse_template(&d.template) {
        Ok(t) => t.completed_outputs(&d.parameters, |_, _| None),
        Err(_) => Map::new(),
    }
}

/// Apply one read to a deployment in progress (and its resources), at `now` (what timestamps show); `deadline`
/// is the same instant on the clock the step's rule was made with (the two differ only under `--seed`, see
/// [`crate::determinism`]).
pub fn observe(
    d: &mut Deployment,
    resources: &mut Vec<Resource>,
    now: DateTime<Utc>,
    deadline: DateTime<Utc>,
) -> Observed {
    // Resource actions finish on the read after they were accepted.
    let mut acted = false;
    for r in resources.iter_mut() {
        let next = match r.state {
            NodeState::Stopping => Some(NodeState::Stopped),
            NodeState::Starting => Some(NodeState::Started),
            _ => None,
        };
        if let Some(state) = next {
            r.state = state;
            r.updated_at = now;
            acted = true;
        }
    }
    if !d.status.is_in_progress() {
        return if acted { Observed::Progressed } else { Observed::Unchanged };
    }
    let held = d.pending.due_at.is_none() && d.pending.polls_left.is_none();
    if held {
        // Manual: nothing moves until the control plane says so.
        return if acted { Observed::Progressed } else { Observed::Unchanged };
    }
    let timed_out = matches!(d.status, DeploymentStatus::CreateInProgress | DeploymentStatus::UpdateInProgress)
        && d.timeout_mins
            .zip(d.pending.started_at)
            .is_some_and(|(mins, start)| deadline >= start + TimeDelta::minutes(mins));
    if timed_out {
        d.pending.failure = Some(TIMEOUT_REASON.into());
    }
    let (is_due, counted) = if timed_out { (true, false) } else { due(&mut d.pending, deadline) };
    if !is_due {
        let mut changed = counted || acted;
        if d.status != DeploymentStatus::DeleteInProgress && d.task == Task::None {
            d.task = Task::Deployer;
            assign_provider(d);
            for r in resources.iter_mut().filter(|r| r.state == NodeState::Initial) {
                r.state = NodeState::Creating;
                r.updated_at = now;
            }
            d.updated_at = now;
            changed = true;
        }
        return if changed { Observed::Progressed } else { Observed::Unchanged };
    }
    let failure = d.pending.failure.take();
    d.pending = PendingRule::default();
    d.task = Task::None;
    d.updated_at = now;
    match (d.status, failure) {
        (DeploymentStatus::DeleteInProgress, None) => return Observed::Removed,
        (DeploymentStatus::DeleteInProgress, Some(reason)) => {
            d.status = DeploymentStatus::DeleteFailed;
            d.status_reason = Some(reason);
            set_all(resources, NodeState::Error, now);
        }
        (status, None) => {
            assign_provider(d);
            d.status = if status == DeploymentStatus::CreateInProgress {
                DeploymentStatus::CreateComplete
            } else {
                DeploymentStatus::UpdateComplete
            };
            d.status_reason = None;
            resources.retain(|r| r.state != NodeState::Deleting);
            let deployment_id = d.id.clone();
            for (index, r) in resources.iter_mut().enumerate() {
                if r.state != NodeState::Started {
                    r.state = NodeState::Started;
                    r.updated_at = now;
                }
                if tosca::is_a(&r.tosca_node_type, "tosca.nodes.Compute") && r.physical_id.is_none() {
                    r.physical_id = Some(index.to_string());
                    r.metadata.insert(
                        "VirtualMachineInfo".into(),
                        Value::String(virtual_machine_info(&r.tosca_node_name, &deployment_id, index)),
                    );
                }
            }
            d.outputs = completed_outputs(d);
            if d.log.is_none() {
                d.log = Some(format!("Contextualization of deployment {} finished successfully (standin).", d.id));
            }
        }
        (status, Some(reason)) => {
            d.status = if status == DeploymentStatus::CreateInProgress {
                DeploymentStatus::CreateFailed
            } else {
                DeploymentStatus::UpdateFailed
            };
            d.status_reason = Some(reason);
            let keep_started = status == DeploymentStatus::UpdateInProgress;
            for r in resources.iter_mut() {
                if !(keep_started && r.state == NodeState::Started) {
                    r.state = NodeState::Error;
                    r.updated_at = now;
                }
            }
        }
    }
    Observed::Finished
}

/// Where the control plane moves a deployment in progress.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// The outcome the step was going to have (success, or the failure the template asked for).
    Next,
    /// This status: the success or the failure of the step in progress (`DELETE_COMPLETE`: gone). A failure
    /// shows this `statusReason`, or the step's default one.
    Status(DeploymentStatus, Option<String>),
}

/// Why a deployment cannot make a move.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoveRefused {
    #[error("deployment {id} is {status}, not in progress: it has no step to finish")]
    NotInProgress { id: String, status: &'static str },
    #[error("deployment {id} is {status}: its step ends in {allowed}, not {wanted}")]
    NotAllowed { id: String, status: &'static str, wanted: &'static str, allowed: &'static str },
}

/// The step a status in progress is in, and the two statuses it can end in (success, failure).
fn step_of(status: DeploymentStatus) -> Option<(Step, DeploymentStatus, DeploymentStatus)> {
    use DeploymentStatus::*;
    match status {
        CreateInProgress => Some((Step::Create, CreateComplete, CreateFailed)),
        UpdateInProgress => Some((Step::Update, UpdateComplete, UpdateFailed)),
        DeleteInProgress => Some((Step::Delete, DeleteComplete, DeleteFailed)),
        _ => None,
    }
}

/// The control plane's move: end the step in progress now, as a due read would ([`observe`], so resources,
/// outputs and the provider change as they naturally do), with the outcome `target` names. Only the ends the
/// real lifecycle has from the current status are allowed. The result is [`Observed::Finished`] (notify the
/// callback) or [`Observed::Removed`].
pub fn force(
    d: &mut Deployment,
    resources: &mut Vec<Resource>,
    now: DateTime<Utc>,
    deadline: DateTime<Utc>,
    target: Target,
) -> Result<Observed, MoveRefused> {
    let Some((step, success, failure)) = step_of(d.status) else {
        return Err(MoveRefused::NotInProgress { id: d.id.clone(), status: d.status.as_str() });
    };
    let outcome = match target {
        Target::Next => d.pending.failure.take(),
        Target::Status(wanted, _) if wanted == success => None,
        Target::Status(wanted, reason) if wanted == failure => {
            Some(reason.unwrap_or_else(|| step.default_reason().to_string()))
        }
        Target::Status(wanted, _) => {
            return Err(MoveRefused::NotAllowed {
                id: d.id.clone(),
                status: d.status.as_str(),
                wanted: wanted.as_str(),
                allowed: if step == Step::Create {
                    "CREATE_COMPLETE or CREATE_FAILED"
                } else if step == Step::Update {
                    "UPDATE_COMPLETE or UPDATE_FAILED"
                } else {
                    "DELETE_COMPLETE or DELETE_FAILED"
                },
            });
        }
    };
    // Due now, with no start time: the overall timeout cannot replace the chosen outcome.
    d.pending = PendingRule { due_at: Some(deadline), polls_left: None, failure: outcome, started_at: None };
    Ok(observe(d, resources, now, deadline))
}

fn set_all(resources: &mut [Resource], state: NodeState, now: DateTime<Utc>) {
    for r in resources {
        r.state = state;
        r.updated_at = now;
    }
}

/// The status a failed step leaves (`DeploymentStatusHelperImpl.updateOnError`).
pub fn status_on_error(status: DeploymentStatus) -> DeploymentStatus {
    use DeploymentStatus::*;
    match status {
        CreateInProgress | CreateComplete => CreateFailed,
        UpdateInProgress | UpdateComplete => UpdateFailed,
        DeleteInProgress | DeleteComplete => DeleteFailed,
        CreateFailed | UpdateFailed | DeleteFailed => status,
        Unknown => Unknown,
    }
}

/// POST the deployment (without links) to its callback, as the real `Notify` step does; errors are swallowed.
pub fn notify_callback(d: &Deployment) {
    let Some(url) = d.callback.clone().filter(|c| !c.is_empty()) else { return };
    let payload = super::views::DeploymentView::callback_payload(d);
    tokio::spawn(async move {
        let client = reqwest::Client::builder().timeout(std::time::Duration::from_secs(10)).build();
        let Ok(client) = client else { return };
        match client.post(&url).json(&payload).send().await {
            Ok(resp) => tracing::info!(%url, status = resp.status().as_u16(), "callback notified"),
            Err(err) => tracing::warn!(%url, error = %err, "callback failed (ignored, as the orchestrator does)"),
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lifecycle_options_parse() {
        assert_eq!("immediate".parse::<Lifecycle>().unwrap(), Lifecycle::Immediate);
        assert_eq!("after-polls:2".parse::<Lifecycle>().unwrap(), Lifecycle::AfterPolls(2));
        assert_eq!("after-seconds:1.5".parse::<Lifecycle>().unwrap(), Lifecycle::AfterSeconds(1.5));
        assert!("soon".parse::<Lifecycle>().is_err());
    }

    fn pending_deployment(lifecycle: &Lifecycle, started: DateTime<Utc>, timeout_mins: Option<i64>) -> Deployment {
        Deployment {
            id: "d".into(),
            created_at: started,
            updated_at: started,
            status: DeploymentStatus::CreateInProgress,
            status_reason: None,
            task: Task::None,
            physical_id: None,
            callback: None,
            user_group: None,
            owner: None,
            template: "tosca_definitions_version: tosca_simple_yaml_1_0\n".into(),
            parameters: Map::new(),
            outputs: Map::new(),
            timeout_mins,
            provider_timeout_mins: None,
            max_providers_retry: None,
            keep_last_attempt: false,
            deployment_type: "TOSCA".into(),
            provider: None,
            cloud_provider_name: None,
            cloud_provider_endpoint: None,
            log: None,
            extra_info: None,
            pending: lifecycle.rule(started, None),
            version: 0,
        }
    }

    #[test]
    fn a_step_pending_past_timeout_mins_fails_with_the_real_reason() {
        let started = Utc::now();
        let later = started + TimeDelta::minutes(2);
        let mut d = pending_deployment(&Lifecycle::AfterSeconds(3600.0), started, Some(1));
        assert_eq!(observe(&mut d, &mut Vec::new(), started, started), Observed::Progressed);
        assert_eq!(observe(&mut d, &mut Vec::new(), later, later), Observed::Finished);
        assert_eq!((d.status, d.status_reason.as_deref()), (DeploymentStatus::CreateFailed, Some(TIMEOUT_REASON)));

        let mut d = pending_deployment(&Lifecycle::AfterSeconds(3600.0), started, None);
        assert_eq!(observe(&mut d, &mut Vec::new(), later, later), Observed::Progressed, "no timeout, no failure");
        let mut d = pending_deployment(&Lifecycle::Manual, started, Some(1));
        assert_eq!(observe(&mut d, &mut Vec::new(), later, later), Observed::Unchanged, "held steps never time out");
    }

    #[test]
    fn the_control_plane_ends_a_held_step_as_asked() {
        let now = Utc::now();
        let mut d = pending_deployment(&Lifecycle::Manual, now, None);
        let refused = force(&mut d, &mut Vec::new(), now, now, Target::Status(DeploymentStatus::UpdateFailed, None));
        assert!(matches!(refused, Err(MoveRefused::NotAllowed { .. })), "{refused:?}");
        let reason = Some("no quota".to_string());
        let done = force(&mut d, &mut Vec::new(), now, now, Target::Status(DeploymentStatus::CreateFailed, reason));
        assert_eq!(done, Ok(Observed::Finished));
        assert_eq!((d.status, d.status_reason.as_deref()), (DeploymentStatus::CreateFailed, Some("no quota")));
        assert!(matches!(
            force(&mut d, &mut Vec::new(), now, now, Target::Next),
            Err(MoveRefused::NotInProgress { .. })
        ));

        let mut d = pending_deployment(&Lifecycle::Manual, now, None);
        d.pending.failure = Some("asked".into());
        assert_eq!(force(&mut d, &mut Vec::new(), now, now, Target::Next), Ok(Observed::Finished));
        assert_eq!((d.status, d.status_reason.as_deref()), (DeploymentStatus::CreateFailed, Some("asked")));

        let mut d = pending_deployment(&Lifecycle::Manual, now, None);
        d.status = DeploymentStatus::DeleteInProgress;
        let gone = force(&mut d, &mut Vec::new(), now, now, Target::Status(DeploymentStatus::DeleteComplete, None));
        assert_eq!(gone, Ok(Observed::Removed));
    }

    #[test]
    fn templates_ask_for_failures() {
        let t = "tosca_definitions_version: tosca_simple_yaml_1_0\nmetadata:\n  standin_fail: create, delete\n  standin_fail_reason: boom\n";
        assert_eq!(requested_failure(t, Step::Create).as_deref(), Some("boom"));
        assert_eq!(requested_failure(t, Step::Update), None);
        assert_eq!(requested_failure(t, Step::Delete).as_deref(), Some("boom"));
        assert_eq!(requested_failure("x: 1", Step::Create), None);
    }
}
