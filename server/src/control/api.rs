//! The control API's HTTP surface (poem-openapi), nested under `/_standin` on every listener.
//! Handlers only translate; what they do lives in the stores and services they call.

use std::sync::Arc;

use poem_openapi::param::{Path, Query};
use poem_openapi::payload::{Html, Json, PlainText};
use poem_openapi::{ApiResponse, Enum, Object, OpenApi, OpenApiService, Tags};

use super::ControlPlane;
use super::faults::{ApiName, FaultRule, NewFaultRule, RuleError};
use super::journal::JournalPage;
use crate::barbican::service::{AdvanceError, Lifecycle, OrderTarget};
use crate::barbican::views::Hrefs;
use crate::config::ApiKind;

/// The control contract, served at `/_standin/openapi.yaml` and shown at `/_standin/docs`.
pub const CONTRACT_YAML: &str = include_str!("../../../openapi/control.yaml");

#[derive(Tags)]
enum ControlTags {
    /// Health, the landing page and this API's own docs.
    Meta,
    /// Resetting standin's state.
    State,
    /// How asynchronous resources move, and moving them.
    Lifecycles,
    /// Forced errors, delays and dropped connections.
    Faults,
    /// What standin saw and generated.
    Introspection,
}

/// The control API's error body.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct ControlErrorBody {
    /// What went wrong, in words.
    pub message: String,
}

fn error(message: impl Into<String>) -> Json<ControlErrorBody> {
    Json(ControlErrorBody { message: message.into() })
}

/// A listener's health.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct Health {
    /// Always `ok`: a listener that answers is ready.
    pub status: String,
    /// The API this listener serves.
    pub api: ApiName,
    /// standin's version.
    pub version: String,
    /// Which standin process answered: a random id made when it started (instances sharing a
    /// database behind a load balancer tell themselves apart by it).
    pub instance: String,
    /// The database this instance uses: `sqlite` (embedded, one instance) or `postgres` (shared).
    pub database: DatabaseKind,
    /// How many lifecycle steps of asynchronous resources this instance ran since it started.
    pub lifecycle_steps: LifecycleSteps,
}

/// Which database an instance uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
#[oai(rename_all = "lowercase")]
pub enum DatabaseKind {
    Sqlite,
    Postgres,
}

/// Lifecycle steps run by one instance, per kind of resource.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct LifecycleSteps {
    /// Barbican orders processed (PENDING to ACTIVE or ERROR).
    pub orders: u64,
    /// Orchestrator deployment steps stored (a status reached, an undeployment finished).
    pub deployments: u64,
}

/// What to reset.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
#[oai(deny_unknown_fields)]
pub struct ResetRequest {
    /// Only this API's state; every API's when absent.
    pub api: Option<ApiName>,
    /// With `api: barbican`, only this project's orders, secrets and containers.
    #[oai(nullable)]
    pub project: Option<String>,
    /// With `api: orchestrator`, only the deployments and schedules of this organisation's users.
    pub organisation: Option<String>,
    /// With `api: orchestrator`, only the deployments and schedules of this user, `subject@issuer`.
    #[oai(validator(pattern = "^[^@]+@[^@]+$"))]
    pub owner: Option<String>,
}

/// What a reset removed.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct ResetReport {
    /// Barbican orders removed (with their secrets and containers).
    pub barbican_orders: u64,
    /// Orchestrator deployments removed (with their resources).
    pub orchestrator_deployments: u64,
    /// Orchestrator schedules removed (with their events).
    pub orchestrator_schedules: u64,
    /// Marketplace company services removed (with their regions and offices); the rate-limit counters
    /// start again too.
    pub marketplace_services: u64,
}

/// Which documented data set to load.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum FixtureSet {
    /// What the reference documents show, for every API (`--fixtures docs` at start).
    #[oai(rename = "docs")]
    Docs,
}

/// Fixtures to load: a documented set (added to the state), or a document in the snapshot
/// format (which replaces the state, as `PUT /_standin/state`). Exactly one of the two.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(deny_unknown_fields)]
pub struct FixturesRequest {
    #[oai(nullable)]
    pub set: Option<FixtureSet>,
    #[oai(nullable)]
    pub document: Option<StateSnapshot>,
}

/// What a fixture load wrote.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct FixturesReport {
    /// With `set`: entities added, by kind (`barbican_orders`, `marketplace_services`,
    /// `orchestrator_deployments`; those already there are left alone). With `document`: rows
    /// written, by table.
    pub loaded: std::collections::BTreeMap<String, u64>,
}

