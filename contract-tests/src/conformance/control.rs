//! The control plane checks (`--api control`, target `<listener>/_standin`): every operation ×
//! documented status of `openapi/control.yaml`; and the fault helpers the other suites' 500 checks use.
//!
//! These checks use plain reqwest: there is no generated client for the control contract yet (the three
//! API clients are what issue 6 asks for; generating a fourth is left for later). Bodies are compared as
//! JSON with the path of the first difference, like the other suites.
//!
//! Checks act on standin's state only in ways they undo: a reset is scoped to a Barbican project of the
//! check's own, the lifecycle change is put back, fault rules are removed, and an import writes back the
//! state just exported. The two storage-failure 500s cannot be provoked through any API (they need a
//! broken database) and skip with that reason.

use std::time::Duration;

use reqwest::Method;
use serde_json::{Value, json};

use super::json_diff::expect_json;
use super::{Check, CheckFuture, CheckResult, Problem, Target, ensure};

const UNKNOWN_ID: &str = "00000000-0000-4000-8000-000000000000";

fn client() -> Result<reqwest::Client, Problem> {
    reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| Problem::fail("HTTP client", "a client", e))
}

/// Status and body (JSON when it parses, else the text as a JSON string) of a request to `url`.
async fn send(method: Method, url: &str, body: Option<&Value>) -> Result<(u16, Value, String), Problem> {
    let mut req = client()?.request(method.clone(), url);
    if let Some(body) = body {
        req = req.json(body);
    }
    let resp = req.send().await.map_err(|e| Problem::fail(format!("{method} {url}"), "an answer", e))?;
    let status = resp.status().as_u16();
    let ct = resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
    let text = resp.text().await.unwrap_or_default();
    let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
    Ok((status, value, ct))
}

async fn ctl(t: &Target, method: Method, path: &str, body: Option<Value>) -> Result<(u16, Value, String), Problem> {
    send(method, &format!("{}{path}", t.base_url), body.as_ref()).await
}

fn expect_status(what: &str, status: u16, got: &(u16, Value, String)) -> CheckResult {
    ensure(got.0 == status, &format!("{what} status"), status, format!("{} {}", got.0, truncate(&got.1.to_string())))
}

/// A `{"message": ...}` error body whose message contains `part`.
fn expect_message(what: &str, status: u16, part: &str, got: &(u16, Value, String)) -> CheckResult {
    expect_status(what, status, got)?;
    let message = got.1.get("message").and_then(Value::as_str).unwrap_or_default();
    ensure(message.contains(part), &format!("{what} $.message"), format!("a message containing {part:?}"), message)
}

