//! What each orchestrator operation does, apart from HTTP: the real service's checks in the real order
//! (`DeploymentServiceImpl`, `ResourceServiceImpl`, `DeploymentScheduleServiceImpl`), visibility and ownership,
//! and the lifecycle (see [`super::lifecycle`]) applied whenever a deployment is read.

use serde_json::{Map, Value};

use super::OrchestratorSettings;
use super::auth::{Caller, OidcId, ScopeRule};
use super::error::OrchestratorError;
use super::lifecycle::{self, Observed, Step};
use super::model::{
    Deployment, DeploymentStatus, NodeState, Owner, PendingRule, Resource, Schedule, ScheduleEvent, Task, new_id,
};
use super::paging::{self, PageMeta, PageRequest, SortOrder};
use super::store::{ListFilter, OrchestratorStore, StaleWrite};
use super::tosca::{self, DeploymentType, ToscaError};
use super::validate::{DeploymentRequest, ScheduleRequest, check_provider_timeout};

fn storage_failure(err: anyhow::Error) -> OrchestratorError {
    tracing::error!(error = %err, "storage failure");
    OrchestratorError::Internal(Some(err.to_string()))
}

/// How many times an operation starts again from a fresh read when its write finds the deployment
/// changed under it (by another instance on the same database; within one process `writes` orders
/// them). Each retry means somebody else's write succeeded, so a bound this size is never reached
/// in practice.
const WRITE_ATTEMPTS: usize = 32;

/// Whether a deployment write was stored: `Ok(false)` when it was stale ([`StaleWrite`]), so the
/// operation must start again.
fn stored(result: anyhow::Result<()>) -> Result<bool, OrchestratorError> {
    match result {
        Ok(()) => Ok(true),
        Err(e) if e.is::<StaleWrite>() => Ok(false),
        Err(e) => Err(storage_failure(e)),
    }
}

/// Run one attempt of a change after another until one is stored (`Ok(true)`), fails, or
/// [`WRITE_ATTEMPTS`] found the deployment changed under them.
async fn until_stored<F: Future<Output = Result<bool, OrchestratorError>>>(
    id: &str,
    mut attempt: impl FnMut() -> F,
) -> Result<(), OrchestratorError> {
    for _ in 0..WRITE_ATTEMPTS {
        if attempt().await? {
            return Ok(());
        }
    }
    Err(too_contended(id))
}

fn too_contended(id: &str) -> OrchestratorError {
    storage_failure(anyhow::anyhow!("deployment {id} kept changing during {WRITE_ATTEMPTS} attempts to write it"))
}

/// The documented Galaxy template (004:817), which `--fixtures docs` lets the document's placeholder template
/// text `template` stand for (erratum O24).
pub const DOCUMENTED_TEMPLATE: &str = include_str!("documented_template.yaml");

/// A page of items and its metadata.
pub struct Page<T> {
    pub items: Vec<T>,
    pub meta: PageMeta,
}

/// `createdBy` of a list.
fn parse_created_by(value: &str) -> Option<OidcId> {
    let (subject, issuer) = value.split_once('@')?;
    (!subject.is_empty() && !issuer.is_empty() && !issuer.contains('@'))
        .then(|| OidcId { subject: subject.into(), issuer: issuer.into() })
}

fn visible(caller: &Caller, owner: Option<&Owner>) -> bool {
    match (caller, owner) {
        (Caller::Anonymous, _) | (_, None) => true,
        (Caller::User { id, organisation, .. }, Some(owner)) => {
            owner.organisation == *organisation && owner.id.issuer == id.issuer
        }
    }
}

fn owns(caller: &Caller, owner: Option<&Owner>) -> bool {
    match (caller.oidc_id(), owner) {
        (Some(id), Some(owner)) => owner.id == *id,
        _ => true,
    }
}

fn caller_owner(caller: &Caller) -> Option<Owner> {
    match caller {
        Caller::Anonymous => None,
        Caller::User { id, organisation, .. } => Some(Owner { id: id.clone(), organisation: organisation.clone() }),
    }
}

fn deployment_type_name(t: DeploymentType) -> &'static str {
    match t {
        DeploymentType::Tosca => "TOSCA",
        DeploymentType::Chronos => "CHRONOS",
        DeploymentType::Marathon => "MARATHON",
        DeploymentType::Qcg => "QCG",
        DeploymentType::KubernetesHelmChart => "KUBERNETES_HELM_CHART",
    }
}

