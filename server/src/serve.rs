//! Binding the listeners and running them. [`Standin::start`] binds every listener first (so a
//! port clash fails fast and port 0 resolves to a real port), then serves each API on its own task.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{Endpoint, EndpointExt, IntoResponse, Request, Response, Route, Server};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::barbican::auth::Tokens;
use crate::barbican::{self, BarbicanState};
use crate::config::{ApiKind, Config, Fixtures};
use crate::control::{ApiStates, CONTROL_PREFIX, ControlPlane, HEALTH_PATH};
use crate::docs_site::{ApiGuide, DOCS_PATH, LANDING_PATH};
use crate::listener_limits::{LimitedAcceptor, ListenerLimits, limit_body, literal_if_undecodable};
use crate::marketplace::{self, MarketplaceState};
use crate::orchestrator::{self, OrchestratorState};
use crate::storage;

/// One log line per request: method, path, status and latency (never headers or bodies, which
/// carry tokens and key material).
async fn log_request<E: Endpoint>(ep: E, req: Request, api: ApiKind) -> poem::Result<Response> {
    if !tracing::enabled!(tracing::Level::INFO) {
        // `--log warn` and quieter: no line, so nothing to copy out of the request.
        return ep.call(req).await.map(IntoResponse::into_response);
    }
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let path = req.uri().path().to_string();
    let result = ep.call(req).await.map(IntoResponse::into_response);
    let status = match &result {
        Ok(resp) => resp.status().as_u16(),
        Err(err) => err.status().as_u16(),
    };
    tracing::info!(api = api.name(), %method, path, status, micros = started.elapsed().as_micros() as u64, "request");
    result
}

/// The routes of one listener: its API (where implemented), its contract, its docs, the landing
/// page and the health check.
fn listener_routes(
    api: ApiKind,
    guides: &[ApiGuide],
    control: &Arc<ControlPlane>,
    limits: ListenerLimits,
) -> anyhow::Result<poem::endpoint::BoxEndpoint<'static>> {
    let this = guides.iter().find(|g| g.api == api).context("every API has a guide")?;
    let route = Route::new().nest(CONTROL_PREFIX, crate::control::endpoint(control.clone(), api, guides)?);
    let route = crate::contract_routes::add(route, crate::docs_site::contract_yaml(api))?;
    let route = crate::docs_site::add_reference(route, this)?;
    let route = match api {
        ApiKind::Barbican => route.nest("/", barbican::endpoint(control.barbican.clone())),
        ApiKind::Orchestrator => route.nest("/", orchestrator::endpoint(control.orchestrator.clone())),
        ApiKind::Marketplace => route.nest("/", marketplace::endpoint(control.marketplace.clone())),
    };
    let control = control.clone();
    Ok(route
        .around(|ep, req| async move {
            // A path under the control prefix whose parameters poem's router cannot decode (`%FF`, not
            // UTF-8) fails in the nesting route, before the control endpoint's own error handling: answer
            // it in the control error body too, as its contract says.
            let under_control = req.uri().path().starts_with(CONTROL_PREFIX);
            match ep.call(req).await {
                Ok(resp) => Ok(resp.into_response()),
                Err(err) if under_control => {
                    let body = serde_json::json!({ "message": err.to_string() }).to_string();
                    Ok(Response::builder().status(err.status()).content_type("application/json").body(body))
                }
                Err(err) => Err(err),
            }
        })
        .around(move |ep, req| {
            let control = control.clone();
            async move { crate::control::around_listener(&ep, &control, api, req).await }
        })
        .around(move |ep, req| log_request(ep, req, api))
        .around(move |ep, mut req| async move {
            // The APIs take such a path as a literal (unknown) id, in their own not-found body; the control
            // plane's contract answers it with a 400 instead (above).
            if !req.uri().path().starts_with(CONTROL_PREFIX) {
                literal_if_undecodable(&mut req);
            }
            ep.call(limit_body(req, limits.max_body_bytes, limits.body_read_timeout)).await
        })
        .boxed())
}

/// The orchestrator's state: its tokens (the file's or the built-in ones, plus the document's with
/// `--fixtures docs`) and, with `--fixtures docs`, the document's data.
async fn orchestrator_state(config: &Config, pool: storage::Database) -> anyhow::Result<OrchestratorState> {
    let settings = &config.orchestrator;
    let mut tokens = match &settings.tokens_file {
        Some(path) => orchestrator::auth::Tokens::load(path)?,
        None => orchestrator::auth::Tokens::builtin(),
    };
    let mut settings = settings.clone();
    if config.fixtures == Fixtures::Docs {
        orchestrator::fixtures::add_fixture_tokens(&mut tokens);
        settings.documented_template_alias = true;
    }
    let state = OrchestratorState::new(settings, tokens, pool);
    if config.fixtures == Fixtures::Docs {
        let loaded = orchestrator::fixtures::load_docs(state.service.store()).await?;
        tracing::info!(loaded, "loaded the documented orchestrator deployments");
    }
    Ok(state)
}

/// A running standin: its bound addresses, and a handle to stop it.
pub struct Standin {
    addrs: Vec<(ApiKind, SocketAddr)>,
    shutdown: watch::Sender<bool>,
    tasks: Vec<JoinHandle<std::io::Result<()>>>,
}

