//! standin's control plane: what no real service has, and what makes a stand-in better than a
//! mock. Under `/_standin/` on every listener (a prefix none of the three APIs uses), described by
//! its own contract, `openapi/control.yaml`:
//!
//! - state: reset everything, or one API's, one Barbican project's, one orchestrator organisation's
//!   or user's; load the documented fixtures or a fixture file; export and import the whole state;
//! - lifecycles: how new Barbican orders and orchestrator deployment steps move, and moving one
//!   PENDING order or deployment in progress to its next state or to a chosen one (an order to
//!   ERROR with a given reason, a deployment to CREATE_FAILED);
//! - faults and latency per operation ([`faults`]), and per request through headers when enabled;
//! - introspection: a bounded journal of the last requests ([`journal`]) and the key material
//!   standin generated;
//! - health, the landing page and the control API's own docs.
//!
//! The control API acts on the shared state whichever listener it is called on. It is kept apart
//! from the APIs' own contracts: clients of the real services never see it.

pub mod api;
pub mod client;
pub mod faults;
pub mod journal;
pub mod shared;
pub mod snapshot;

use std::sync::Arc;
use std::time::Instant;

use poem::{Endpoint, IntoResponse, Request, Response};

use crate::allowed_methods::AllowedMethods;
use crate::barbican::BarbicanState;
use crate::config::ApiKind;
use crate::marketplace::MarketplaceState;
use crate::orchestrator::OrchestratorState;
use faults::{Fault, FaultRules, dropped_connection, fault_from_headers, forced_response};
use journal::{Answered, Journal};

/// The prefix of every control-plane path.
pub const CONTROL_PREFIX: &str = "/_standin";
/// The readiness check every listener answers.
pub const HEALTH_PATH: &str = "/_standin/health";

/// How the control plane behaves; see `standin serve --help`.
#[derive(Debug, Clone)]
pub struct ControlSettings {
    /// How many requests the journal keeps.
    pub journal_size: usize,
    /// Whether `X-Standin-Delay` and `X-Standin-Status` act on requests.
    pub fault_headers: bool,
}

impl Default for ControlSettings {
    fn default() -> Self {
        ControlSettings { journal_size: 1000, fault_headers: false }
    }
}

/// The shared state of the control plane.
pub struct ControlPlane {
    pub settings: ControlSettings,
    pub journal: Journal,
    pub faults: FaultRules,
    /// Each API's contract operations, to name the operation a request is for.
    operations: [AllowedMethods; 3],
    pub barbican: BarbicanState,
    pub marketplace: MarketplaceState,
    pub orchestrator: OrchestratorState,
    /// The database every API's store uses, for snapshots.
    pub db: crate::storage::Database,
    /// The fault rules and lifecycles shared with other instances (PostgreSQL only).
    pub shared: Option<shared::SharedSettings>,
    /// This process among the instances sharing a database: a random id made at start (from the
    /// system's generator even under `--seed`, so that two seeded instances still differ).
    pub instance: String,
}

/// The three APIs' states, as the control plane acts on them.
pub struct ApiStates {
    pub barbican: BarbicanState,
    pub marketplace: MarketplaceState,
    pub orchestrator: OrchestratorState,
}

fn index(api: ApiKind) -> usize {
    match api {
        ApiKind::Barbican => 0,
        ApiKind::Marketplace => 1,
        ApiKind::Orchestrator => 2,
    }
}

impl ControlPlane {
    pub fn new(
        settings: ControlSettings,
        db: crate::storage::Database,
        states: ApiStates,
    ) -> anyhow::Result<Arc<Self>> {
        let ApiStates { barbican, marketplace, orchestrator } = states;
        let table = |api| -> anyhow::Result<AllowedMethods> {
            let contract: serde_json::Value = serde_norway::from_str(crate::docs_site::contract_yaml(api))?;
            Ok(AllowedMethods::from_spec(&contract))
        };
        let operations = [table(ApiKind::Barbican)?, table(ApiKind::Marketplace)?, table(ApiKind::Orchestrator)?];
        Ok(Arc::new(ControlPlane {
            journal: Journal::new(settings.journal_size),
            faults: FaultRules::default(),
            settings,
            operations,
            barbican,
            marketplace,
            orchestrator,
            shared: db.is_shared().then(|| shared::SharedSettings::new(db.pool.clone())),
            db,
            instance: uuid::Uuid::new_v4().to_string(),
        }))
    }