/// Deployments, resources and schedules.
#[derive(Clone)]
pub struct OrchestratorService {
    store: OrchestratorStore,
    settings: std::sync::Arc<OrchestratorSettings>,
    /// The lifecycle of steps started from now on: `--orchestrator-lifecycle`, then what the control plane sets.
    lifecycle: std::sync::Arc<std::sync::RwLock<lifecycle::Lifecycle>>,
    /// Held across every read-check-write of a deployment (a change, or the lifecycle's step a read
    /// stores), so concurrent updates, actions and deletes of one deployment neither lose nor double
    /// a change: each sees the state the previous one left. Other instances on the same database are
    /// kept out by the version every write is conditional on ([`StaleWrite`]).
    writes: std::sync::Arc<tokio::sync::Mutex<()>>,
    /// How many lifecycle steps this instance stored.
    steps_run: std::sync::Arc<std::sync::atomic::AtomicU64>,
}

/// Why the control plane could not move a deployment.
#[derive(Debug, thiserror::Error)]
pub enum AdvanceError {
    #[error("no deployment {0}")]
    NotFound(String),
    #[error(transparent)]
    Refused(#[from] lifecycle::MoveRefused),
    #[error("storage failure: {0}")]
    Storage(anyhow::Error),
}

impl OrchestratorService {
    pub fn new(store: OrchestratorStore, settings: std::sync::Arc<OrchestratorSettings>) -> Self {
        let lifecycle = std::sync::Arc::new(std::sync::RwLock::new(settings.lifecycle.clone()));
        OrchestratorService { store, settings, lifecycle, writes: Default::default(), steps_run: Default::default() }
    }

    /// The lifecycle of steps started from now on.
    pub fn lifecycle(&self) -> lifecycle::Lifecycle {
        self.lifecycle.read().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }

    /// Change the lifecycle of steps started from now on (steps in progress keep their rule).
    pub fn set_lifecycle(&self, lifecycle: lifecycle::Lifecycle) {
        *self.lifecycle.write().unwrap_or_else(std::sync::PoisonError::into_inner) = lifecycle;
    }

    /// The control plane's move of a deployment in progress, whoever owns it (see [`lifecycle::force`]): the
    /// deployment after it, `None` when its undeployment succeeded. The callback is notified as the step's
    /// natural end would.
    pub async fn advance_deployment(
        &self,
        id: &str,
        target: lifecycle::Target,
    ) -> Result<Option<Deployment>, AdvanceError> {
        let storage = AdvanceError::Storage;
        // Under the write lock, as every change: a read first, as any (a step already due ends the way
        // it would have), then the move.
        let _writes = self.writes.lock().await;
        let storage_error = |e: OrchestratorError| storage(anyhow::anyhow!("{e:?}"));
        for _ in 0..WRITE_ATTEMPTS {
            let loaded = self.load_held(id).await.map_err(storage_error)?;
            let Some((mut d, mut resources)) = loaded else { return Err(AdvanceError::NotFound(id.to_string())) };
            match lifecycle::force(
                &mut d,
                &mut resources,
                crate::determinism::now(),
                crate::determinism::deadline_now(),
                target.clone(),
            )? {
                Observed::Removed => {
                    if stored(self.store.delete_deployment(id, d.version).await).map_err(storage_error)? {
                        return Ok(None);
                    }
                }
                _ => {
                    if stored(self.store.save_deployment(&mut d, &resources).await).map_err(storage_error)? {
                        lifecycle::notify_callback(&d);
                        return Ok(Some(d));
                    }
                }
            }
        }
        Err(storage_error(too_contended(id)))
    }

    fn count_step(&self) {
        self.steps_run.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    }

    /// How many lifecycle steps (a status reached, an undeployment finished) this instance stored.
    pub fn steps_run(&self) -> u64 {
        self.steps_run.load(std::sync::atomic::Ordering::Relaxed)
    }

    pub fn store(&self) -> &OrchestratorStore {
        &self.store
    }

