//! The docs site: each listener's reference page at `/docs`, a landing page at `/_standin/`, and
//! the same pages written as a static site (`standin docs --out DIR`).
//!
//! The pages show the hand-written contracts in `openapi/`, not poem's emitted spec: only the
//! contracts carry the documented examples. The UI is Swagger UI, because it is the one of
//! poem-openapi's bundled UIs that shows every named example of a request and a response and has
//! "Try it out" against the server that serves the page. Its assets come from poem-openapi's
//! `swagger-ui` feature (embedded in the binary, no CDN); we use our own page around them so the
//! page can embed the contract, point "Try it out" at this listener, and pre-fill the credentials
//! that work with the default configuration.

use std::sync::OnceLock;

use serde_json::{Value, json};

use crate::config::ApiKind;

/// Where each listener serves its reference page.
pub const DOCS_PATH: &str = "/docs";
/// Where each listener serves the landing page.
pub const LANDING_PATH: &str = "/_standin/";

/// What a reader needs to call one API: where it is, how to authenticate, a command to copy.
#[derive(Debug, Clone)]
pub struct ApiGuide {
    pub api: ApiKind,
    pub title: &'static str,
    pub base_url: String,
    /// The credentials that work with the default configuration and fixtures, in words.
    pub credentials: Vec<String>,
    pub curl: String,
    /// Swagger UI `preauthorizeApiKey` calls: security scheme name and value.
    pub preauthorize: Vec<(&'static str, String)>,
    /// Headers "Try it out" adds when the reader set none (for schemes Swagger UI cannot
    /// pre-authorise, such as OAuth2 without a flow it can run offline).
    pub default_headers: Vec<(&'static str, String)>,
}

impl ApiGuide {
    /// The guide for one API at a base URL.
    pub fn new(api: ApiKind, base_url: &str) -> Self {
        match api {
            ApiKind::Barbican => crate::barbican::guide(base_url),
            ApiKind::Marketplace => {
                use crate::marketplace::auth::{DEFAULT_TOKEN, EXPIRED_TOKEN, PUBLIC_CLOUDS_TOKEN};
                ApiGuide {
                    api,
                    title: "OpenStackID Marketplace API",
                    base_url: base_url.to_string(),
                    credentials: vec![
                        format!("Authorization: Bearer {DEFAULT_TOKEN} (the three marketplace read scopes)"),
                        format!("Bearer {PUBLIC_CLOUDS_TOKEN} (public clouds only: a 403 elsewhere)"),
                        format!("Bearer {EXPIRED_TOKEN} (expired: a 401)"),
                    ],
                    curl: format!(
                        "curl -H 'Authorization: Bearer {DEFAULT_TOKEN}' '{base_url}/api/v1/marketplace/public-clouds?page=1&per_page=10'"
                    ),
                    preauthorize: Vec::new(),
                    default_headers: vec![("Authorization", format!("Bearer {DEFAULT_TOKEN}"))],
                }
            }
            ApiKind::Orchestrator => {
                use crate::orchestrator::auth::{ADMIN_TOKEN, OTHER_ORG_TOKEN, READ_ONLY_TOKEN, USER_TOKEN};
                ApiGuide {
                    api,
                    title: "INDIGO PaaS Orchestrator API",
                    base_url: base_url.to_string(),
                    credentials: vec![
                        format!("Authorization: Bearer {USER_TOKEN} (a user of organisation egi.eu, every scope)"),
                        format!("Bearer {ADMIN_TOKEN} (an administrator: sees every deployment)"),
                        format!("Bearer {OTHER_ORG_TOKEN} (another organisation: sees nothing of egi.eu's)"),
                        format!("Bearer {READ_ONLY_TOKEN} (may read, may not change anything)"),
                        "GET /configuration needs no token".into(),
                    ],
                    curl: format!("curl -H 'Authorization: Bearer {USER_TOKEN}' {base_url}/deployments"),
                    preauthorize: vec![(crate::orchestrator::auth::BEARER_SCHEME, USER_TOKEN.to_string())],
                    default_headers: Vec::new(),
                }
            }
        }
    }
}

/// The contract of an API, as embedded in the binary.
pub fn contract_yaml(api: ApiKind) -> &'static str {
    match api {
        ApiKind::Barbican => crate::barbican::CONTRACT_YAML,
        ApiKind::Marketplace => include_str!("../../openapi/marketplace.yaml"),
        ApiKind::Orchestrator => include_str!("../../openapi/orchestrator.yaml"),
    }
}

/// Swagger UI's script and stylesheet, taken once from the page poem-openapi builds around them.
fn swagger_assets() -> &'static (String, String) {
    static ASSETS: OnceLock<(String, String)> = OnceLock::new();
    ASSETS.get_or_init(|| {
        let page = poem_openapi::OpenApiService::new((), "assets", "0").swagger_ui_html();
        let between = |open: &str, close: &str| -> String {
            let start = page.find(open).map(|i| i + open.len()).expect("poem-openapi's Swagger UI page has its assets");
            let end = page[start..].find(close).map(|i| start + i).expect("the asset element is closed");
            page[start..end].to_string()
        };
        (between("<script charset=\"UTF-8\">", "</script>"), between("<style charset=\"UTF-8\">", "</style>"))
    })
}