    /// The contract operation a request to `api` is for (a trailing slash is ignored, as the
    /// APIs ignore it).
    pub fn operation_id(&self, api: ApiKind, method: &str, path: &str) -> Option<&str> {
        let path = if path.len() > 1 { path.strip_suffix('/').unwrap_or(path) } else { path };
        self.operations[index(api)].operation_id(method, path)
    }

    /// Replace the whole state with a snapshot's ([`snapshot::import`]), then tell the stores that
    /// the tables changed under them, so nothing they cached is served again.
    pub async fn load_snapshot(&self, snapshot: &serde_json::Value) -> anyhow::Result<snapshot::Loaded> {
        let loaded = snapshot::import(&self.db, snapshot).await;
        self.barbican.orders.store().invalidate();
        loaded
    }

    /// This instance's settings, in the shared form.
    fn local_settings(&self) -> shared::Settings {
        shared::Settings {
            faults: self.faults.list(),
            barbican_orders: self.barbican.orders.lifecycle().to_string(),
            orchestrator_deployments: self.orchestrator.service.lifecycle().to_string(),
        }
    }

    fn apply(&self, settings: shared::Settings) {
        self.faults.replace(settings.faults);
        match settings.barbican_orders.parse() {
            Ok(lifecycle) => self.barbican.orders.set_lifecycle(lifecycle),
            Err(e) => tracing::error!(error = %e, "the shared Barbican lifecycle cannot be read"),
        }
        match settings.orchestrator_deployments.parse() {
            Ok(lifecycle) => self.orchestrator.service.set_lifecycle(lifecycle),
            Err(e) => tracing::error!(error = %e, "the shared orchestrator lifecycle cannot be read"),
        }
    }

    /// Catch up with the shared settings, when other instances share them and they changed.
    pub async fn sync_shared(&self) -> anyhow::Result<()> {
        if let Some(shared) = &self.shared
            && let Some(settings) = shared.changed().await?
        {
            self.apply(settings);
        }
        Ok(())
    }

    /// Change the fault rules or lifecycles: in the shared row when there is one (then this
    /// instance applies what it holds), else here only.
    pub async fn change_settings<R>(&self, change: impl FnOnce(&mut shared::Settings) -> R) -> anyhow::Result<R> {
        let mut local = self.local_settings();
        match &self.shared {
            Some(shared) => {
                let (answer, settings) = shared.change(local, change).await?;
                self.apply(settings);
                Ok(answer)
            }
            None => {
                let answer = change(&mut local);
                self.apply(local);
                Ok(answer)
            }
        }
    }

    /// The fault for a request: with shared settings, a rule limited to a number of requests is
    /// used up in the shared row, so the limit holds across instances.
    async fn fault_for(&self, api: ApiKind, method: &str, path: &str) -> Fault {
        if self.shared.is_some()
            && let Err(e) = self.sync_shared().await
        {
            tracing::error!(error = %e, "cannot read the shared control settings; using this instance's");
        }
        // The operation is looked up only when a rule could apply (most requests meet no rule).
        if !self.faults.any_for(api) {
            return Fault::default();
        }
        let operation_id = self.operation_id(api, method, path);
        if self.shared.is_some() && self.faults.limited_rule_applies(api, operation_id) {
            match self.change_settings(|s| faults::take_fault(&mut s.faults, api, operation_id)).await {
                Ok(fault) => return fault,
                Err(e) => tracing::error!(error = %e, "cannot use up a shared fault rule; using this instance's"),
            }
        }
        self.faults.fault_for(api, operation_id)
    }

    /// Whether `api`'s contract has an operation with this id.
    pub fn has_operation(&self, api: ApiKind, operation_id: &str) -> bool {
        self.operations[index(api)].has_operation(operation_id)
    }
}

/// Load every API's documented data (`--fixtures docs`, `POST /_standin/fixtures {"set": "docs"}`);
/// what is already there is left alone. The documented tokens are not added: tokens are
/// configuration, read at start (see `docs/fixtures.md`).
pub async fn load_docs(control: &ControlPlane) -> anyhow::Result<std::collections::BTreeMap<String, u64>> {
    let barbican = crate::barbican::fixtures::load_docs(control.barbican.orders.store()).await?;
    let marketplace = crate::marketplace::fixtures::load_docs(control.marketplace.service.store()).await?;
    let orchestrator = crate::orchestrator::fixtures::load_docs(control.orchestrator.service.store()).await?;
    Ok([
        ("barbican_orders".to_string(), barbican as u64),
        ("marketplace_services".to_string(), marketplace as u64),
        ("orchestrator_deployments".to_string(), orchestrator as u64),
    ]
    .into())
}

