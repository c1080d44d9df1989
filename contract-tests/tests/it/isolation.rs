//! Isolation (issue 10), generated over every operation of each contract × each foreign caller: a
//! caller from another Barbican project, another orchestrator organisation (or, for what is
//! owner-only, a colleague of the same organisation), or a Marketplace token without the scope, can
//! neither read, list, change nor delete what is not theirs. The owner's resources are compared
//! before and after. The control plane is unauthenticated by design (a test fixture's back door, on
//! loopback); what isolation means there — a project-scoped reset touches only that project — is
//! tested too. The figures (pairs tried) are printed.

use std::collections::BTreeMap;

use reqwest::Method;
use serde_json::{Value, json};
use standin::config::ApiKind;
use standin::orchestrator::auth::{COLLEAGUE_TOKEN, OTHER_ORG_TOKEN, USER_TOKEN};

use crate::harness::{TestStandin, last_segment};
use crate::orchestrator::TEMPLATE;

async fn call(
    server: &TestStandin,
    api: ApiKind,
    method: &str,
    path: &str,
    headers: &[(&str, String)],
    body: Option<&Value>,
) -> (u16, String) {
    let mut req = server.http.request(Method::from_bytes(method.as_bytes()).unwrap(), server.url(api, path));
    for (k, v) in headers {
        req = req.header(*k, v);
    }
    if let Some(body) = body {
        req = req.header("Content-Type", "application/json").body(body.to_string());
    }
    let resp = req.send().await.unwrap();
    (resp.status().as_u16(), resp.text().await.unwrap())
}

/// A concrete path: each `{param}` from `ids`.
fn fill(template: &str, ids: &BTreeMap<&str, String>) -> String {
    template
        .split('/')
        .map(|seg| match seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            Some(name) => ids.get(name).cloned().unwrap_or_else(|| panic!("no id for {{{name}}} in {template}")),
            None => seg.to_string(),
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A plausible body for an operation that takes one (what the owner could send).
fn body_for(operation_id: &str) -> Option<Value> {
    Some(match operation_id {
        "createOrder" => json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 256}}),
        "createDeployment" | "updateDeployment" => json!({"template": TEMPLATE}),
        "resetDeployment" => json!({"status": "DELETE_FAILED"}),
        "performResourceAction" => json!({"type": "stop"}),
        "createSchedule" => {
            json!({"template": TEMPLATE, "fileExpression": "s:n*", "replicationExpression": "R", "numberOfReplicas": 1})
        }
        _ => return None,
    })
}

async fn barbican_create(server: &TestStandin, owner: &[(&str, String)], body: Value) -> (String, Value) {
    let (s, text) = call(server, ApiKind::Barbican, "POST", "/v1/orders", owner, Some(&body)).await;
    assert_eq!(s, 202, "{text}");
    let id = last_segment(serde_json::from_str::<Value>(&text).unwrap()["order_ref"].as_str().unwrap()).to_string();
    let (_, text) = call(server, ApiKind::Barbican, "GET", &format!("/v1/orders/{id}"), owner, None).await;
    (id, serde_json::from_str::<Value>(&text).unwrap())
}

async fn orchestrator_snapshot(
    server: &TestStandin,
    owner: &[(&str, String)],
    deployment: &str,
    schedule: &str,
) -> ((u16, String), (u16, String)) {
    let a = call(server, ApiKind::Orchestrator, "GET", &format!("/deployments/{deployment}"), owner, None).await;
    let b = call(server, ApiKind::Orchestrator, "GET", &format!("/schedules/{schedule}"), owner, None).await;
    (a, b)
}

