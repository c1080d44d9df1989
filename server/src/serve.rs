//! Binding the listeners and running them. [`Standin::start`] binds every listener first (so a
//! port clash fails fast and port 0 resolves to a real port), then serves each API on its own task.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{Endpoint, EndpointExt, Request, Response, Route, Server};
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

/// What every request to a listener goes through, in one endpoint rather than a stack of
/// `around` layers (each of which clones an `Arc` and boxes a future per request): the body limit,
/// undecodable paths taken literally, the control plane's faults and journal
/// ([`crate::control::around_listener`]), and one log line.
struct ListenerEndpoint<E> {
    routes: E,
    api: ApiKind,
    control: Arc<ControlPlane>,
    limits: ListenerLimits,
}

impl<E: Endpoint> Endpoint for ListenerEndpoint<E> {
    type Output = Response;

    async fn call(&self, mut req: Request) -> poem::Result<Response> {
        // The APIs take a path poem cannot decode (`%FF`) as a literal (unknown) id, in their own
        // not-found body; the control plane's contract answers it with a 400 in its body instead.
        if !req.uri().path().starts_with(CONTROL_PREFIX) {
            literal_if_undecodable(&mut req);
        }
        let req = limit_body(req, self.limits.max_body_bytes, self.limits.body_read_timeout);
        if !tracing::enabled!(tracing::Level::INFO) {
            // `--log warn` and quieter: no line, so nothing to keep from the request.
            return crate::control::around_listener(&self.routes, &self.control, self.api, req).await;
        }
        // One log line per request: method, path, status and latency (never headers or bodies,
        // which carry tokens and key material).
        let started = std::time::Instant::now();
        let method = req.method().clone();
        let uri = req.uri().clone();
        let resp = crate::control::around_listener(&self.routes, &self.control, self.api, req).await?;
        tracing::info!(
            api = self.api.name(),
            %method,
            path = uri.path(),
            status = resp.status().as_u16(),
            micros = started.elapsed().as_micros() as u64,
            "request"
        );
        Ok(resp)
    }
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
    let meta = Route::new().nest(CONTROL_PREFIX, crate::control::endpoint(control.clone(), api, guides)?);
    let meta = crate::contract_routes::add(meta, crate::docs_site::contract_yaml(api))?;
    let meta = crate::docs_site::add_reference(meta, this)?;
    let api_routes = match api {
        ApiKind::Barbican => barbican::endpoint(control.barbican.clone()).map_to_response().boxed(),
        ApiKind::Orchestrator => orchestrator::endpoint(control.orchestrator.clone()).map_to_response().boxed(),
        ApiKind::Marketplace => marketplace::endpoint(control.marketplace.clone()).map_to_response().boxed(),
    };
    let routes = ListenerRoutes { meta, api: api_routes };
    Ok(ListenerEndpoint { routes, api, control: control.clone(), limits }.boxed())
}

/// A listener's two route trees: standin's own pages (the control plane, the contract, the docs)
/// and the API. A request goes straight to the API's tree unless its path is one of standin's,
/// rather than through a router that nests the API under `/` (one routing, one boxed future and
/// one copy of the request less on every API request).
struct ListenerRoutes {
    meta: Route,
    api: poem::endpoint::BoxEndpoint<'static>,
}

impl ListenerRoutes {
    /// The paths `meta` serves: everything under the control prefix, the contract, the docs page.
    fn is_meta(path: &str) -> bool {
        path.strip_prefix(CONTROL_PREFIX).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
            || matches!(path, "/openapi.yaml" | "/openapi.json")
            || path == DOCS_PATH
    }
}

impl Endpoint for ListenerRoutes {
    type Output = Response;

    async fn call(&self, req: Request) -> poem::Result<Response> {
        if Self::is_meta(req.uri().path()) {
            self.meta.call(req).await.map(poem::IntoResponse::into_response)
        } else {
            self.api.call(req).await
        }
    }
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
