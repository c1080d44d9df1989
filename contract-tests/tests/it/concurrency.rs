//! Concurrency (issue 10): concurrent updates, resource actions and deletes of the same deployment
//! lose nothing and double nothing; concurrent creates never share an id. Figures are printed.

use std::collections::HashSet;

use reqwest::Method;
use serde_json::{Value, json};

use crate::harness::TestStandin;
use crate::orchestrator::{Orchestrator, TEMPLATE};

#[tokio::test]
async fn concurrent_update_action_and_delete_of_one_deployment() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let mut rounds_summary = (0, 0, 0);
    for round in 0..10 {
        let id = o.create_complete(TEMPLATE).await;
        let (_, resources) = o.get_json(&format!("/deployments/{id}/resources")).await;
        let vm = resources["content"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["toscaNodeType"].as_str().is_some_and(|t| t.contains("Compute")))
            .map(|r| r["uuid"].as_str().unwrap().to_string())
            .expect("a compute resource");
        let mut tasks = Vec::new();
        for k in 0..12 {
            let (method, path, body) = match k % 3 {
                0 => (
                    Method::PUT,
                    format!("/deployments/{id}"),
                    json!({"template": TEMPLATE, "parameters": {"cpus": k}}),
                ),
                1 => (Method::POST, format!("/deployments/{id}/resources/{vm}/actions"), json!({"type": "stop"})),
                _ => (Method::DELETE, format!("/deployments/{id}"), Value::Null),
            };
            let server_url = o.url(&path);
            let http = server.http.clone();
            tasks.push(tokio::spawn(async move {
                let mut req =
                    http.request(method.clone(), server_url).bearer_auth(standin::orchestrator::auth::USER_TOKEN);
                if !body.is_null() {
                    req = req.header("Content-Type", "application/json").body(body.to_string());
                }
                let resp = req.send().await.unwrap();
                (method, resp.status().as_u16())
            }));
        }
        let mut accepted_deletes = 0;
        let mut accepted_changes = 0;
        for t in tasks {
            let (method, status) = t.await.unwrap();
            assert!(status < 500, "{method} answered {status}");
            assert!([202, 204, 404, 409].contains(&status), "{method} answered {status}");
            if status == 202 || status == 204 {
                if method == Method::DELETE {
                    accepted_deletes += 1;
                } else {
                    accepted_changes += 1;
                }
            }
        }
        // The first change wins the state machine; the others are refused with 409, not lost or doubled.
        assert!(accepted_deletes + accepted_changes >= 1, "round {round}: nothing was accepted");
        assert!(accepted_deletes <= 1, "round {round}: {accepted_deletes} deletes accepted");
        // Read until the deployment settles: either gone (the delete won) or in a final, single state.
        let (status, d) = o.get_json(&format!("/deployments/{id}")).await;
        let (status, d) = if status == 200 { o.get_json(&format!("/deployments/{id}")).await } else { (status, d) };
        assert!(status == 200 || status == 404, "{status} {d}");
        if accepted_deletes == 1 {
            assert!(status == 404 || d["status"].as_str().is_some_and(|s| s.starts_with("DELETE")), "{d}");
        }
        rounds_summary.0 += accepted_changes;
        rounds_summary.1 += accepted_deletes;
        rounds_summary.2 += 12 - accepted_changes - accepted_deletes;
    }
    println!(
        "concurrency: 10 rounds × 12 concurrent update/action/delete on one deployment: {} changes and {} deletes accepted, {} refused (409/404), no 5xx, never two accepted deletes",
        rounds_summary.0, rounds_summary.1, rounds_summary.2
    );
}

#[tokio::test]
async fn concurrent_creates_never_share_an_id() {
    let server = TestStandin::start().await;
    let mut tasks = Vec::new();
    for w in 0..16 {
        let http = server.http.clone();
        let orch = server.url(standin::config::ApiKind::Orchestrator, "/deployments");
        let barb = server.url(standin::config::ApiKind::Barbican, "/v1/orders");
        tasks.push(tokio::spawn(async move {
            let mut ids = Vec::new();
            for i in 0..15 {
                let resp = http
                    .post(&orch)
                    .bearer_auth(standin::orchestrator::auth::USER_TOKEN)
                    .json(&json!({"template": TEMPLATE, "parameters": {"cpus": w * 100 + i}}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(resp.status(), 201);
                ids.push(resp.json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_string());
                let resp = http
                    .post(&barb)
                    .header("X-Project-Id", "p")
                    .json(&json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 128}}))
                    .send()
                    .await
                    .unwrap();
                assert_eq!(resp.status(), 202);
                ids.push(resp.json::<Value>().await.unwrap()["order_ref"].as_str().unwrap().to_string());
            }
            ids
        }));
    }
    let mut all = HashSet::new();
    let mut n = 0;
    for t in tasks {
        for id in t.await.unwrap() {
            n += 1;
            assert!(all.insert(id.clone()), "duplicate id {id}");
        }
    }
    println!("concurrency: {n} concurrent creates (16 writers, deployments and orders), {} distinct ids", all.len());
}