/// Around every listener: apply the faults in force, then record the answer in the journal.
pub async fn around_listener<E: Endpoint>(
    ep: &E,
    control: &ControlPlane,
    api: ApiKind,
    req: Request,
) -> poem::Result<Response> {
    let started = Instant::now();
    let method = req.method().clone();
    // A clone of the URI shares its bytes (no copy of the path on every request).
    let uri = req.uri().clone();
    let path = uri.path();
    let is_control = path == CONTROL_PREFIX || path.starts_with("/_standin/");
    let mut fault = if is_control { Fault::default() } else { control.fault_for(api, method.as_str(), path).await };
    if !is_control && control.settings.fault_headers {
        let asked = fault_from_headers(req.headers());
        fault.delay = fault.delay.or(asked.delay);
        fault.status = fault.status.or(asked.status);
    }
    if let Some(delay) = fault.delay {
        tokio::time::sleep(delay).await;
    }
    let (resp, status) = if fault.drop_connection {
        // 0 in the journal: no status was ever sent.
        (dropped_connection(), 0)
    } else if let Some(status) = fault.status {
        (forced_response(api, status), status.as_u16())
    } else {
        let resp = match ep.call(req).await {
            Ok(resp) => resp.into_response(),
            // A path under the control prefix whose parameters poem's router cannot decode (`%FF`, not
            // UTF-8) fails in the nesting route, before the control endpoint's own error handling:
            // it is answered in the control error body too, as its contract says.
            Err(err) if is_control => {
                let body = serde_json::json!({ "message": err.to_string() }).to_string();
                Response::builder().status(err.status()).content_type("application/json").body(body)
            }
            Err(err) => err.into_response(),
        };
        let status = resp.status().as_u16();
        (resp, status)
    };
    control.journal.record(Answered {
        api,
        method: &method,
        path,
        status,
        micros: started.elapsed().as_micros() as u64,
    });
    Ok(resp)
}

/// The control plane as one listener serves it (nest it at [`CONTROL_PREFIX`]): the control API,
/// with unknown paths and methods answered in its error body.
pub fn endpoint(
    control: Arc<ControlPlane>,
    api: ApiKind,
    guides: &[crate::docs_site::ApiGuide],
) -> anyhow::Result<impl Endpoint + use<>> {
    use crate::docs_site::{TryItTarget, control_reference_page, landing_page};
    use poem::EndpointExt;
    use poem::http::{HeaderValue, StatusCode};

    let service = api::openapi_service(api::ControlApi {
        control,
        api,
        landing: Arc::new(landing_page(guides, TryItTarget::ThisListener)),
        docs: Arc::new(control_reference_page(TryItTarget::ThisListener)?),
    });
    let spec: serde_json::Value = serde_json::from_str(&service.spec())?;
    let allowed = Arc::new(AllowedMethods::from_spec(&spec));
    Ok(service.around(move |ep, req| {
        let allowed = allowed.clone();
        async move {
            let path = req.uri().path().to_string();
            match ep.call(req).await {
                Ok(resp) => Ok(resp.into_response()),
                Err(err) => {
                    let status = err.status();
                    let message = match status {
                        StatusCode::NOT_FOUND => format!("no control operation at {CONTROL_PREFIX}{path}"),
                        StatusCode::METHOD_NOT_ALLOWED => "method not allowed".to_string(),
                        _ => err.to_string(),
                    };
                    let body = serde_json::json!({ "message": message }).to_string();
                    let mut resp = Response::builder().status(status).content_type("application/json").body(body);
                    if status == StatusCode::METHOD_NOT_ALLOWED
                        && let Some(Ok(allow)) = allowed.allow_header(&path).as_deref().map(HeaderValue::from_str)
                    {
                        resp.headers_mut().insert(poem::http::header::ALLOW, allow);
                    }
                    Ok(resp)
                }
            }
        }
    }))
}