/// The lifecycles new resources get, as `immediate`, `after-seconds:<N>`, `after-polls:<N>` or
/// `manual`.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct Lifecycles {
    /// How new Barbican orders leave PENDING.
    pub barbican_orders: String,
    /// How orchestrator deployments finish a create, update or delete step.
    pub orchestrator_deployments: String,
}

/// A change of lifecycles; absent fields stay as they are.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
#[oai(deny_unknown_fields)]
pub struct LifecyclesChange {
    /// How new Barbican orders leave PENDING from now on.
    #[oai(nullable)]
    pub barbican_orders: Option<String>,
    /// How orchestrator deployment steps started from now on finish.
    #[oai(nullable)]
    pub orchestrator_deployments: Option<String>,
}

/// Where to move an orchestrator deployment in progress.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum DeploymentMove {
    /// The outcome the step was going to have: success, or the failure its template asked for.
    #[oai(rename = "next")]
    Next,
    #[oai(rename = "CREATE_COMPLETE")]
    CreateComplete,
    #[oai(rename = "CREATE_FAILED")]
    CreateFailed,
    #[oai(rename = "UPDATE_COMPLETE")]
    UpdateComplete,
    #[oai(rename = "UPDATE_FAILED")]
    UpdateFailed,
    /// The undeployment succeeds: the deployment is gone.
    #[oai(rename = "DELETE_COMPLETE")]
    DeleteComplete,
    #[oai(rename = "DELETE_FAILED")]
    DeleteFailed,
}

/// A move of one deployment in progress. Only the ends of its current step are allowed:
/// `CREATE_IN_PROGRESS` to `CREATE_COMPLETE` or `CREATE_FAILED`, and so on.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
#[oai(deny_unknown_fields)]
pub struct DeploymentAdvance {
    pub to: DeploymentMove,
    /// With a `*_FAILED` target: the deployment's `statusReason` (default the step's generic one).
    #[oai(validator(max_length = 4096))]
    pub status_reason: Option<String>,
}

/// A deployment after a move, as the control plane reports it (the deployment itself is read
/// through the orchestrator's API).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct AdvancedDeployment {
    pub deployment_id: String,
    /// The status after the move; `DELETE_COMPLETE` when the deployment is gone.
    pub status: String,
    #[oai(skip_serializing_if_is_none)]
    pub status_reason: Option<String>,
}

/// Where to move a PENDING order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum OrderMove {
    /// What processing decides: ACTIVE with key material, or the plugins' ERROR.
    #[oai(rename = "next")]
    Next,
    /// ACTIVE with key material; a 409 when processing would fail the order.
    #[oai(rename = "ACTIVE")]
    Active,
    /// ERROR, with the given code and reason.
    #[oai(rename = "ERROR")]
    Error,
}

/// A move of one PENDING order.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
#[oai(deny_unknown_fields)]
pub struct OrderAdvance {
    pub to: OrderMove,
    /// With `to: ERROR`: the order's `error_status_code` (default `500`).
    #[oai(validator(pattern = "^[0-9]{3}$"))]
    pub error_status_code: Option<String>,
    /// With `to: ERROR`: the order's `error_reason` (default Barbican's generic processing failure).
    #[oai(validator(max_length = 255))]
    pub error_reason: Option<String>,
}

/// An order after a move, as the control plane reports it (the order itself is read through
/// Barbican's API).
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct AdvancedOrder {
    pub order_id: String,
    pub project_id: String,
    /// `ACTIVE` or `ERROR`.
    pub status: String,
    /// The order's href, as Barbican's API serves it.
    pub order_ref: String,
    #[oai(skip_serializing_if_is_none)]
    pub error_status_code: Option<String>,
    #[oai(skip_serializing_if_is_none)]
    pub error_reason: Option<String>,
    /// A key order's generated secret.
    #[oai(skip_serializing_if_is_none)]
    pub secret_ref: Option<String>,
    /// An asymmetric order's generated container.
    #[oai(skip_serializing_if_is_none)]
    pub container_ref: Option<String>,
}

/// The key material of a generated secret.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct SecretMaterial {
    pub secret_id: String,
    pub project_id: String,
    /// `symmetric`, `private`, `public` or `passphrase`.
    pub secret_type: String,
    /// The payload's content type (`application/octet-stream`, `application/pkcs8`, …).
    pub content_type: String,
    /// The payload, base64-encoded (standard alphabet, padded).
    pub payload_base64: String,
    /// The payload's length in bytes.
    pub bytes: u64,
}

#[derive(ApiResponse)]
enum HealthResponse {
    /// The listener is up.
    #[oai(status = 200)]
    Ok(Json<Health>),
}

#[derive(ApiResponse)]
enum PageResponse {
    /// The page.
    #[oai(status = 200)]
    Ok(Html<String>),
}