    /// A real-service failure that is a 500 there; a 400 with the same message unless `--orchestrator-real-500s`.
    fn real_500(&self, message: Option<String>) -> OrchestratorError {
        if self.settings.real_500s {
            OrchestratorError::Internal(message)
        } else {
            OrchestratorError::BadRequest(message.unwrap_or_default())
        }
    }

    fn tosca_error(&self, err: ToscaError) -> OrchestratorError {
        match err {
            ToscaError::DependencyLoop { .. } => self.real_500(Some(err.to_string())),
            other => OrchestratorError::BadRequest(other.to_string()),
        }
    }

    fn effective_template<'t>(&self, text: &'t str) -> &'t str {
        if self.settings.documented_template_alias && text == "template" { DOCUMENTED_TEMPLATE } else { text }
    }

    fn parse(
        &self,
        text: &str,
        parameters: &Map<String, Value>,
    ) -> Result<(tosca::ToscaTemplate, tosca::Instantiation), OrchestratorError> {
        let template = tosca::parse_template(self.effective_template(text)).map_err(|e| self.tosca_error(e))?;
        let plan = template.instantiate(parameters).map_err(|e| self.tosca_error(e))?;
        Ok((template, plan))
    }

    fn sort(
        &self,
        values: &[String],
        columns: paging::SortColumns,
        entity: &str,
    ) -> Result<Vec<SortOrder>, OrchestratorError> {
        paging::parse_sort(values, columns, entity).map_err(|e| match e {
            OrchestratorError::Internal(m) => self.real_500(m),
            other => other,
        })
    }

    /// Read a deployment, apply the lifecycle, and store what changed. `None` when it does not exist (or its
    /// undeployment has just succeeded).
    async fn load(&self, id: &str) -> Result<Option<(Deployment, Vec<Resource>)>, OrchestratorError> {
        let _writes = self.writes.lock().await;
        self.load_held(id).await
    }

    /// [`Self::load`] for a caller that already holds `writes`.
    /// A step that became due is applied by whichever reader stores it first: a reader whose write
    /// is stale reads again and sees the step done (so it runs, and its callback fires, once).
    async fn load_held(&self, id: &str) -> Result<Option<(Deployment, Vec<Resource>)>, OrchestratorError> {
        for _ in 0..WRITE_ATTEMPTS {
            let Some(mut d) = self.store.get_deployment(id).await.map_err(storage_failure)? else { return Ok(None) };
            let mut resources = self.store.all_resources(id).await.map_err(storage_failure)?;
            let now = crate::determinism::now();
            match lifecycle::observe(&mut d, &mut resources, now, crate::determinism::deadline_now()) {
                Observed::Unchanged => return Ok(Some((d, resources))),
                Observed::Progressed => {
                    if stored(self.store.save_deployment(&mut d, &resources).await)? {
                        self.count_step();
                        return Ok(Some((d, resources)));
                    }
                }
                Observed::Finished => {
                    if stored(self.store.save_deployment(&mut d, &resources).await)? {
                        self.count_step();
                        lifecycle::notify_callback(&d);
                        return Ok(Some((d, resources)));
                    }
                }
                Observed::Removed => {
                    if stored(self.store.delete_deployment(id, d.version).await)? {
                        self.count_step();
                        return Ok(None);
                    }
                }
            }
        }
        Err(too_contended(id))
    }

    /// A deployment the caller may see (404 otherwise).
    async fn load_visible(&self, caller: &Caller, id: &str) -> Result<(Deployment, Vec<Resource>), OrchestratorError> {
        match self.load(id).await? {
            Some((d, r)) if visible(caller, d.owner.as_ref()) => Ok((d, r)),
            _ => Err(OrchestratorError::deployment_not_found(id)),
        }
    }

    /// A deployment the caller owns (404, then 403); the caller holds `writes` (it is about to change it).
    async fn load_owned(&self, caller: &Caller, id: &str) -> Result<(Deployment, Vec<Resource>), OrchestratorError> {
        let (d, r) = match self.load_held(id).await? {
            Some((d, r)) if visible(caller, d.owner.as_ref()) => (d, r),
            _ => return Err(OrchestratorError::deployment_not_found(id)),
        };
        if !owns(caller, d.owner.as_ref()) {
            return Err(OrchestratorError::not_owner());
        }
        Ok((d, r))
    }

    pub async fn create_deployment(
        &self,
        caller: &Caller,
        request: DeploymentRequest,
    ) -> Result<Deployment, OrchestratorError> {
        caller.require_scope(ScopeRule::Submit)?;
        let (template, plan) = self.parse(&request.template, &request.parameters)?;
        check_provider_timeout(&request)?;
        let now = crate::determinism::now();
        let failure = lifecycle::requested_failure(&request.template, Step::Create);
        let d = Deployment {
            id: new_id(),
            created_at: now,
            updated_at: now,
            status: DeploymentStatus::CreateInProgress,
            status_reason: None,
            task: Task::None,
            physical_id: None,
            callback: request.callback,
            user_group: request.user_group,
            owner: caller_owner(caller),
            template: request.template,
            parameters: request.parameters,
            outputs: Map::new(),
            timeout_mins: request.timeout_mins,
            provider_timeout_mins: request.provider_timeout_mins,
            max_providers_retry: request.max_providers_retry,
            keep_last_attempt: request.keep_last_attempt,
            deployment_type: deployment_type_name(template.deployment_type()).into(),
            provider: None,
            cloud_provider_name: None,
            cloud_provider_endpoint: None,
            log: None,
            extra_info: None,
            pending: self.lifecycle().rule(crate::determinism::deadline_now(), failure),
            version: 0,
        };
        let resources: Vec<Resource> = plan
            .resources()
            .into_iter()
            .map(|planned| Resource {
                id: new_id(),
                deployment_id: d.id.clone(),
                created_at: now,
                updated_at: now,
                physical_id: None,
                state: NodeState::Initial,
                tosca_node_type: planned.tosca_node_type,
                tosca_node_name: planned.tosca_node_name,
                metadata: Map::new(),
            })
            .collect();
        self.store.insert_deployment(&d, &resources).await.map_err(storage_failure)?;
        Ok(d)
    }

    pub async fn get_deployment(&self, caller: &Caller, id: &str) -> Result<Deployment, OrchestratorError> {
        Ok(self.load_visible(caller, id).await?.0)
    }

    pub async fn list_deployments(
        &self,
        caller: &Caller,
        created_by: Option<&str>,
        user_group: Option<&str>,
        page: PageRequest,
        sort: &[String],
    ) -> Result<Page<Deployment>, OrchestratorError> {
        let sort = self.sort(sort, paging::DEPLOYMENT_SORT, "Deployment")?;
        let mut filter = ListFilter {
            user_group: user_group.filter(|g| !g.is_empty()).map(str::to_string),
            ..ListFilter::default()
        };
        if let Caller::User { id, organisation, admin, .. } = caller {
            filter.organisation_and_issuer = Some((organisation.clone(), id.issuer.clone()));
            match created_by.filter(|c| !c.is_empty()) {
                None if *admin => {}
                None | Some("me") => filter.owner = Some(id.clone()),
                Some(value) => {
                    let Some(wanted) = parse_created_by(value) else {
                        return Err(OrchestratorError::BadRequest(format!(
                            "Value {value} for param createdBy is illegal"
                        )));
                    };
                    if wanted.subject != id.subject && !admin {
                        return Err(OrchestratorError::Forbidden(format!(
                            "Only admin can retrieve deployments for {value}"
                        )));
                    }
                    filter.owner = Some(wanted);
                }
            }
        } else if let Some(value) = created_by.filter(|c| !c.is_empty() && *c != "me") {
            // OIDC off: the real service fails (500 `Security is not enabled`); standin filters by owner.
            let Some(wanted) = parse_created_by(value) else {
                return Err(OrchestratorError::BadRequest(format!("Value {value} for param createdBy is illegal")));
            };
            filter.owner = Some(wanted);
        }
        if *caller == Caller::Anonymous && self.settings.real_500s {
            return Err(OrchestratorError::Internal(Some("Security is not enabled".into())));
        }
        let (listed, mut total) = self.store.list_deployments(&filter, &sort, &page).await.map_err(storage_failure)?;
        // The page's deployments in progress are read through the lifecycle like any other read; one whose
        // undeployment finishes now is gone, from the page and from the total.
        let mut items = Vec::with_capacity(listed.len());
        for d in listed {
            if !d.status.is_in_progress() {
                items.push(d);
            } else if let Some((fresh, _)) = self.load(&d.id).await? {
                items.push(fresh);
            } else {
                total -= 1;
            }
        }
        Ok(Page { items, meta: PageMeta::new(&page, total) })
    }

    pub async fn update_deployment(
        &self,
        caller: &Caller,
        id: &str,
        request: DeploymentRequest,
    ) -> Result<(), OrchestratorError> {
        caller.require_scope(ScopeRule::Submit)?;
        let _writes = self.writes.lock().await;
        until_stored(id, || self.try_update_deployment(caller, id, request.clone())).await
    }

    /// One attempt of [`Self::update_deployment`]: `false` if the deployment changed under it.
    async fn try_update_deployment(
        &self,
        caller: &Caller,
        id: &str,
        request: DeploymentRequest,
    ) -> Result<bool, OrchestratorError> {
        let (mut d, mut resources) = self.load_owned(caller, id).await?;
        if let Some(provider) = d.refusing_provider() {
            return Err(OrchestratorError::BadRequest(format!("{provider} deployments cannot be updated.")));
        }
        if !d.status.allows_update() {
            return Err(OrchestratorError::Conflict(format!(
                "Cannot update a deployment in {} state",
                d.status.as_str()
            )));
        }
        let mut parameters = d.parameters.clone();
        parameters.extend(request.parameters.clone());
        let (_, plan) = self.parse(&request.template, &parameters)?;
        check_provider_timeout(&request)?;
        let now = crate::determinism::now();
        d.status = DeploymentStatus::UpdateInProgress;
        d.status_reason = None;
        d.task = Task::None;
        d.parameters = parameters;
        if request.callback.is_some() {
            d.callback = request.callback;
        }
        d.template = request.template;
        d.timeout_mins = request.timeout_mins;
        d.provider_timeout_mins = request.provider_timeout_mins;
        d.max_providers_retry = request.max_providers_retry;
        d.keep_last_attempt = request.keep_last_attempt;
        d.updated_at = now;
        d.pending = self
            .lifecycle()
            .rule(crate::determinism::deadline_now(), lifecycle::requested_failure(&d.template, Step::Update));
        // Existing instances are kept per node (name and type), extra ones go DELETING, missing ones are CREATING.
        let mut kept: Vec<Resource> = Vec::new();
        for node in &plan.nodes {
            let mut existing: Vec<&mut Resource> = resources
                .iter_mut()
                .filter(|r| {
                    r.tosca_node_name == node.name
                        && r.tosca_node_type == node.node_type
                        && r.state != NodeState::Deleting
                })
                .collect();
            for (i, r) in existing.iter_mut().enumerate() {
                let removed = i as u64 >= node.count || node.removal_list.contains(&r.id);
                r.state = if removed {
                    NodeState::Deleting
                } else if matches!(r.state, NodeState::Creating | NodeState::Started) {
                    r.state
                } else {
                    NodeState::Configuring
                };
                r.updated_at = now;
                kept.push((**r).clone());
            }
            let present =
                kept.iter().filter(|r| r.tosca_node_name == node.name && r.state != NodeState::Deleting).count();
            for _ in present as u64..node.count {
                kept.push(Resource {
                    id: new_id(),
                    deployment_id: d.id.clone(),
                    created_at: now,
                    updated_at: now,
                    physical_id: None,
                    state: NodeState::Creating,
                    tosca_node_type: node.node_type.clone(),
                    tosca_node_name: node.name.clone(),
                    metadata: Map::new(),
                });
            }
        }
        let gone: Vec<Resource> = resources
            .iter()
            .filter(|r| !kept.iter().any(|k| k.id == r.id))
            .map(|r| Resource { state: NodeState::Deleting, updated_at: now, ..r.clone() })
            .collect();
        kept.extend(gone);
        stored(self.store.save_deployment(&mut d, &kept).await)
    }

    pub async fn reset_deployment(
        &self,
        caller: &Caller,
        id: &str,
        status: Option<String>,
    ) -> Result<(), OrchestratorError> {
        caller.require_scope(ScopeRule::Submit)?;
        let _writes = self.writes.lock().await;
        until_stored(id, || self.try_reset_deployment(caller, id, status.as_deref())).await
    }

    /// One attempt of [`Self::reset_deployment`]: `false` if the deployment changed under it.
    async fn try_reset_deployment(
        &self,
        caller: &Caller,
        id: &str,
        status: Option<&str>,
    ) -> Result<bool, OrchestratorError> {
        let (mut d, resources) = self.load_owned(caller, id).await?;
        let Some(text) = status else { return Err(self.real_500(Some("Name is null".into()))) };
        let Some(wanted) = DeploymentStatus::parse(text) else {
            return Err(if self.settings.real_500s {
                OrchestratorError::Internal(Some(format!("No enum constant it.reply.orchestrator.enums.Status.{text}")))
            } else {
                OrchestratorError::BadRequest(format!("Cannot reset deployment: illegal status {text}."))
            });
        };
        if wanted != DeploymentStatus::DeleteFailed {
            return Err(OrchestratorError::BadRequest(format!("Cannot reset deployment: illegal status {text}.")));
        }
        if !d.status.allows_reset() {
            return Err(OrchestratorError::Conflict(format!(
                "Cannot reset a deployment in {} state",
                d.status.as_str()
            )));
        }
        d.status = DeploymentStatus::DeleteFailed;
        d.status_reason = None;
        d.task = Task::None;
        d.pending = PendingRule::default();
        d.updated_at = crate::determinism::now();
        stored(self.store.save_deployment(&mut d, &resources).await)
    }

    pub async fn delete_deployment(&self, caller: &Caller, id: &str) -> Result<(), OrchestratorError> {
        caller.require_scope(ScopeRule::Submit)?;
        let _writes = self.writes.lock().await;
        until_stored(id, || self.try_delete_deployment(caller, id)).await
    }

    /// One attempt of [`Self::delete_deployment`]: `false` if the deployment changed under it.
    async fn try_delete_deployment(&self, caller: &Caller, id: &str) -> Result<bool, OrchestratorError> {
        let (mut d, mut resources) = self.load_owned(caller, id).await?;
        if !d.status.allows_delete() {
            return Err(OrchestratorError::Conflict(format!("Deployment already in {} state.", d.status.as_str())));
        }
        if !d.has_provider() {
            return stored(self.store.delete_deployment(id, d.version).await);
        }
        let now = crate::determinism::now();
        d.status = DeploymentStatus::DeleteInProgress;
        d.status_reason = None;
        d.task = Task::None;
        d.updated_at = now;
        d.pending = self
            .lifecycle()
            .rule(crate::determinism::deadline_now(), lifecycle::requested_failure(&d.template, Step::Delete));
        for r in &mut resources {
            r.state = NodeState::Deleting;
            r.updated_at = now;
        }
        stored(self.store.save_deployment(&mut d, &resources).await)
    }

    /// `GET .../log`: owner only; empty when there is nothing to show.
    pub async fn deployment_log(&self, caller: &Caller, id: &str) -> Result<String, OrchestratorError> {
        let _writes = self.writes.lock().await;
        let (d, _) = self.load_owned(caller, id).await?;
        if !d.has_provider() && self.settings.real_500s {
            return Err(OrchestratorError::Internal(None));
        }
        Ok(d.log.unwrap_or_default())
    }

    /// `GET .../extrainfo`: owner only; the stored text, else a JSON array of the resources' machine information.
    pub async fn deployment_extra_info(&self, caller: &Caller, id: &str) -> Result<String, OrchestratorError> {
        let _writes = self.writes.lock().await;
        let (d, resources) = self.load_owned(caller, id).await?;
        if !d.has_provider() && self.settings.real_500s {
            return Err(OrchestratorError::Internal(None));
        }
        if let Some(text) = d.extra_info {
            return Ok(text);
        }
        let infos: Vec<&str> = resources
            .iter()
            .filter(|r| r.physical_id.is_some())
            .filter_map(|r| r.metadata.get("VirtualMachineInfo").and_then(Value::as_str))
            .collect();
        Ok(format!("[{}]", infos.join(",")))
    }

    pub async fn deployment_template(&self, caller: &Caller, id: &str) -> Result<String, OrchestratorError> {
        Ok(self.load_visible(caller, id).await?.0.template)
    }

    /// `GET .../resources`: without `type` a page; with it every match in `content`, with the real totals quirk.
    pub async fn list_resources(
        &self,
        caller: &Caller,
        id: &str,
        node_type: Option<&str>,
        page: PageRequest,
        sort: &[String],
    ) -> Result<Page<Resource>, OrchestratorError> {
        let sort = self.sort(sort, paging::RESOURCE_SORT, "Resource")?;
        let (d, resources) = self.load_visible(caller, id).await?;
        match node_type.filter(|t| !t.is_empty()) {
            None => {
                let (items, total) = self.store.list_resources(id, &sort, &page).await.map_err(storage_failure)?;
                Ok(Page { items, meta: PageMeta::new(&page, total) })
            }
            Some(wanted) => {
                let names: Vec<String> = match tosca::parse_template(self.effective_template(&d.template)) {
                    Ok(t) => t.node_names_of_type(wanted).into_iter().map(str::to_string).collect(),
                    Err(_) => resources
                        .iter()
                        .filter(|r| tosca::is_a(&r.tosca_node_type, wanted))
                        .map(|r| r.tosca_node_name.clone())
                        .collect(),
                };
                let items: Vec<Resource> =
                    resources.into_iter().filter(|r| names.contains(&r.tosca_node_name)).collect();
                let n = items.len() as i64;
                // Spring's PageImpl(content, pageable, n): with content and a page past it, total is offset + n.
                let total = if n > 0 && page.offset() + i64::from(page.size) > n { page.offset() + n } else { n };
                Ok(Page { items, meta: PageMeta::new(&page, total) })
            }
        }
    }

    pub async fn get_resource(
        &self,
        caller: &Caller,
        id: &str,
        resource_id: &str,
    ) -> Result<Resource, OrchestratorError> {
        let (_, resources) = self.load_visible(caller, id).await?;
        resources.into_iter().find(|r| r.id == resource_id).ok_or_else(|| {
            OrchestratorError::NotFound(format!("The resource <{resource_id}> in deployment <{id}> doesn't exist"))
        })
    }

    /// `POST .../actions`: the synchronous checks, then the action. It finishes on the next read; an action the
    /// resource's state or type does not allow fails the deployment as the real asynchronous step does.
    pub async fn resource_action(
        &self,
        caller: &Caller,
        id: &str,
        resource_id: &str,
        action: &str,
    ) -> Result<(), OrchestratorError> {
        caller.require_scope(ScopeRule::OfflineAccess)?;
        let _writes = self.writes.lock().await;
        until_stored(id, || self.try_resource_action(caller, id, resource_id, action)).await
    }

    /// One attempt of [`Self::resource_action`]: `false` if the deployment changed under it.
    async fn try_resource_action(
        &self,
        caller: &Caller,
        id: &str,
        resource_id: &str,
        action: &str,
    ) -> Result<bool, OrchestratorError> {
        let (mut d, mut resources) = self.load_owned(caller, id).await?;
        let Some(index) = resources.iter().position(|r| r.id == resource_id) else {
            return Err(OrchestratorError::BadRequest(format!("Resource {resource_id} not found in deployment {id}")));
        };
        if let Some(provider) = d.refusing_provider() {
            return Err(OrchestratorError::BadRequest(format!("{provider} deployment: actions not supported yet.")));
        }
        if !d.status.allows_update() {
            return Err(OrchestratorError::Conflict(format!(
                "Cannot perform actions on deployment in {} state",
                d.status.as_str()
            )));
        }
        let now = crate::determinism::now();
        let resource = &mut resources[index];
        let outcome = if !tosca::is_a(&resource.tosca_node_type, "tosca.nodes.Compute") {
            Err(format!("Resource {resource_id} is not a compute node"))
        } else {
            match (action, resource.state) {
                ("stop", NodeState::Started) => Ok(NodeState::Stopping),
                ("start", NodeState::Stopped) => Ok(NodeState::Starting),
                ("stop" | "start", state) => Err(format!("Cannot {action} node in state {}", state.as_str())),
                (other, _) => Err(format!("Invalid action {other}")),
            }
        };
        match outcome {
            Ok(state) => {
                resource.state = state;
                resource.updated_at = now;
            }
            Err(reason) => {
                d.status = lifecycle::status_on_error(d.status);
                d.status_reason = Some(format!(
                    "Error validating action request; nested exception is it.reply.orchestrator.exception.http.BadRequestException: {reason}"
                ));
                d.updated_at = now;
            }
        }
        stored(self.store.save_deployment(&mut d, &resources).await)
    }

    pub async fn create_schedule(
        &self,
        caller: &Caller,
        request: ScheduleRequest,
    ) -> Result<Schedule, OrchestratorError> {
        caller.require_scope(ScopeRule::Submit)?;
        self.parse(&request.deployment.template, &request.deployment.parameters)?;
        // The document states the deployments' timeout rule for schedules too (004:1456); the real service does
        // not check it (erratum O14). standin follows the document.
        check_provider_timeout(&request.deployment)?;
        let now = crate::determinism::now();
        let s = Schedule {
            id: new_id(),
            created_at: now,
            updated_at: Some(now),
            status: "RUNNING".into(),
            replication_expression: request.replication_expression,
            file_expression: request.file_expression,
            callback: request.deployment.callback,
            number_of_replicas: request.number_of_replicas,
            owner: caller_owner(caller),
            template: request.deployment.template,
            parameters: request.deployment.parameters,
        };
        self.store.insert_schedule(&s).await.map_err(storage_failure)?;
        Ok(s)
    }

    pub async fn list_schedules(
        &self,
        caller: &Caller,
        created_by: Option<&str>,
        page: PageRequest,
        sort: &[String],
    ) -> Result<Page<Schedule>, OrchestratorError> {
        let sort = self.sort(sort, paging::SCHEDULE_SORT, "DeploymentSchedule")?;
        let mut filter = ListFilter::default();
        let illegal =
            |value: &str| OrchestratorError::BadRequest(format!("Value {value} for param createdBy is illegal"));
        match caller {
            Caller::User { id, organisation, admin, .. } => {
                filter.organisation_and_issuer = Some((organisation.clone(), id.issuer.clone()));
                match created_by {
                    None if *admin => {}
                    None | Some("me") => filter.owner = Some(id.clone()),
                    Some(value) if *admin => {
                        filter.owner = Some(parse_created_by(value).ok_or_else(|| illegal(value))?)
                    }
                    Some(value) => return Err(illegal(value)),
                }
            }
            Caller::Anonymous => {
                if self.settings.real_500s {
                    return Err(OrchestratorError::Internal(Some("Security is not enabled".into())));
                }
                if let Some(value) = created_by.filter(|c| *c != "me") {
                    filter.owner = Some(parse_created_by(value).ok_or_else(|| illegal(value))?);
                }
            }
        }
        let (items, total) = self.store.list_schedules(&filter, &sort, &page).await.map_err(storage_failure)?;
        Ok(Page { items, meta: PageMeta::new(&page, total) })
    }

    pub async fn get_schedule(&self, caller: &Caller, id: &str) -> Result<Schedule, OrchestratorError> {
        match self.store.get_schedule(id).await.map_err(storage_failure)? {
            Some(s) if visible(caller, s.owner.as_ref()) => Ok(s),
            _ => Err(OrchestratorError::deployment_not_found(id)),
        }
    }

    /// A schedule's events: no existence or ownership check, as in the real service.
    pub async fn list_schedule_events(
        &self,
        id: &str,
        page: PageRequest,
        sort: &[String],
    ) -> Result<Page<ScheduleEvent>, OrchestratorError> {
        let sort = self.sort(sort, paging::EVENT_SORT, "DeploymentScheduleEvent")?;
        let (listed, mut total) = self.store.list_events(id, &sort, &page).await.map_err(storage_failure)?;
        // An event goes with its deployment (the real service cascades the delete).
        let mut items = Vec::with_capacity(listed.len());
        for mut e in listed {
            match self.load(&e.deployment.id).await? {
                Some((fresh, _)) => {
                    e.deployment = fresh;
                    items.push(e);
                }
                None => total -= 1,
            }
        }
        Ok(Page { items, meta: PageMeta::new(&page, total) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_by_values() {
        assert_eq!(parse_created_by("a@https://iam/").unwrap().issuer, "https://iam/");
        assert!(parse_created_by("a@b@c").is_none());
        assert!(parse_created_by("@b").is_none());
        assert!(parse_created_by("me").is_none());
    }
}