#[tokio::test]
async fn no_foreign_caller_reads_lists_changes_or_deletes_what_is_not_theirs() {
    let server = TestStandin::start().await;
    let mut pairs = BTreeMap::<&str, usize>::new();
    let mut failures = Vec::new();

    // Barbican: the owner's project has an order with a secret, and an order with a container.
    let owner = [("X-Project-Id", "owner-project".to_string())];
    let (order_id, order) =
        barbican_create(&server, &owner, json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 256}})).await;
    let (_, pair) = barbican_create(
        &server,
        &owner,
        json!({"type": "asymmetric", "meta": {"algorithm": "rsa", "bit_length": 1024}}),
    )
    .await;
    let secret_id = last_segment(order["secret_ref"].as_str().unwrap()).to_string();
    let container_id = last_segment(pair["container_ref"].as_str().unwrap()).to_string();
    let ids: BTreeMap<&str, String> = [
        ("order_id", order_id.clone()),
        ("secret_id", secret_id.clone()),
        ("container_id", container_id.clone()),
        ("version", "v1".into()),
        ("tenantId", "owner-project".into()),
    ]
    .into();
    let owned = [order_id.as_str(), secret_id.as_str(), container_id.as_str()];
    let before = call(&server, ApiKind::Barbican, "GET", "/v1/orders", &owner, None).await;
    let contract = contract_tests::contract::Contract::load("barbican").unwrap();
    for foreign in [
        vec![("X-Project-Id", "intruder".to_string())],
        vec![("X-Auth-Token", standin::barbican::auth::DEFAULT_TOKEN.to_string())],
    ] {
        for op in contract.operations() {
            let path = fill(&op.path, &ids);
            let (status, text) =
                call(&server, ApiKind::Barbican, &op.method, &path, &foreign, body_for(&op.operation_id).as_ref())
                    .await;
            *pairs.entry("barbican").or_default() += 1;
            let leaked = owned.iter().any(|id| text.contains(id) && !path.contains(id));
            // `/{version}/{tenantId}/orders` names the owner's project in its path: still no owner data.
            if leaked || (op.path.contains("_id}") && status < 400) {
                failures.push(format!("barbican {} {path} as another project: {status} {text}", op.method));
            }
        }
    }
    let after = call(&server, ApiKind::Barbican, "GET", "/v1/orders", &owner, None).await;
    if before != after {
        failures.push(format!("barbican: the owner's orders changed: {before:?} -> {after:?}"));
    }

    // Orchestrator: the owner's deployment (with a resource) and schedule.
    let bearer = |t: &str| vec![("Authorization", format!("Bearer {t}"))];
    let owner = bearer(USER_TOKEN);
    let (s, text) =
        call(&server, ApiKind::Orchestrator, "POST", "/deployments", &owner, body_for("createDeployment").as_ref())
            .await;
    assert_eq!(s, 201, "{text}");
    let deployment_id = serde_json::from_str::<Value>(&text).unwrap()["uuid"].as_str().unwrap().to_string();
    let (_, text) =
        call(&server, ApiKind::Orchestrator, "GET", &format!("/deployments/{deployment_id}/resources"), &owner, None)
            .await;
    let resources: Value = serde_json::from_str(&text).unwrap();
    let resource_id = resources["content"][0]["uuid"].as_str().expect("a resource").to_string();
    let (s, text) =
        call(&server, ApiKind::Orchestrator, "POST", "/schedules", &owner, body_for("createSchedule").as_ref()).await;
    assert_eq!(s, 201, "{text}");
    let schedule_id = serde_json::from_str::<Value>(&text).unwrap()["uuid"].as_str().unwrap().to_string();
    let ids: BTreeMap<&str, String> = [
        ("deploymentId", deployment_id.clone()),
        ("resourceId", resource_id.clone()),
        ("scheduleId", schedule_id.clone()),
    ]
    .into();
    let before = orchestrator_snapshot(&server, &owner, &deployment_id, &schedule_id).await;
    let contract = contract_tests::contract::Contract::load("orchestrator").unwrap();
    for (who, token) in [("another organisation", OTHER_ORG_TOKEN), ("a colleague", COLLEAGUE_TOKEN)] {
        for op in contract.operations() {
            let path = fill(&op.path, &ids);
            let changes = op.method != "GET";
            // A colleague of the same organisation may read a deployment, never change it, nor read
            // its log or extra info (owner-only, as the real service).
            let owner_only = changes || path.ends_with("/log") || path.ends_with("/extrainfo");
            if who == "a colleague" && !owner_only {
                continue;
            }
            let (status, text) = call(
                &server,
                ApiKind::Orchestrator,
                &op.method,
                &path,
                &bearer(token),
                body_for(&op.operation_id).as_ref(),
            )
            .await;
            *pairs.entry("orchestrator").or_default() += 1;
            let creates = matches!(op.operation_id.as_str(), "createDeployment" | "createSchedule");
            // An id the path names may be echoed (`The deployment <id> doesn't exist`); no other.
            let leaked = [&deployment_id, &schedule_id, &resource_id]
                .iter()
                .any(|id| text.contains(id.as_str()) && !path.contains(id.as_str()));
            // A list of what belongs to someone else may answer 200, empty.
            let list = op.operation_id.starts_with("list");
            if leaked || (!creates && !list && op.path.contains('{') && status < 400) {
                failures.push(format!("orchestrator {} {path} as {who}: {status} {text}", op.method));
            }
        }
    }
    let after = orchestrator_snapshot(&server, &owner, &deployment_id, &schedule_id).await;
    if before != after {
        failures.push(format!("orchestrator: the owner's deployment or schedule changed: {before:?} -> {after:?}"));
    }

    // Marketplace: read-only public data; a token lacks a scope (403) or has expired (401).
    let contract = contract_tests::contract::Contract::load("marketplace").unwrap();
    for op in contract.operations() {
        let path = op.path.replace("{id}", "1");
        for (who, token) in [
            ("a public-clouds-only token", standin::marketplace::auth::PUBLIC_CLOUDS_TOKEN),
            ("an expired token", standin::marketplace::auth::EXPIRED_TOKEN),
        ] {
            if who.starts_with("a public") && path.contains("public-clouds") {
                continue;
            }
            let (status, text) = call(&server, ApiKind::Marketplace, &op.method, &path, &bearer(token), None).await;
            *pairs.entry("marketplace").or_default() += 1;
            if !(status == 401 || status == 403) {
                failures.push(format!("marketplace {} {path} with {who}: {status} {text}", op.method));
            }
        }
    }

    // Control plane: unauthenticated by design; a project-scoped reset leaves other projects alone.
    let owner = [("X-Project-Id", "owner-project".to_string())];
    let (s, _) = call(
        &server,
        ApiKind::Barbican,
        "POST",
        "/_standin/reset",
        &[],
        Some(&json!({"api": "barbican", "project": "intruder"})),
    )
    .await;
    assert!(s < 300, "{s}");
    *pairs.entry("control").or_default() += 1;
    let (s, _) = call(&server, ApiKind::Barbican, "GET", &format!("/v1/orders/{order_id}"), &owner, None).await;
    if s != 200 {
        failures.push(format!("control: a reset of another project removed the owner's order ({s})"));
    }

    println!("isolation: operation × foreign caller pairs tried: {pairs:?}, {} failures", failures.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