impl Standin {
    /// Bind every listener, then start serving. Returns once all listeners accept connections.
    pub async fn start(config: Config) -> anyhow::Result<Self> {
        if let Some(seed) = config.seed {
            crate::determinism::install(seed)?;
        }
        let pool = storage::open(&config.storage).await?;
        let orchestrator_state = orchestrator_state(&config, pool.clone()).await?;
        let marketplace_tokens = MarketplaceState::load_tokens(&config.marketplace)?;
        let marketplace_state = MarketplaceState::new(config.marketplace.clone(), marketplace_tokens, pool.clone());
        if config.fixtures == Fixtures::Docs {
            let loaded = marketplace::fixtures::load_docs(marketplace_state.service.store()).await?;
            tracing::info!(loaded, "loaded the documented Marketplace entries");
        }

        let mut tokens = match &config.barbican_tokens {
            Some(path) => Tokens::load(path)?,
            None => Tokens::builtin(),
        };
        if config.fixtures == Fixtures::Docs {
            barbican::fixtures::add_fixture_tokens(&mut tokens);
        }
        let barbican_state = BarbicanState::new(config.barbican.clone(), tokens, pool.clone());
        if config.fixtures == Fixtures::Docs {
            let loaded = barbican::fixtures::load_docs(barbican_state.orders.store()).await?;
            tracing::info!(loaded, "loaded the documented Barbican orders");
        }

        let control = ControlPlane::new(
            config.control.clone(),
            pool.clone(),
            ApiStates { barbican: barbican_state, marketplace: marketplace_state, orchestrator: orchestrator_state },
        )?;

        let (shutdown, _) = watch::channel(false);
        let mut addrs = Vec::new();
        let mut acceptors = Vec::new();
        for api in ApiKind::ALL {
            let wanted = config.listen_addr(api);
            let acceptor = TcpListener::bind(wanted)
                .into_acceptor()
                .await
                .with_context(|| format!("cannot listen for the {} API on {wanted}", api.name()))?;
            let bound = acceptor
                .local_addr()
                .into_iter()
                .find_map(|a| a.as_socket_addr().copied())
                .context("listener has no socket address")?;
            addrs.push((api, bound));
            acceptors.push((api, acceptor));
        }
        // Every listener's landing page names all three, so the routes wait until all are bound.
        let guides: Vec<ApiGuide> =
            addrs.iter().map(|&(api, addr)| ApiGuide::new(api, &format!("http://{addr}"))).collect();
        let mut tasks = Vec::new();
        for (api, acceptor) in acceptors {
            let app = listener_routes(api, &guides, &control, config.limits)?;
            let mut stop = shutdown.subscribe();
            let server = Server::new_with_acceptor(LimitedAcceptor::new(acceptor, config.limits))
                .idle_timeout(config.limits.idle_timeout)
                .run_with_graceful_shutdown(
                    app,
                    async move {
                        let _ = stop.wait_for(|stopped| *stopped).await;
                    },
                    Some(Duration::from_secs(10)),
                );
            tasks.push(tokio::spawn(server));
        }
        Ok(Standin { addrs, shutdown, tasks })
    }

    /// The address a given API listens on.
    pub fn addr(&self, api: ApiKind) -> SocketAddr {
        self.addrs.iter().find(|(a, _)| *a == api).map(|(_, addr)| *addr).expect("every API has a listener")
    }

    /// The base URL of a given API, e.g. `http://127.0.0.1:9311`.
    pub fn base_url(&self, api: ApiKind) -> String {
        format!("http://{}", self.addr(api))
    }

    /// Stop accepting connections, let in-flight requests finish, and wait for every listener.
    pub async fn shutdown(self) -> anyhow::Result<()> {
        let _ = self.shutdown.send(true);
        for task in self.tasks {
            task.await.context("listener task panicked")??;
        }
        Ok(())
    }
}

/// Start standin, print where each API listens, and serve until SIGINT or SIGTERM.
pub async fn run_until_signal(config: Config) -> anyhow::Result<()> {
    let standin = Standin::start(config).await?;
    // The banner says what the landing page says: where each API is, how to call it.
    for api in ApiKind::ALL {
        let url = standin.base_url(api);
        let guide = ApiGuide::new(api, &url);
        println!("standin: {:<12} {url}  (docs: {url}{DOCS_PATH}, contract: {url}/openapi.yaml)", api.name());
        for credential in &guide.credentials {
            println!("standin:              {credential}");
        }
        println!("standin:              try  {}", guide.curl);
        tracing::info!(api = api.name(), %url, "listening");
    }
    let barbican = standin.base_url(ApiKind::Barbican);
    println!("standin: every API, its docs and credentials: {barbican}{LANDING_PATH}");
    println!("standin: health checks at {HEALTH_PATH}, the control plane at {barbican}{CONTROL_PREFIX}/docs");
    wait_for_signal().await;
    tracing::info!("shutting down");
    standin.shutdown().await
}

async fn wait_for_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("SIGTERM handler can be installed");
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    {
        let _ = ctrl_c.await;
    }
}