#[derive(ApiResponse)]
enum ContractYamlResponse {
    /// The control contract.
    #[oai(status = 200, content_type = "application/yaml")]
    Ok(PlainText<&'static str>),
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "reset_bad_request")]
enum ResetResponse {
    /// The state is reset.
    #[oai(status = 200)]
    Ok(Json<ResetReport>),
    /// The scope is not one standin knows.
    #[oai(status = 400)]
    BadRequest(Json<ControlErrorBody>),
    /// The store failed.
    #[oai(status = 500)]
    Internal(Json<ControlErrorBody>),
}

fn reset_bad_request(err: poem::Error) -> ResetResponse {
    ResetResponse::BadRequest(error(err.to_string()))
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "journal_bad_request")]
enum JournalResponse {
    /// The newest entries, oldest first.
    #[oai(status = 200)]
    Ok(Json<JournalPage>),
    /// A parameter is not usable.
    #[oai(status = 400)]
    BadRequest(Json<ControlErrorBody>),
}

fn journal_bad_request(err: poem::Error) -> JournalResponse {
    JournalResponse::BadRequest(error(err.to_string()))
}

/// A snapshot of the whole state (see `GET /_standin/state`).
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(deny_unknown_fields)]
pub struct StateSnapshot {
    /// Always `standin-state/1`.
    pub format: String,
    /// Every state table's rows, by table name; each row maps column names to values (binary
    /// values as `{"base64": "..."}`).
    pub tables: std::collections::BTreeMap<String, Vec<std::collections::BTreeMap<String, serde_json::Value>>>,
}

/// What a load wrote.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct LoadReport {
    /// Rows written, by table (tables the snapshot left out were emptied).
    pub rows: std::collections::BTreeMap<String, u64>,
}

#[derive(ApiResponse)]
enum ExportStateResponse {
    /// The whole state.
    #[oai(status = 200)]
    Ok(Json<StateSnapshot>),
    /// The store failed.
    #[oai(status = 500)]
    Internal(Json<ControlErrorBody>),
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "import_state_bad_request")]
enum ImportStateResponse {
    /// The state is now the snapshot's.
    #[oai(status = 200)]
    Ok(Json<LoadReport>),
    /// The snapshot is not one standin can load; nothing changed.
    #[oai(status = 400)]
    BadRequest(Json<ControlErrorBody>),
}

fn import_state_bad_request(err: poem::Error) -> ImportStateResponse {
    ImportStateResponse::BadRequest(error(err.to_string()))
}

#[derive(ApiResponse)]
enum NoContentResponse {
    /// Done.
    #[oai(status = 204)]
    NoContent,
}

#[derive(ApiResponse)]
enum ClearFaultsResponse {
    /// Every rule is gone.
    #[oai(status = 204)]
    NoContent,
    /// The store failed.
    #[oai(status = 500)]
    Internal(Json<ControlErrorBody>),
}

#[derive(ApiResponse)]
enum FaultListResponse {
    /// The rules in force, in the order they are tried.
    #[oai(status = 200)]
    Ok(Json<Vec<FaultRule>>),
    /// The store failed.
    #[oai(status = 500)]
    Internal(Json<ControlErrorBody>),
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "add_fault_bad_request")]
enum AddFaultResponse {
    /// The rule is in force (after the rules already there).
    #[oai(status = 201)]
    Created(Json<FaultRule>),
    /// The rule is not usable.
    #[oai(status = 400)]
    BadRequest(Json<ControlErrorBody>),
    /// The store failed.
    #[oai(status = 500)]
    Internal(Json<ControlErrorBody>),
}

fn add_fault_bad_request(err: poem::Error) -> AddFaultResponse {
    AddFaultResponse::BadRequest(error(err.to_string()))
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "remove_fault_bad_request")]
enum RemoveFaultResponse {
    /// The rule is gone.
    #[oai(status = 204)]
    NoContent,
    /// A parameter is not usable.
    #[oai(status = 400)]
    BadRequest(Json<ControlErrorBody>),
    /// No rule has this id.
    #[oai(status = 404)]
    NotFound(Json<ControlErrorBody>),
    /// The store failed.
    #[oai(status = 500)]
    Internal(Json<ControlErrorBody>),
}

fn remove_fault_bad_request(err: poem::Error) -> RemoveFaultResponse {
    RemoveFaultResponse::BadRequest(error(err.to_string()))
}

