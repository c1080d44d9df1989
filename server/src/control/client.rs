//! The control plane from the command line (`standin reset`, `standin advance`, …): each command
//! is one call to a running standin's control API, whose answer it prints.

use anyhow::Context;
use serde_json::{Value, json};

/// One control-plane call: `method` on `/_standin<path>` of the standin at `url`, with an optional
/// JSON body. Prints the answer's body (pretty JSON) and fails on any status other than 2xx.
pub async fn call(url: &str, method: reqwest::Method, path: &str, body: Option<Value>) -> anyhow::Result<Value> {
    let target = format!("{}{}{path}", url.trim_end_matches('/'), super::CONTROL_PREFIX);
    let client = reqwest::Client::new();
    let mut request = client.request(method.clone(), &target);
    if let Some(body) = body {
        request = request.json(&body);
    }
    let resp = request.send().await.with_context(|| format!("cannot reach standin at {url}"))?;
    let status = resp.status();
    let text = resp.text().await?;
    let value: Value =
        if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
    if !status.is_success() {
        let message = value.get("message").and_then(Value::as_str).map(str::to_string).unwrap_or(value.to_string());
        anyhow::bail!("{method} {target}: {status}: {message}");
    }
    Ok(value)
}

/// What `standin reset` removes; absent fields do not narrow it.
#[derive(Debug, Clone, Copy, Default)]
pub struct ResetScope<'a> {
    pub api: Option<&'a str>,
    /// A Barbican project.
    pub project: Option<&'a str>,
    /// An orchestrator organisation.
    pub organisation: Option<&'a str>,
    /// An orchestrator user, `subject@issuer`.
    pub owner: Option<&'a str>,
}

/// `standin reset`: every API's state, one API's, one Barbican project's, or one orchestrator
/// organisation's or user's.
pub async fn reset(url: &str, scope: ResetScope<'_>) -> anyhow::Result<Value> {
    let mut body = json!({});
    for (name, value) in
        [("api", scope.api), ("project", scope.project), ("organisation", scope.organisation), ("owner", scope.owner)]
    {
        if let Some(value) = value {
            body[name] = json!(value);
        }
    }
    call(url, reqwest::Method::POST, "/reset", Some(body)).await
}

/// `standin load --set docs`: add a documented data set.
pub async fn load_set(url: &str, set: &str) -> anyhow::Result<Value> {
    call(url, reqwest::Method::POST, "/fixtures", Some(json!({ "set": set }))).await
}

/// `standin advance deployment ID --to …`: end the step of an orchestrator deployment in progress.
pub async fn advance_deployment(url: &str, id: &str, to: &str, reason: Option<&str>) -> anyhow::Result<Value> {
    let mut body = json!({ "to": to });
    if let Some(reason) = reason {
        body["status_reason"] = json!(reason);
    }
    call(url, reqwest::Method::POST, &format!("/orchestrator/deployments/{id}/advance"), Some(body)).await
}

/// `standin export FILE`: the whole state, as YAML or JSON by the file's extension.
pub async fn export(url: &str, file: &std::path::Path) -> anyhow::Result<Value> {
    let snapshot = call(url, reqwest::Method::GET, "/state", None).await?;
    let yaml = matches!(file.extension().and_then(|e| e.to_str()), Some("yaml" | "yml"));
    let text = if yaml { serde_norway::to_string(&snapshot)? } else { serde_json::to_string_pretty(&snapshot)? };
    std::fs::write(file, text).with_context(|| format!("cannot write {}", file.display()))?;
    let rows: usize =
        snapshot["tables"].as_object().map_or(0, |t| t.values().filter_map(Value::as_array).map(Vec::len).sum());
    Ok(json!({ "file": file.display().to_string(), "rows": rows }))
}

/// `standin load FILE`: replace the whole state with a snapshot or fixture file (YAML or JSON).
pub async fn load(url: &str, file: &std::path::Path) -> anyhow::Result<Value> {
    let text = std::fs::read_to_string(file).with_context(|| format!("cannot read {}", file.display()))?;
    let snapshot: Value =
        serde_norway::from_str(&text).with_context(|| format!("{} is neither YAML nor JSON", file.display()))?;
    call(url, reqwest::Method::PUT, "/state", Some(snapshot)).await
}

/// `standin advance order ID --to …`: move a PENDING Barbican order.
pub async fn advance_order(
    url: &str,
    id: &str,
    to: &str,
    status_code: Option<&str>,
    reason: Option<&str>,
) -> anyhow::Result<Value> {
    let mut body = json!({ "to": to });
    if let Some(code) = status_code {
        body["error_status_code"] = json!(code);
    }
    if let Some(reason) = reason {
        body["error_reason"] = json!(reason);
    }
    call(url, reqwest::Method::POST, &format!("/barbican/orders/{id}/advance"), Some(body)).await
}
