//! The control plane (`/_standin/` on every listener): a file per group of operations, as the
//! control contract tags them.

mod client;
mod deployments;
mod faults;
mod fixtures;
mod journal;
mod lifecycles;
mod meta;
mod reset;
mod secret_material;
mod state;

use reqwest::Method;
use serde_json::Value;
use standin::config::ApiKind;

use crate::harness::TestStandin;

/// Call the control plane of one listener and return the status and JSON body (Null when empty).
pub async fn control(
    server: &TestStandin,
    api: ApiKind,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> (u16, Value) {
    let mut req = server.http.request(method, server.url(api, &format!("/_standin{path}")));
    if let Some(body) = body {
        req = req.header("Content-Type", "application/json").body(body.to_string());
    }
    let resp = req.send().await.unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    if text.is_empty() {
        return (status, Value::Null);
    }
    (status, serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}")))
}