#[derive(ApiResponse)]
enum LifecyclesResponse {
    /// The lifecycles new resources get.
    #[oai(status = 200)]
    Ok(Json<Lifecycles>),
    /// The store failed.
    #[oai(status = 500)]
    Internal(Json<ControlErrorBody>),
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "set_lifecycles_bad_request")]
enum SetLifecyclesResponse {
    /// The lifecycles now in force.
    #[oai(status = 200)]
    Ok(Json<Lifecycles>),
    /// A lifecycle is not one standin knows.
    #[oai(status = 400)]
    BadRequest(Json<ControlErrorBody>),
    /// The store failed.
    #[oai(status = 500)]
    Internal(Json<ControlErrorBody>),
}

fn set_lifecycles_bad_request(err: poem::Error) -> SetLifecyclesResponse {
    SetLifecyclesResponse::BadRequest(error(err.to_string()))
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "advance_order_bad_request")]
enum AdvanceOrderResponse {
    /// The order after the move.
    #[oai(status = 200)]
    Ok(Json<AdvancedOrder>),
    /// The move is not usable.
    #[oai(status = 400)]
    BadRequest(Json<ControlErrorBody>),
    /// No live order has this id.
    #[oai(status = 404)]
    NotFound(Json<ControlErrorBody>),
    /// The order is not PENDING, or cannot go ACTIVE.
    #[oai(status = 409)]
    Conflict(Json<ControlErrorBody>),
    /// The store failed.
    #[oai(status = 500)]
    Internal(Json<ControlErrorBody>),
}

fn advance_order_bad_request(err: poem::Error) -> AdvanceOrderResponse {
    AdvanceOrderResponse::BadRequest(error(err.to_string()))
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "advance_deployment_bad_request")]
enum AdvanceDeploymentResponse {
    /// The deployment after the move.
    #[oai(status = 200)]
    Ok(Json<AdvancedDeployment>),
    /// The move is not usable.
    #[oai(status = 400)]
    BadRequest(Json<ControlErrorBody>),
    /// No deployment has this id.
    #[oai(status = 404)]
    NotFound(Json<ControlErrorBody>),
    /// The deployment is not in progress, or its step cannot end in the status asked for.
    #[oai(status = 409)]
    Conflict(Json<ControlErrorBody>),
    /// The store failed.
    #[oai(status = 500)]
    Internal(Json<ControlErrorBody>),
}

fn advance_deployment_bad_request(err: poem::Error) -> AdvanceDeploymentResponse {
    AdvanceDeploymentResponse::BadRequest(error(err.to_string()))
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "load_fixtures_bad_request")]
enum LoadFixturesResponse {
    /// The fixtures are loaded.
    #[oai(status = 200)]
    Ok(Json<FixturesReport>),
    /// Neither or both of `set` and `document`, or a document standin cannot load; nothing changed.
    #[oai(status = 400)]
    BadRequest(Json<ControlErrorBody>),
    /// The store failed.
    #[oai(status = 500)]
    Internal(Json<ControlErrorBody>),
}

fn load_fixtures_bad_request(err: poem::Error) -> LoadFixturesResponse {
    LoadFixturesResponse::BadRequest(error(err.to_string()))
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "secret_material_bad_request")]
enum SecretMaterialResponse {
    /// The secret's key material.
    #[oai(status = 200)]
    Ok(Json<SecretMaterial>),
    /// A parameter is not usable.
    #[oai(status = 400)]
    BadRequest(Json<ControlErrorBody>),
    /// No secret has this id.
    #[oai(status = 404)]
    NotFound(Json<ControlErrorBody>),
    /// The store failed.
    #[oai(status = 500)]
    Internal(Json<ControlErrorBody>),
}

fn secret_material_bad_request(err: poem::Error) -> SecretMaterialResponse {
    SecretMaterialResponse::BadRequest(error(err.to_string()))
}

/// The control API of one listener (every listener's acts on the same state).
pub struct ControlApi {
    pub control: Arc<ControlPlane>,
    pub api: ApiKind,
    pub landing: Arc<String>,
    pub docs: Arc<String>,
}

fn storage_error(err: anyhow::Error) -> Json<ControlErrorBody> {
    tracing::error!(error = %err, "control plane storage failure");
    error(format!("storage failure: {err}"))
}

#[OpenApi]
impl ControlApi {
    /// Is this listener up? Scripts and tests wait on this instead of sleeping.
    #[oai(path = "/health", method = "get", operation_id = "getHealth", tag = "ControlTags::Meta")]
    async fn health(&self) -> HealthResponse {
        HealthResponse::Ok(Json(Health {
            status: "ok".into(),
            api: self.api.into(),
            version: env!("CARGO_PKG_VERSION").into(),
            instance: self.control.instance.clone(),
            database: match self.control.db.backend {
                crate::storage::Backend::Sqlite => DatabaseKind::Sqlite,
                crate::storage::Backend::Postgres => DatabaseKind::Postgres,
            },
            lifecycle_steps: LifecycleSteps {
                orders: self.control.barbican.orders.steps_run(),
                deployments: self.control.orchestrator.service.steps_run(),
            },
        }))
    }

