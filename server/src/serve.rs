//! Binding the listeners and running them. [`Standin::start`] binds every listener first (so a
//! port clash fails fast and port 0 resolves to a real port), then serves each API on its own task.

use std::net::SocketAddr;
use std::time::Duration;

use anyhow::Context;
use poem::listener::{Acceptor, Listener, TcpListener};
use poem::{Endpoint, EndpointExt, IntoResponse, Request, Response, Route, Server, get};
use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::barbican::auth::Tokens;
use crate::barbican::{self, BarbicanState};
use crate::config::{ApiKind, Config, Fixtures};
use crate::health::{HEALTH_PATH, health};
use crate::orchestrator::{self, OrchestratorState};
use crate::storage;

/// One log line per request: method, path, status and latency (never headers or bodies, which
/// carry tokens and key material).
async fn log_request<E: Endpoint>(ep: E, req: Request, api: ApiKind) -> poem::Result<Response> {
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

/// The routes of one listener: its API (where implemented), its contract, and the health check.
fn listener_routes(
    api: ApiKind,
    barbican: &BarbicanState,
    orchestrator: &OrchestratorState,
) -> anyhow::Result<poem::endpoint::BoxEndpoint<'static>> {
    let route = Route::new().at(HEALTH_PATH, get(health).data(api));
    let route = match api {
        ApiKind::Barbican => {
            crate::contract_routes::add(route, barbican::CONTRACT_YAML)?.nest("/", barbican::endpoint(barbican.clone()))
        }
        ApiKind::Orchestrator => crate::contract_routes::add(route, orchestrator::CONTRACT_YAML)?
            .nest("/", orchestrator::endpoint(orchestrator.clone())),
        ApiKind::Marketplace => route,
    };
    Ok(route.around(move |ep, req| log_request(ep, req, api)).boxed())
}

/// The orchestrator's state: its tokens (the file's or the built-in ones, plus the document's with
/// `--fixtures docs`) and, with `--fixtures docs`, the document's data.
async fn orchestrator_state(config: &Config, pool: sqlx::SqlitePool) -> anyhow::Result<OrchestratorState> {
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
        let pool = storage::open(&config.storage).await?;
        let orchestrator_state = orchestrator_state(&config, pool.clone()).await?;
        let mut tokens = match &config.barbican_tokens {
            Some(path) => Tokens::load(path)?,
            None => Tokens::builtin(),
        };
        if config.fixtures == Fixtures::Docs {
            barbican::fixtures::add_fixture_tokens(&mut tokens);
        }
        let barbican_state = BarbicanState::new(config.barbican.clone(), tokens, pool);
        if config.fixtures == Fixtures::Docs {
            let loaded = barbican::fixtures::load_docs(barbican_state.orders.store()).await?;
            tracing::info!(loaded, "loaded the documented Barbican orders");
        }

        let (shutdown, _) = watch::channel(false);
        let mut addrs = Vec::new();
        let mut tasks = Vec::new();
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
            let app = listener_routes(api, &barbican_state, &orchestrator_state)?;
            let mut stop = shutdown.subscribe();
            let server = Server::new_with_acceptor(acceptor).run_with_graceful_shutdown(
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
    for api in ApiKind::ALL {
        let url = standin.base_url(api);
        println!("standin: {:<12} {url}  (health: {url}{HEALTH_PATH})", api.name());
        tracing::info!(api = api.name(), %url, "listening");
    }
    let barbican = standin.base_url(ApiKind::Barbican);
    println!(
        "standin: barbican credentials: X-Project-Id: <any project> (no-auth), or X-Auth-Token: {}\n\
         standin: barbican contract: {barbican}/openapi.yaml\n\
         standin: try  curl -H 'X-Project-Id: demo-project' {barbican}/v1/orders",
        crate::barbican::auth::DEFAULT_TOKEN
    );
    let orchestrator = standin.base_url(ApiKind::Orchestrator);
    println!(
        "standin: orchestrator credentials: Authorization: Bearer {} (user), {} (admin), {} (read-only)\n\
         standin: orchestrator contract: {orchestrator}/openapi.yaml\n\
         standin: try  curl -H 'Authorization: Bearer {}' {orchestrator}/deployments",
        orchestrator::auth::USER_TOKEN,
        orchestrator::auth::ADMIN_TOKEN,
        orchestrator::auth::READ_ONLY_TOKEN,
        orchestrator::auth::USER_TOKEN
    );
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