fn truncate(text: &str) -> String {
    if text.len() <= 300 {
        return text.to_string();
    }
    let mut end = 300;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// The listener's own base (the control target without `/_standin`), for the Barbican calls.
fn listener(t: &Target) -> String {
    t.base_url.trim_end_matches("/_standin").to_string()
}

// ---- fault helpers for the other suites ----

/// Add a one-shot fault rule answering `status` for `operation_id` through the target's control plane
/// (`--control-url`); skip when there is none.
pub async fn inject_fault(t: &Target, api: &str, operation_id: &str, status: u16) -> Result<String, Problem> {
    let control = t.credentials.control_url.as_deref().ok_or_else(|| {
        Problem::Skip(format!(
            "a {status} needs a server-side failure: give --control-url (standin's control plane) to inject one"
        ))
    })?;
    let rule = json!({"api": api, "operation_id": operation_id, "status": status, "times": 1});
    let (code, body, _) = send(Method::POST, &format!("{control}/faults"), Some(&rule)).await?;
    ensure(code == 201, "POST /_standin/faults (to inject the failure)", 201, format!("{code} {body}"))?;
    Ok(body.get("id").and_then(Value::as_str).unwrap_or_default().to_string())
}

/// Remove a rule `inject_fault` added (it is one-shot; this is for a check that ended before using it).
pub async fn remove_fault(t: &Target, id: &str) {
    if let Some(control) = &t.credentials.control_url {
        let _ = send(Method::DELETE, &format!("{control}/faults/{id}"), None).await;
    }
}

// ---- Barbican data the order checks need ----

fn project() -> String {
    format!("conformance-control-{}", uuid::Uuid::new_v4().simple())
}

/// Create an AES key order in `project` on the listener's Barbican; its id.
async fn create_order(t: &Target, project: &str) -> Result<String, Problem> {
    let body = json!({"type": "key", "meta": {"name": "conformance", "algorithm": "aes", "bit_length": 256,
        "mode": "cbc", "payload_content_type": "application/octet-stream"}});
    let resp = client()?
        .post(format!("{}/v1/orders", listener(t)))
        .header("x-project-id", project)
        .json(&body)
        .send()
        .await
        .map_err(|e| Problem::fail("POST /v1/orders", "an answer", e))?;
    let status = resp.status().as_u16();
    let reply: Value = resp.json().await.unwrap_or(Value::Null);
    ensure(status == 202, "POST /v1/orders (no-auth X-Project-Id) status", 202, format!("{status} {reply}"))?;
    let href = reply.get("order_ref").and_then(Value::as_str).unwrap_or_default();
    Ok(href.rsplit('/').next().unwrap_or_default().to_string())
}

async fn get_order(t: &Target, project: &str, id: &str) -> Result<Value, Problem> {
    let resp = client()?
        .get(format!("{}/v1/orders/{id}", listener(t)))
        .header("x-project-id", project)
        .send()
        .await
        .map_err(|e| Problem::fail("GET /v1/orders/{id}", "an answer", e))?;
    Ok(resp.json().await.unwrap_or(Value::Null))
}

async fn delete_order(t: &Target, project: &str, id: &str) {
    if let Ok(c) = client() {
        let _ = c.delete(format!("{}/v1/orders/{id}", listener(t))).header("x-project-id", project).send().await;
    }
}

/// Run `f` with new Barbican orders held PENDING, then put the lifecycle back.
async fn with_manual_orders<'a, F, Fut>(t: &'a Target, f: F) -> CheckResult
where
    F: FnOnce(&'a Target) -> Fut,
    Fut: std::future::Future<Output = CheckResult>,
{
    let before = ctl(t, Method::GET, "/lifecycles", None).await?;
    expect_status("GET /lifecycles", 200, &before)?;
    let set = ctl(t, Method::PUT, "/lifecycles", Some(json!({"barbican_orders": "manual"}))).await?;
    expect_status("PUT /lifecycles manual", 200, &set)?;
    let result = f(t).await;
    let _ = ctl(t, Method::PUT, "/lifecycles", Some(before.1)).await;
    result
}

// ---- the checks ----

async fn health_200(t: &Target) -> CheckResult {
    let got = ctl(t, Method::GET, "/health", None).await?;
    expect_status("GET /health", 200, &got)
}

async fn landing_200(t: &Target) -> CheckResult {
    let got = ctl(t, Method::GET, "/", None).await?;
    expect_status("GET /", 200, &got)?;
    ensure(got.2.starts_with("text/html"), "Content-Type", "text/html", &got.2)
}

async fn docs_200(t: &Target) -> CheckResult {
    let got = ctl(t, Method::GET, "/docs", None).await?;
    expect_status("GET /docs", 200, &got)?;
    ensure(got.2.starts_with("text/html"), "Content-Type", "text/html", &got.2)
}

async fn contract_200(t: &Target) -> CheckResult {
    let got = ctl(t, Method::GET, "/openapi.yaml", None).await?;
    expect_status("GET /openapi.yaml", 200, &got)?;
    let text = got.1.as_str().unwrap_or_default();
    ensure(text.contains("operationId: getHealth"), "body", "the control contract", truncate(text))
}

async fn reset_project_200(t: &Target) -> CheckResult {
    let p = project();
    create_order(t, &p).await?;
    let got = ctl(t, Method::POST, "/reset", Some(json!({"api": "barbican", "project": p}))).await?;
    expect_status("POST /reset", 200, &got)?;
    let expected = json!({"barbican_orders": 1, "marketplace_services": 0, "orchestrator_deployments": 0, "orchestrator_schedules": 0});
    expect_json("POST /reset body", &expected, &got.1)
}

async fn reset_400(t: &Target) -> CheckResult {
    let got = ctl(t, Method::POST, "/reset", Some(json!({"project": "p1"}))).await?;
    expect_status("POST /reset {project} without api", 400, &got)?;
    expect_json("body", &json!({"message": "`project` scopes a reset of `api: barbican` only"}), &got.1)
}

async fn storage_500(_: &Target) -> CheckResult {
    Err(Problem::Skip(
        "a storage failure cannot be provoked through any API (it needs a broken database); the fault rules \
         cover the three APIs, not the control plane"
            .into(),
    ))
}

async fn export_200(t: &Target) -> CheckResult {
    let got = ctl(t, Method::GET, "/state", None).await?;
    expect_status("GET /state", 200, &got)?;
    let format = got.1.get("format").and_then(Value::as_str).unwrap_or_default();
    ensure(format == "standin-state/1", "$.format", "standin-state/1", format)?;
    ensure(got.1.get("tables").is_some_and(Value::is_object), "$.tables", "an object", "absent")
}

async fn import_200(t: &Target) -> CheckResult {
    // Writes back what it just read: the state is unchanged.
    let state = ctl(t, Method::GET, "/state", None).await?;
    expect_status("GET /state", 200, &state)?;
    let got = ctl(t, Method::PUT, "/state", Some(state.1)).await?;
    expect_status("PUT /state (the exported state)", 200, &got)
}

async fn import_400(t: &Target) -> CheckResult {
    let got = ctl(t, Method::PUT, "/state", Some(json!({"format": "standin-state/9", "tables": {}}))).await?;
    expect_message("PUT /state with format standin-state/9", 400, "standin-state", &got)
}

async fn journal_200(t: &Target) -> CheckResult {
    let got = ctl(t, Method::GET, "/journal?limit=5", None).await?;
    expect_status("GET /journal?limit=5", 200, &got)?;
    let n = got.1.get("entries").and_then(Value::as_array).map(Vec::len);
    ensure(n.is_some_and(|n| n <= 5), "$.entries", "at most 5 entries", format!("{n:?}"))
}

async fn journal_400(t: &Target) -> CheckResult {
    let got = ctl(t, Method::GET, "/journal?limit=-1", None).await?;
    expect_message("GET /journal?limit=-1", 400, "limit", &got)
}

async fn clear_journal_204(t: &Target) -> CheckResult {
    let got = ctl(t, Method::DELETE, "/journal", None).await?;
    expect_status("DELETE /journal", 204, &got)
}

async fn list_faults_200(t: &Target) -> CheckResult {
    let got = ctl(t, Method::GET, "/faults", None).await?;
    expect_status("GET /faults", 200, &got)?;
    ensure(got.1.is_array(), "body", "an array of rules", truncate(&got.1.to_string()))
}

async fn add_and_remove_fault(t: &Target) -> CheckResult {
    let rule = json!({"api": "orchestrator", "operation_id": "getConfiguration", "status": 503, "times": 1});
    let got = ctl(t, Method::POST, "/faults", Some(rule)).await?;
    expect_status("POST /faults", 201, &got)?;
    let id = got.1.get("id").and_then(Value::as_str).unwrap_or_default().to_string();
    let expected = json!({"id": id, "api": "orchestrator", "operation_id": "getConfiguration", "status": 503,
        "drop_connection": false, "times": 1});
    expect_json("POST /faults body", &expected, &got.1)?;
    let removed = ctl(t, Method::DELETE, &format!("/faults/{id}"), None).await?;
    expect_status("DELETE /faults/{id}", 204, &removed)
}

async fn add_fault_400(t: &Target) -> CheckResult {
    let got = ctl(t, Method::POST, "/faults", Some(json!({"api": "barbican"}))).await?;
    expect_status("POST /faults without status, delay or drop", 400, &got)
}

async fn clear_faults_204(t: &Target) -> CheckResult {
    let got = ctl(t, Method::DELETE, "/faults", None).await?;
    expect_status("DELETE /faults", 204, &got)
}

/// A path parameter that is not UTF-8 once percent-decoded: the one way a string parameter is unusable.
const NOT_UTF8: &str = "%FF";

async fn remove_fault_400(t: &Target) -> CheckResult {
    let got = ctl(t, Method::DELETE, &format!("/faults/{NOT_UTF8}"), None).await?;
    expect_json_error("DELETE /faults/%FF", 400, &got)
}

/// The status, with the control error body `{"message": <text>}` in JSON.
fn expect_json_error(what: &str, status: u16, got: &(u16, Value, String)) -> CheckResult {
    expect_status(what, status, got)?;
    ensure(got.2.starts_with("application/json"), &format!("{what} Content-Type"), "application/json", &got.2)?;
    ensure(got.1.get("message").is_some_and(Value::is_string), &format!("{what} $.message"), "a string", &got.1)
}

async fn remove_fault_404(t: &Target) -> CheckResult {
    let got = ctl(t, Method::DELETE, &format!("/faults/{UNKNOWN_ID}"), None).await?;
    expect_status("DELETE /faults/<unknown>", 404, &got)
}

async fn get_lifecycles_200(t: &Target) -> CheckResult {
    let got = ctl(t, Method::GET, "/lifecycles", None).await?;
    expect_status("GET /lifecycles", 200, &got)?;
    ensure(got.1.get("barbican_orders").is_some_and(Value::is_string), "$.barbican_orders", "a string", "absent")
}

async fn set_lifecycles_200(t: &Target) -> CheckResult {
    with_manual_orders(t, |t| async move {
        let got = ctl(t, Method::GET, "/lifecycles", None).await?;
        let barbican = got.1.get("barbican_orders").cloned().unwrap_or_default();
        expect_json("GET /lifecycles after the change $.barbican_orders", &json!("manual"), &barbican)
    })
    .await
}

async fn set_lifecycles_400(t: &Target) -> CheckResult {
    let got = ctl(t, Method::PUT, "/lifecycles", Some(json!({"barbican_orders": "sometimes"}))).await?;
    expect_message("PUT /lifecycles sometimes", 400, "barbican_orders: `sometimes`", &got)
}

async fn advance_200_then_409(t: &Target, then_conflict: bool) -> CheckResult {
    with_manual_orders(t, |t| async move {
        let p = project();
        let id = create_order(t, &p).await?;
        let result = async {
            let path = format!("/barbican/orders/{id}/advance");
            let got = ctl(t, Method::POST, &path, Some(json!({"to": "next"}))).await?;
            expect_status("advance {to: next}", 200, &got)?;
            let status = got.1.get("status").and_then(Value::as_str).unwrap_or_default();
            ensure(status == "ACTIVE", "$.status", "ACTIVE", status)?;
            let read = get_order(t, &p, &id).await?;
            let read_status = read.get("status").and_then(Value::as_str).unwrap_or_default();
            ensure(read_status == "ACTIVE", "GET /v1/orders/{id} $.status", "ACTIVE", read_status)?;
            if then_conflict {
                let again = ctl(t, Method::POST, &path, Some(json!({"to": "next"}))).await?;
                expect_message("advance an ACTIVE order", 409, "not PENDING", &again)?;
            }
            Ok(())
        }
        .await;
        delete_order(t, &p, &id).await;
        result
    })
    .await
}

async fn advance_200(t: &Target) -> CheckResult {
    advance_200_then_409(t, false).await
}

async fn advance_409(t: &Target) -> CheckResult {
    advance_200_then_409(t, true).await
}

async fn advance_400(t: &Target) -> CheckResult {
    let got =
        ctl(t, Method::POST, &format!("/barbican/orders/{UNKNOWN_ID}/advance"), Some(json!({"to": "DONE"}))).await?;
    expect_status("advance {to: DONE}", 400, &got)
}

async fn advance_404(t: &Target) -> CheckResult {
    let got =
        ctl(t, Method::POST, &format!("/barbican/orders/{UNKNOWN_ID}/advance"), Some(json!({"to": "next"}))).await?;
    expect_status("advance an unknown order", 404, &got)
}

async fn fixtures_document_200(t: &Target) -> CheckResult {
    // Loads back what it just read, as a fixtures document: the state is unchanged.
    let state = ctl(t, Method::GET, "/state", None).await?;
    expect_status("GET /state", 200, &state)?;
    let got = ctl(t, Method::POST, "/fixtures", Some(json!({"document": state.1}))).await?;
    expect_status("POST /fixtures {document: the exported state}", 200, &got)?;
    ensure(got.1.get("loaded").is_some_and(Value::is_object), "$.loaded", "an object", truncate(&got.1.to_string()))
}

async fn fixtures_400(t: &Target) -> CheckResult {
    let got = ctl(t, Method::POST, "/fixtures", Some(json!({}))).await?;
    expect_message("POST /fixtures with neither set nor document", 400, "exactly one of", &got)
}

/// The orchestrator listener of the target standin, from the landing page's link to its docs (the
/// control plane names the three listeners nowhere else).
async fn orchestrator_base(t: &Target) -> Result<String, Problem> {
    let page = ctl(t, Method::GET, "/", None).await?;
    let html = page.1.as_str().unwrap_or_default();
    let section = html.split(r#"<section id="orchestrator">"#).nth(1).unwrap_or_default();
    let href = section.split(r#"class="docs" href=""#).nth(1).and_then(|rest| rest.split('"').next());
    href.and_then(|h| h.strip_suffix("/docs"))
        .map(str::to_string)
        .ok_or_else(|| Problem::Skip("the landing page names no orchestrator listener (not a standin?)".into()))
}

/// Run `f` with a new deployment held CREATE_IN_PROGRESS (manual lifecycle), then put the lifecycle
/// back and remove the deployment.
async fn with_held_deployment<'a, F, Fut>(t: &'a Target, f: F) -> CheckResult
where
    F: FnOnce(&'a Target, String, String) -> Fut,
    Fut: std::future::Future<Output = CheckResult>,
{
    let base = orchestrator_base(t).await?;
    let token = t.credentials.token.clone().unwrap_or_else(|| "orchestrator-user-token".to_string());
    let before = ctl(t, Method::GET, "/lifecycles", None).await?;
    expect_status("GET /lifecycles", 200, &before)?;
    let set = ctl(t, Method::PUT, "/lifecycles", Some(json!({"orchestrator_deployments": "manual"}))).await?;
    expect_status("PUT /lifecycles {orchestrator_deployments: manual}", 200, &set)?;
    let template = "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    vm:\n      type: tosca.nodes.indigo.Compute\n";
    let created = client()?
        .post(format!("{base}/deployments"))
        .bearer_auth(&token)
        .json(&json!({"template": template}))
        .send()
        .await
        .map_err(|e| Problem::fail("POST /deployments", "an answer", e));
    let result = async {
        let resp = created?;
        let status = resp.status().as_u16();
        let body: Value = resp.json().await.unwrap_or(Value::Null);
        if status == 401 || status == 403 {
            return Err(Problem::Skip(format!(
                "creating a deployment needs an orchestrator token (--token): {status}"
            )));
        }
        ensure(status == 201, "POST /deployments status", 201, format!("{status} {}", truncate(&body.to_string())))?;
        let id = body.get("uuid").and_then(Value::as_str).unwrap_or_default().to_string();
        let outcome = f(t, base.clone(), id.clone()).await;
        // Clean up: delete, then end the held undeployment.
        if let Ok(c) = client() {
            let _ = c.delete(format!("{base}/deployments/{id}")).bearer_auth(&token).send().await;
        }
        let _ = ctl(
            t,
            Method::POST,
            &format!("/orchestrator/deployments/{id}/advance"),
            Some(json!({"to": "DELETE_COMPLETE"})),
        )
        .await;
        outcome
    }
    .await;
    let _ = ctl(t, Method::PUT, "/lifecycles", Some(before.1)).await;
    result
}

async fn advance_deployment(t: &Target, then_conflict: bool) -> CheckResult {
    with_held_deployment(t, |t, _base, id| async move {
        let path = format!("/orchestrator/deployments/{id}/advance");
        let got =
            ctl(t, Method::POST, &path, Some(json!({"to": "CREATE_FAILED", "status_reason": "conformance"}))).await?;
        expect_status("advance {to: CREATE_FAILED}", 200, &got)?;
        let status = got.1.get("status").and_then(Value::as_str).unwrap_or_default();
        ensure(status == "CREATE_FAILED", "$.status", "CREATE_FAILED", status)?;
        if then_conflict {
            let again = ctl(t, Method::POST, &path, Some(json!({"to": "CREATE_COMPLETE"}))).await?;
            expect_status("advance a CREATE_FAILED deployment to CREATE_COMPLETE", 409, &again)?;
        }
        Ok(())
    })
    .await
}

async fn advance_deployment_200(t: &Target) -> CheckResult {
    advance_deployment(t, false).await
}

async fn advance_deployment_409(t: &Target) -> CheckResult {
    advance_deployment(t, true).await
}

async fn advance_deployment_400(t: &Target) -> CheckResult {
    let path = format!("/orchestrator/deployments/{UNKNOWN_ID}/advance");
    let got = ctl(t, Method::POST, &path, Some(json!({"to": "DONE"}))).await?;
    expect_status("advance a deployment {to: DONE}", 400, &got)
}

async fn advance_deployment_404(t: &Target) -> CheckResult {
    let path = format!("/orchestrator/deployments/{UNKNOWN_ID}/advance");
    let got = ctl(t, Method::POST, &path, Some(json!({"to": "next"}))).await?;
    expect_status("advance an unknown deployment", 404, &got)
}

async fn material_200(t: &Target) -> CheckResult {
    let p = project();
    let id = create_order(t, &p).await?;
    let result = async {
        let mut secret = String::new();
        for _ in 0..20 {
            let order = get_order(t, &p, &id).await?;
            if let Some(href) = order.get("secret_ref").and_then(Value::as_str) {
                secret = href.rsplit('/').next().unwrap_or_default().to_string();
                break;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        if secret.is_empty() {
            return Err(Problem::Skip("the order did not become ACTIVE within 2 s (lifecycle?)".into()));
        }
        let got = ctl(t, Method::GET, &format!("/barbican/secrets/{secret}/material"), None).await?;
        expect_status("GET material", 200, &got)?;
        let bytes = got.1.get("bytes").and_then(Value::as_i64);
        ensure(bytes == Some(32), "$.bytes", 32, format!("{bytes:?}"))?;
        let sid = got.1.get("secret_id").and_then(Value::as_str).unwrap_or_default();
        ensure(sid == secret, "$.secret_id", &secret, sid)
    }
    .await;
    delete_order(t, &p, &id).await;
    result
}

async fn material_400(t: &Target) -> CheckResult {
    let got = ctl(t, Method::GET, &format!("/barbican/secrets/{NOT_UTF8}/material"), None).await?;
    expect_json_error("GET material of %FF", 400, &got)
}

async fn material_404(t: &Target) -> CheckResult {
    let got = ctl(t, Method::GET, &format!("/barbican/secrets/{UNKNOWN_ID}/material"), None).await?;
    expect_json("GET material of an unknown secret", &json!({"message": format!("no secret {UNKNOWN_ID}")}), &got.1)?;
    expect_status("GET material of an unknown secret", 404, &got)
}

macro_rules! check {
    ($op:literal, $status:literal, $name:literal, $f:ident) => {
        Check {
            operation_id: $op,
            status: $status,
            name: $name,
            errata: None,
            run: |t: &Target| -> CheckFuture<'_> { Box::pin($f(t)) },
        }
    };
}

/// Every control plane check.
pub fn checks() -> Vec<Check> {
    vec![
        check!("getHealth", 200, "the listener is up", health_200),
        check!("getLandingPage", 200, "an HTML page", landing_200),
        check!("getControlDocs", 200, "an HTML page", docs_200),
        check!("getControlContract", 200, "the control contract itself", contract_200),
        check!("resetState", 200, "a reset of one Barbican project counts its one order", reset_project_200),
        check!("resetState", 400, "project without api: barbican is 400", reset_400),
        check!("resetState", 500, "a storage failure (not provokable: skipped)", storage_500),
        check!("exportState", 200, "standin-state/1 with its tables", export_200),
        check!("exportState", 500, "a storage failure (not provokable: skipped)", storage_500),
        check!("importState", 200, "the state just exported imports back", import_200),
        check!("importState", 400, "an unknown format is 400", import_400),
        check!("getJournal", 200, "limit=5: at most 5 entries", journal_200),
        check!("getJournal", 400, "limit=-1 is 400", journal_400),
        check!("clearJournal", 204, "the journal empties", clear_journal_204),
        check!("listFaults", 200, "the rules in force", list_faults_200),
        check!("listFaults", 500, "a storage failure (not provokable: skipped)", storage_500),
        check!("addFault", 500, "a storage failure (not provokable: skipped)", storage_500),
        check!("clearFaults", 500, "a storage failure (not provokable: skipped)", storage_500),
        check!("removeFault", 500, "a storage failure (not provokable: skipped)", storage_500),
        check!("getLifecycles", 500, "a storage failure (not provokable: skipped)", storage_500),
        check!("setLifecycles", 500, "a storage failure (not provokable: skipped)", storage_500),
        check!("addFault", 201, "a one-shot 503 rule comes back with its id, then is removed", add_and_remove_fault),
        check!("addFault", 400, "a rule with nothing to do is 400", add_fault_400),
        check!("clearFaults", 204, "no rule left", clear_faults_204),
        check!("removeFault", 204, "a rule just added is removed", add_and_remove_fault),
        check!(
            "removeFault",
            400,
            "an id that is not UTF-8 (%FF) is 400 with the control error body",
            remove_fault_400
        ),
        check!("removeFault", 404, "an unknown rule is 404", remove_fault_404),
        check!("getLifecycles", 200, "barbican_orders is named", get_lifecycles_200),
        check!("setLifecycles", 200, "manual is in force, then put back", set_lifecycles_200),
        check!("setLifecycles", 400, "an unknown lifecycle is 400", set_lifecycles_400),
        check!("advanceOrder", 200, "a PENDING order (manual lifecycle) moves to ACTIVE", advance_200),
        check!("advanceOrder", 400, "to: DONE is 400", advance_400),
        check!("advanceOrder", 404, "an unknown order is 404", advance_404),
        check!("advanceOrder", 409, "an ACTIVE order does not move: 409", advance_409),
        check!("advanceOrder", 500, "a storage failure (not provokable: skipped)", storage_500),
        check!("loadFixtures", 200, "the state just exported loads back as a fixtures document", fixtures_document_200),
        check!("loadFixtures", 400, "neither set nor document is 400", fixtures_400),
        check!("loadFixtures", 500, "a storage failure (not provokable: skipped)", storage_500),
        check!(
            "advanceDeployment",
            200,
            "a held deployment (manual lifecycle) moves to CREATE_FAILED",
            advance_deployment_200
        ),
        check!("advanceDeployment", 400, "to: DONE is 400", advance_deployment_400),
        check!("advanceDeployment", 404, "an unknown deployment is 404", advance_deployment_404),
        check!(
            "advanceDeployment",
            409,
            "a CREATE_FAILED deployment does not go to CREATE_COMPLETE: 409",
            advance_deployment_409
        ),
        check!("advanceDeployment", 500, "a storage failure (not provokable: skipped)", storage_500),
        check!("getSecretMaterial", 200, "an AES-256 order's secret has 32 bytes of material", material_200),
        check!(
            "getSecretMaterial",
            400,
            "an id that is not UTF-8 (%FF) is 400 with the control error body",
            material_400
        ),
        check!("getSecretMaterial", 404, "an unknown secret is 404 no secret <id>", material_404),
        check!("getSecretMaterial", 500, "a storage failure (not provokable: skipped)", storage_500),
    ]
}