    /// The landing page: every API, where it listens, the credentials that work, a curl command.
    #[oai(path = "/", method = "get", operation_id = "getLandingPage", tag = "ControlTags::Meta")]
    async fn landing(&self) -> PageResponse {
        PageResponse::Ok(Html(self.landing.as_str().to_owned()))
    }

    /// This API's reference.
    #[oai(path = "/docs", method = "get", operation_id = "getControlDocs", tag = "ControlTags::Meta")]
    async fn docs(&self) -> PageResponse {
        PageResponse::Ok(Html(self.docs.as_str().to_owned()))
    }

    /// This API's contract.
    #[oai(path = "/openapi.yaml", method = "get", operation_id = "getControlContract", tag = "ControlTags::Meta")]
    async fn contract(&self) -> ContractYamlResponse {
        ContractYamlResponse::Ok(PlainText(CONTRACT_YAML))
    }

    /// Remove stored state: every API's, one API's, one Barbican project's, or one orchestrator
    /// organisation's or user's. Faults, the journal and lifecycles are not state (see their own
    /// operations).
    #[oai(path = "/reset", method = "post", operation_id = "resetState", tag = "ControlTags::State")]
    async fn reset(&self, body: Json<ResetRequest>) -> ResetResponse {
        use crate::orchestrator::auth::OidcId;
        use crate::orchestrator::store::RemovalScope;
        let ResetRequest { api, project, organisation, owner } = body.0;
        if project.is_some() && api != Some(ApiName::Barbican) {
            return ResetResponse::BadRequest(error("`project` scopes a reset of `api: barbican` only"));
        }
        if (organisation.is_some() || owner.is_some()) && api != Some(ApiName::Orchestrator) {
            return ResetResponse::BadRequest(error(
                "`organisation` and `owner` scope a reset of `api: orchestrator` only",
            ));
        }
        let scope = match (organisation, owner) {
            (Some(_), Some(_)) => {
                return ResetResponse::BadRequest(error("`organisation` or `owner`, not both"));
            }
            (Some(org), None) => RemovalScope::Organisation(org),
            (None, Some(owner)) => {
                let (subject, issuer) = owner.split_once('@').unwrap_or((owner.as_str(), ""));
                RemovalScope::Owner(OidcId { subject: subject.into(), issuer: issuer.into() })
            }
            (None, None) => RemovalScope::All,
        };
        let mut report = ResetReport {
            barbican_orders: 0,
            orchestrator_deployments: 0,
            orchestrator_schedules: 0,
            marketplace_services: 0,
        };
        let wants = |one: ApiName| api.is_none() || api == Some(one);
        if wants(ApiName::Barbican) {
            match self.control.barbican.orders.store().remove_all(project.as_deref()).await {
                Ok(n) => report.barbican_orders = n,
                Err(e) => return ResetResponse::Internal(storage_error(e)),
            }
        }
        if wants(ApiName::Orchestrator) {
            match self.control.orchestrator.service.store().remove_all(&scope).await {
                Ok((d, s)) => (report.orchestrator_deployments, report.orchestrator_schedules) = (d, s),
                Err(e) => return ResetResponse::Internal(storage_error(e)),
            }
        }
        if wants(ApiName::Marketplace) {
            match self.control.marketplace.service.store().remove_all().await {
                Ok(n) => report.marketplace_services = n,
                Err(e) => return ResetResponse::Internal(storage_error(e)),
            }
            if let Err(e) = self.control.marketplace.limiter.clear().await {
                return ResetResponse::Internal(storage_error(e));
            }
        }
        ResetResponse::Ok(Json(report))
    }

    /// Load fixtures: the documented data of every API (`set: docs`, added to what is there), or a
    /// document in the snapshot format of `GET /_standin/state` (`document`, which replaces the
    /// whole state). The format is described in `docs/fixtures.md`.
    #[oai(path = "/fixtures", method = "post", operation_id = "loadFixtures", tag = "ControlTags::State")]
    async fn load_fixtures(&self, body: Json<FixturesRequest>) -> LoadFixturesResponse {
        match (body.0.set, body.0.document) {
            (Some(FixtureSet::Docs), None) => match super::load_docs(&self.control).await {
                Ok(loaded) => LoadFixturesResponse::Ok(Json(FixturesReport { loaded })),
                Err(e) => LoadFixturesResponse::Internal(storage_error(e)),
            },
            (None, Some(snapshot)) => {
                let value = serde_json::json!({"format": snapshot.format, "tables": snapshot.tables});
                match self.control.load_snapshot(&value).await {
                    Ok(loaded) => LoadFixturesResponse::Ok(Json(FixturesReport { loaded })),
                    Err(e) => LoadFixturesResponse::BadRequest(error(format!("{e:#}"))),
                }
            }
            _ => LoadFixturesResponse::BadRequest(error("exactly one of `set` and `document`")),
        }
    }