/// Where "Try it out" sends requests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TryItTarget {
    /// The listener serving the page (a relative server URL, listed first).
    ThisListener,
    /// The contract's own server URLs (a static page has no listener behind it).
    ContractServers,
}

/// The contract as the docs page embeds it: JSON, with this listener (at `prefix`, `/` for the
/// APIs, `/_standin` for the control plane) as the first server.
pub fn docs_contract(contract_yaml: &str, target: TryItTarget, prefix: &str) -> anyhow::Result<Value> {
    let mut contract: Value = serde_norway::from_str(contract_yaml)?;
    if target == TryItTarget::ThisListener
        && let Some(servers) = contract.get_mut("servers").and_then(Value::as_array_mut)
    {
        servers.insert(0, json!({"url": prefix, "description": "this standin (the listener serving this page)"}));
    }
    Ok(contract)
}

/// A self-contained HTML page for `<`-safe embedding of JSON inside a `<script>` element.
fn script_json(value: &Value) -> String {
    value.to_string().replace("</", "<\\/")
}

fn html_escape(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

/// The reference page of one API.
pub fn reference_page(guide: &ApiGuide, target: TryItTarget) -> anyhow::Result<String> {
    let contract = docs_contract(contract_yaml(guide.api), target, "/")?;
    let (landing, contract_href) = match target {
        TryItTarget::ThisListener => (LANDING_PATH.to_string(), "/openapi.yaml".to_string()),
        TryItTarget::ContractServers => ("index.html".to_string(), format!("{}.yaml", guide.api.name())),
    };
    Ok(swagger_page(guide.title, &contract, &guide.preauthorize, &guide.default_headers, &landing, &contract_href))
}

/// The control plane's reference page, as each listener serves it at `/_standin/docs`.
pub fn control_reference_page(target: TryItTarget) -> anyhow::Result<String> {
    let contract = docs_contract(crate::control::api::CONTRACT_YAML, target, crate::control::CONTROL_PREFIX)?;
    let (landing, contract_href) = match target {
        TryItTarget::ThisListener => (LANDING_PATH, "/_standin/openapi.yaml"),
        TryItTarget::ContractServers => ("index.html", "control.yaml"),
    };
    Ok(swagger_page("standin control plane", &contract, &[], &[], landing, contract_href))
}

/// Swagger UI around a contract, with the given credentials pre-filled.
fn swagger_page(
    title: &str,
    contract: &Value,
    preauthorize: &[(&'static str, String)],
    default_headers: &[(&'static str, String)],
    landing_href: &str,
    contract_href: &str,
) -> String {
    let (script, style) = swagger_assets();
    let preauthorize: String = preauthorize
        .iter()
        .map(|(scheme, value)| format!("ui.preauthorizeApiKey({}, {});", json!(scheme), json!(value)))
        .collect();
    let default_headers: serde_json::Map<String, Value> =
        default_headers.iter().map(|(name, value)| (name.to_string(), json!(value))).collect();
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>{title} — standin</title>
<style>{style}</style>
<style>.standin-bar{{font-family:sans-serif;padding:8px 20px;background:#1f2937;color:#f9fafb}}.standin-bar a{{color:#93c5fd}}</style>
</head>
<body>
<div class="standin-bar">standin · {title} · <a href="{landing}">all APIs</a> · <a href="{contract}">contract (YAML)</a></div>
<div id="ui"></div>
<script>{script}</script>
<script>
const ui = SwaggerUIBundle({{
  dom_id: '#ui',
  spec: {spec},
  deepLinking: true,
  docExpansion: 'list',
  defaultModelsExpandDepth: 0,
  displayOperationId: true,
  persistAuthorization: false,
  requestInterceptor: (req) => {{
    const defaults = {default_headers};
    for (const [name, value] of Object.entries(defaults)) {{
      if (!Object.keys(req.headers).some((h) => h.toLowerCase() === name.toLowerCase())) req.headers[name] = value;
    }}
    return req;
  }},
}});
window.standinUi = ui;
{preauthorize}
</script>
</body>
</html>
"#,
        title = html_escape(title),
        landing = html_escape(landing_href),
        contract = html_escape(contract_href),
        spec = script_json(contract),
        default_headers = script_json(&Value::Object(default_headers)),
    )
}

/// The landing page: every API, where it listens, its credentials and a command to copy.
pub fn landing_page(guides: &[ApiGuide], target: TryItTarget) -> String {
    let sections: String = guides
        .iter()
        .map(|g| {
            let docs = match target {
                TryItTarget::ThisListener => format!("{}{DOCS_PATH}", g.base_url),
                TryItTarget::ContractServers => format!("{}.html", g.api.name()),
            };
            let contract = match target {
                TryItTarget::ThisListener => format!("{}/openapi.yaml", g.base_url),
                TryItTarget::ContractServers => format!("{}.yaml", g.api.name()),
            };
            let credentials: String =
                g.credentials.iter().map(|c| format!("<li>{}</li>", html_escape(c))).collect();
            format!(
                r#"<section id="{name}">
<h2>{title}</h2>
<p>Listens on <code>{base}</code> · <a class="docs" href="{docs}">reference and “Try it out”</a> · <a href="{contract}">contract</a></p>
<h3>Credentials</h3>
<ul>{credentials}</ul>
<h3>Try it</h3>
<pre><code>{curl}</code></pre>
</section>
"#,
                name = g.api.name(),
                title = html_escape(g.title),
                base = html_escape(&g.base_url),
                docs = html_escape(&docs),
                contract = html_escape(&contract),
                curl = html_escape(&g.curl),
            )
        })
        .collect();
    let control = match target {
        TryItTarget::ThisListener => "/_standin/docs",
        TryItTarget::ContractServers => "control.html",
    };
    format!(
        r#"<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>standin</title>
<style>
body{{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#111827;line-height:1.5}}
section{{border:1px solid #d1d5db;border-radius:8px;padding:0 1.25rem 1rem;margin:1.5rem 0}}
pre{{background:#f3f4f6;padding:.75rem;overflow-x:auto;border-radius:6px}}
code{{font-family:ui-monospace,monospace}}
</style>
</head>
<body>
<h1>standin</h1>
<p>A faithful, stateful local stand-in for three documented REST APIs. Each API has its own listener,
its reference (the contract, with every documented example) and its contract in YAML and JSON.</p>
{sections}
<p>standin's own control plane (reset, lifecycles, faults, the request journal) is described at
<a id="control-docs" href="{control}">its reference</a>.</p>
</body>
</html>
"#
    )
}

/// Add `/docs`, this listener's API reference, to a listener's routes.
pub fn add_reference(route: poem::Route, this: &ApiGuide) -> anyhow::Result<poem::Route> {
    use poem::EndpointExt;
    let page = std::sync::Arc::new(reference_page(this, TryItTarget::ThisListener)?);
    Ok(route.at(
        DOCS_PATH,
        poem::get(poem::endpoint::make_sync(move |_| {
            poem::Response::builder().content_type("text/html; charset=utf-8").body(page.as_str().to_owned())
        }))
        .boxed(),
    ))
}

/// Write the static site: `index.html`, one reference page and the contract of each API.
pub fn write_static_site(dir: &std::path::Path) -> anyhow::Result<Vec<std::path::PathBuf>> {
    use anyhow::Context;
    std::fs::create_dir_all(dir).with_context(|| format!("cannot create {}", dir.display()))?;
    let guides: Vec<ApiGuide> =
        ApiKind::ALL.iter().map(|&api| ApiGuide::new(api, &format!("http://{}", api.default_listen_addr()))).collect();
    let mut written = Vec::new();
    let mut write = |name: String, text: &str| -> anyhow::Result<()> {
        let path = dir.join(name);
        std::fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
        written.push(path);
        Ok(())
    };
    write("index.html".into(), &landing_page(&guides, TryItTarget::ContractServers))?;
    write("control.html".into(), &control_reference_page(TryItTarget::ContractServers)?)?;
    write("control.yaml".into(), crate::control::api::CONTRACT_YAML)?;
    for guide in &guides {
        write(format!("{}.html", guide.api.name()), &reference_page(guide, TryItTarget::ContractServers)?)?;
        write(format!("{}.yaml", guide.api.name()), contract_yaml(guide.api))?;
    }
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_assets_come_out_of_poem_openapis_page() {
        let (script, style) = swagger_assets();
        assert!(script.contains("SwaggerUIBundle") && script.len() > 500_000, "{} bytes", script.len());
        assert!(style.contains(".swagger-ui") && style.len() > 50_000);
    }

    #[test]
    fn served_pages_try_it_on_this_listener_first() {
        let contract = docs_contract(contract_yaml(ApiKind::Barbican), TryItTarget::ThisListener, "/").unwrap();
        assert_eq!(contract["servers"][0]["url"], "/");
        assert_eq!(contract["servers"][1]["url"], "http://localhost:9311");
        let static_contract =
            docs_contract(contract_yaml(ApiKind::Barbican), TryItTarget::ContractServers, "/").unwrap();
        assert_eq!(static_contract["servers"][0]["url"], "http://localhost:9311");
    }

    #[test]
    fn embedded_json_cannot_close_its_script_element() {
        assert_eq!(script_json(&json!({"d": "</script><script>alert(1)"})), r#"{"d":"<\/script><script>alert(1)"}"#);
    }
}