    /// The whole stored state of every API, as one document (a fixture file, once saved).
    #[oai(path = "/state", method = "get", operation_id = "exportState", tag = "ControlTags::State")]
    async fn export_state(&self) -> ExportStateResponse {
        let snapshot = super::snapshot::export(&self.control.db).await.and_then(|mut value| {
            Ok(StateSnapshot {
                format: super::snapshot::FORMAT.to_string(),
                tables: serde_json::from_value(value["tables"].take())?,
            })
        });
        match snapshot {
            Ok(snapshot) => ExportStateResponse::Ok(Json(snapshot)),
            Err(e) => ExportStateResponse::Internal(storage_error(e)),
        }
    }

    /// Replace the whole stored state with a snapshot's, in one transaction: all of it or none.
    #[oai(path = "/state", method = "put", operation_id = "importState", tag = "ControlTags::State")]
    async fn import_state(&self, snapshot: Json<StateSnapshot>) -> ImportStateResponse {
        let value = serde_json::json!({"format": snapshot.0.format, "tables": snapshot.0.tables});
        match self.control.load_snapshot(&value).await {
            Ok(rows) => ImportStateResponse::Ok(Json(LoadReport { rows })),
            Err(e) => ImportStateResponse::BadRequest(error(format!("{e:#}"))),
        }
    }

    /// The newest requests every listener answered (never headers or bodies).
    #[oai(path = "/journal", method = "get", operation_id = "getJournal", tag = "ControlTags::Introspection")]
    async fn journal(
        &self,
        /// At most this many entries (the newest).
        #[oai(validator(minimum(value = "1"), maximum(value = "100000")))]
        limit: Query<Option<u32>>,
        /// Only this API's requests.
        api: Query<Option<ApiName>>,
    ) -> JournalResponse {
        let operation_id =
            |api, method: &str, path: &str| self.control.operation_id(api, method, path).map(str::to_string);
        JournalResponse::Ok(Json(self.control.journal.page(
            limit.0.map(|l| l as usize),
            api.0.map(ApiKind::from),
            operation_id,
        )))
    }

    /// Empty the journal.
    #[oai(path = "/journal", method = "delete", operation_id = "clearJournal", tag = "ControlTags::Introspection")]
    async fn clear_journal(&self) -> NoContentResponse {
        self.control.journal.clear();
        NoContentResponse::NoContent
    }

    /// The fault rules in force.
    #[oai(path = "/faults", method = "get", operation_id = "listFaults", tag = "ControlTags::Faults")]
    async fn list_faults(&self) -> FaultListResponse {
        if let Err(e) = self.control.sync_shared().await {
            return FaultListResponse::Internal(storage_error(e));
        }
        FaultListResponse::Ok(Json(self.control.faults.list()))
    }

    /// Add a fault rule: a forced status (in the API's own error body), a delay, or a dropped
    /// connection, for one operation or a whole API, forever or a number of times.
    #[oai(path = "/faults", method = "post", operation_id = "addFault", tag = "ControlTags::Faults")]
    async fn add_fault(&self, rule: Json<NewFaultRule>) -> AddFaultResponse {
        match super::faults::FaultRules::check(rule.0, |api, op| self.control.has_operation(api, op)) {
            Ok(rule) => match self.control.change_settings(|s| s.faults.push(rule.clone())).await {
                Ok(()) => AddFaultResponse::Created(Json(rule)),
                Err(e) => AddFaultResponse::Internal(storage_error(e)),
            },
            Err(e @ (RuleError::DoesNothing | RuleError::BadDelayRange | RuleError::UnknownOperation { .. })) => {
                AddFaultResponse::BadRequest(error(e.to_string()))
            }
        }
    }

    /// Remove every fault rule.
    #[oai(path = "/faults", method = "delete", operation_id = "clearFaults", tag = "ControlTags::Faults")]
    async fn clear_faults(&self) -> ClearFaultsResponse {
        match self.control.change_settings(|s| s.faults.clear()).await {
            Ok(()) => ClearFaultsResponse::NoContent,
            Err(e) => ClearFaultsResponse::Internal(storage_error(e)),
        }
    }

    /// Remove one fault rule.
    #[oai(path = "/faults/:fault_id", method = "delete", operation_id = "removeFault", tag = "ControlTags::Faults")]
    async fn remove_fault(&self, fault_id: Path<String>) -> RemoveFaultResponse {
        let removed = self.control.change_settings(|s| {
            let before = s.faults.len();
            s.faults.retain(|r| r.id != fault_id.0);
            s.faults.len() != before
        });
        match removed.await {
            Ok(true) => RemoveFaultResponse::NoContent,
            Ok(false) => RemoveFaultResponse::NotFound(error(format!("no fault rule {}", fault_id.0))),
            Err(e) => RemoveFaultResponse::Internal(storage_error(e)),
        }
    }

    /// The lifecycles new resources get.
    #[oai(path = "/lifecycles", method = "get", operation_id = "getLifecycles", tag = "ControlTags::Lifecycles")]
    async fn lifecycles(&self) -> LifecyclesResponse {
        if let Err(e) = self.control.sync_shared().await {
            return LifecyclesResponse::Internal(storage_error(e));
        }
        LifecyclesResponse::Ok(Json(self.current_lifecycles()))
    }

    /// Change the lifecycles of resources created from now on (PENDING ones keep theirs).
    #[oai(path = "/lifecycles", method = "put", operation_id = "setLifecycles", tag = "ControlTags::Lifecycles")]
    async fn set_lifecycles(&self, change: Json<LifecyclesChange>) -> SetLifecyclesResponse {
        // Both are checked before either changes.
        let barbican = match change.0.barbican_orders.as_deref().map(str::parse::<Lifecycle>).transpose() {
            Ok(lifecycle) => lifecycle,
            Err(e) => return SetLifecyclesResponse::BadRequest(error(format!("barbican_orders: {e}"))),
        };
        let orchestrator = change.0.orchestrator_deployments.as_deref();
        let orchestrator = match orchestrator.map(str::parse::<crate::orchestrator::lifecycle::Lifecycle>).transpose() {
            Ok(lifecycle) => lifecycle,
            Err(e) => return SetLifecyclesResponse::BadRequest(error(format!("orchestrator_deployments: {e}"))),
        };
        let changed = self.control.change_settings(|s| {
            if let Some(lifecycle) = barbican {
                s.barbican_orders = lifecycle.to_string();
            }
            if let Some(lifecycle) = orchestrator {
                s.orchestrator_deployments = lifecycle.to_string();
            }
        });
        match changed.await {
            Ok(()) => SetLifecyclesResponse::Ok(Json(self.current_lifecycles())),
            Err(e) => SetLifecyclesResponse::Internal(storage_error(e)),
        }
    }

    /// Move a PENDING Barbican order (of any project) to its next state, or to a chosen one.
    #[oai(
        path = "/barbican/orders/:order_id/advance",
        method = "post",
        operation_id = "advanceOrder",
        tag = "ControlTags::Lifecycles"
    )]
    async fn advance_order(&self, order_id: Path<String>, body: Json<OrderAdvance>) -> AdvanceOrderResponse {
        let OrderAdvance { to, error_status_code, error_reason } = body.0;
        if to != OrderMove::Error && (error_status_code.is_some() || error_reason.is_some()) {
            return AdvanceOrderResponse::BadRequest(error("error_status_code and error_reason go with `to: ERROR`"));
        }
        let target = match to {
            OrderMove::Next => OrderTarget::Next,
            OrderMove::Active => OrderTarget::Active,
            OrderMove::Error => OrderTarget::Error {
                status_code: error_status_code.unwrap_or_else(|| "500".into()),
                reason: error_reason.unwrap_or_else(|| crate::barbican::processing::GENERIC_FAILURE.into()),
            },
        };
        let barbican = &self.control.barbican;
        match barbican.orders.advance(&order_id.0, target).await {
            Ok(order) => {
                let hrefs = Hrefs { base: barbican.settings.public_url.clone() };
                AdvanceOrderResponse::Ok(Json(AdvancedOrder {
                    order_id: order.id.to_string(),
                    project_id: order.project_id.clone(),
                    status: order.status.as_str().to_string(),
                    order_ref: hrefs.order(&order.id).0,
                    error_status_code: order.error_status_code.clone(),
                    error_reason: order.error_reason.clone(),
                    secret_ref: order.secret_id.as_ref().map(|id| hrefs.secret(id).0),
                    container_ref: order.container_id.as_ref().map(|id| hrefs.container(id).0),
                }))
            }
            Err(e @ AdvanceError::NotFound(_)) => AdvanceOrderResponse::NotFound(error(e.to_string())),
            Err(e @ (AdvanceError::NotPending { .. } | AdvanceError::WouldFail { .. })) => {
                AdvanceOrderResponse::Conflict(error(e.to_string()))
            }
            Err(AdvanceError::Storage(e)) => AdvanceOrderResponse::Internal(storage_error(e)),
        }
    }

    /// End the step of an orchestrator deployment in progress (of any owner) now, with the outcome
    /// it was going to have or a chosen one; its callback is notified as the step's natural end
    /// would.
    #[oai(
        path = "/orchestrator/deployments/:deployment_id/advance",
        method = "post",
        operation_id = "advanceDeployment",
        tag = "ControlTags::Lifecycles"
    )]
    async fn advance_deployment(
        &self,
        deployment_id: Path<String>,
        body: Json<DeploymentAdvance>,
    ) -> AdvanceDeploymentResponse {
        use crate::orchestrator::lifecycle::Target;
        use crate::orchestrator::model::DeploymentStatus as S;
        use crate::orchestrator::service::AdvanceError as E;
        let DeploymentAdvance { to, status_reason } = body.0;
        let failing =
            matches!(to, DeploymentMove::CreateFailed | DeploymentMove::UpdateFailed | DeploymentMove::DeleteFailed);
        if status_reason.is_some() && !failing {
            return AdvanceDeploymentResponse::BadRequest(error("status_reason goes with a `*_FAILED` target"));
        }
        let status = match to {
            DeploymentMove::Next => None,
            DeploymentMove::CreateComplete => Some(S::CreateComplete),
            DeploymentMove::CreateFailed => Some(S::CreateFailed),
            DeploymentMove::UpdateComplete => Some(S::UpdateComplete),
            DeploymentMove::UpdateFailed => Some(S::UpdateFailed),
            DeploymentMove::DeleteComplete => Some(S::DeleteComplete),
            DeploymentMove::DeleteFailed => Some(S::DeleteFailed),
        };
        let target = status.map_or(Target::Next, |s| Target::Status(s, status_reason));
        let id = deployment_id.0;
        match self.control.orchestrator.service.advance_deployment(&id, target).await {
            Ok(Some(d)) => AdvanceDeploymentResponse::Ok(Json(AdvancedDeployment {
                deployment_id: d.id,
                status: d.status.as_str().into(),
                status_reason: d.status_reason,
            })),
            Ok(None) => AdvanceDeploymentResponse::Ok(Json(AdvancedDeployment {
                deployment_id: id,
                status: S::DeleteComplete.as_str().into(),
                status_reason: None,
            })),
            Err(e @ E::NotFound(_)) => AdvanceDeploymentResponse::NotFound(error(e.to_string())),
            Err(e @ E::Refused(_)) => AdvanceDeploymentResponse::Conflict(error(e.to_string())),
            Err(E::Storage(e)) => AdvanceDeploymentResponse::Internal(storage_error(e)),
        }
    }

    /// The key material standin generated for a Barbican secret (of any project).
    #[oai(
        path = "/barbican/secrets/:secret_id/material",
        method = "get",
        operation_id = "getSecretMaterial",
        tag = "ControlTags::Introspection"
    )]
    async fn secret_material(&self, secret_id: Path<String>) -> SecretMaterialResponse {
        use base64::Engine;
        let not_found = || SecretMaterialResponse::NotFound(error(format!("no secret {}", secret_id.0)));
        let Ok(id) = uuid::Uuid::parse_str(&secret_id.0) else { return not_found() };
        match self.control.barbican.orders.store().secret(&id).await {
            Ok(Some(secret)) => SecretMaterialResponse::Ok(Json(SecretMaterial {
                secret_id: secret.id.to_string(),
                project_id: secret.project_id,
                secret_type: secret.secret_type,
                content_type: secret.content_type,
                payload_base64: base64::engine::general_purpose::STANDARD.encode(&secret.payload),
                bytes: secret.payload.len() as u64,
            })),
            Ok(None) => not_found(),
            Err(e) => SecretMaterialResponse::Internal(storage_error(e)),
        }
    }
}

impl ControlApi {
    fn current_lifecycles(&self) -> Lifecycles {
        Lifecycles {
            barbican_orders: self.control.barbican.orders.lifecycle().to_string(),
            orchestrator_deployments: self.control.orchestrator.service.lifecycle().to_string(),
        }
    }
}

/// The control API as a poem-openapi service.
pub fn openapi_service(api: ControlApi) -> OpenApiService<ControlApi, ()> {
    OpenApiService::new(api, "standin control plane", env!("CARGO_PKG_VERSION"))
}
