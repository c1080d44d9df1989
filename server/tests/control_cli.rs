//! The control plane from the command line: `standin export`, `reset`, `load`, `advance` and
//! `journal` against a running standin (started in this process, on ephemeral ports).

use std::process::Command;

use serde_json::{Value, json};
use standin::barbican::service::Lifecycle;
use standin::config::{ApiKind, Config};
use standin::serve::Standin;

fn standin(url: &str, args: &[&str]) -> Value {
    let out = Command::new(env!("CARGO_BIN_EXE_standin")).args(args).env("STANDIN_URL", url).output().unwrap();
    assert!(out.status.success(), "standin {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

async fn create(http: &reqwest::Client, url: &str) -> String {
    let resp = http
        .post(format!("{url}/v1/orders"))
        .header("X-Project-Id", "p1")
        .header("Content-Type", "application/json")
        .body(r#"{"type": "key", "meta": {"algorithm": "aes", "bit_length": 256}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    let body: Value = resp.json().await.unwrap();
    body["order_ref"].as_str().unwrap().rsplit('/').next().unwrap().to_string()
}

async fn order(http: &reqwest::Client, url: &str, id: &str) -> (u16, Value) {
    let resp = http.get(format!("{url}/v1/orders/{id}")).header("X-Project-Id", "p1").send().await.unwrap();
    (resp.status().as_u16(), resp.json().await.unwrap())
}

#[tokio::test(flavor = "multi_thread")]
async fn export_reset_load_and_advance_from_the_command_line() {
    let mut config = Config::ephemeral_for_tests();
    config.barbican.lifecycle = Lifecycle::Manual;
    let server = Standin::start(config).await.unwrap();
    let url = server.base_url(ApiKind::Barbican);
    let http = reqwest::Client::new();
    let id = create(&http, &url).await;

    let dir = std::env::temp_dir().join(format!("standin-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("state.yaml");
    let file = file.to_str().unwrap();
    assert_eq!(standin(&url, &["export", file])["rows"].as_u64().map(|n| n >= 2), Some(true));
    assert!(std::fs::read_to_string(file).unwrap().starts_with("format: standin-state/1"), "YAML by extension");

    assert_eq!(
        standin(&url, &["reset"]),
        json!({"barbican_orders": 1, "orchestrator_deployments": 0, "orchestrator_schedules": 0, "marketplace_services": 0})
    );
    assert_eq!(order(&http, &url, &id).await.0, 404);
    assert_eq!(standin(&url, &["load", file])["rows"]["barbican_orders"], 1);
    assert_eq!(order(&http, &url, &id).await.1["status"], "PENDING", "back, still held");

    let moved =
        standin(&url, &["advance", "order", &id, "--to", "ERROR", "--status-code", "503", "--reason", "HSM down"]);
    assert_eq!(moved["status"], "ERROR");
    let (_, seen) = order(&http, &url, &id).await;
    assert_eq!((seen["error_status_code"].as_str(), seen["error_reason"].as_str()), (Some("503"), Some("HSM down")));

    let journal = standin(&url, &["journal", "--limit", "3"]);
    assert_eq!(journal["entries"].as_array().unwrap().len(), 3);

    // A failing call is a non-zero exit with the control plane's message.
    let out = Command::new(env!("CARGO_BIN_EXE_standin"))
        .args(["advance", "order", &id, "--to", "next"])
        .env("STANDIN_URL", &url)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not PENDING"), "{}", String::from_utf8_lossy(&out.stderr));
    std::fs::remove_dir_all(&dir).unwrap();
    server.shutdown().await.unwrap();
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deployment_is_advanced_and_docs_fixtures_loaded_from_the_command_line() {
    let mut config = Config::ephemeral_for_tests();
    config.orchestrator.lifecycle = standin::orchestrator::lifecycle::Lifecycle::Manual;
    let server = Standin::start(config).await.unwrap();
    let url = server.base_url(ApiKind::Orchestrator);
    let http = reqwest::Client::new();
    let token = standin::orchestrator::auth::USER_TOKEN;
    let template = "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    vm:\n      type: tosca.nodes.indigo.Compute\n";
    let resp = http
        .post(format!("{url}/deployments"))
        .bearer_auth(token)
        .json(&json!({ "template": template }))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let id = resp.json::<Value>().await.unwrap()["uuid"].as_str().unwrap().to_string();

    let moved = standin(&url, &["advance", "deployment", &id, "--to", "CREATE_FAILED", "--reason", "no quota"]);
    assert_eq!(moved, json!({"deployment_id": id, "status": "CREATE_FAILED", "status_reason": "no quota"}));
    let seen: Value =
        http.get(format!("{url}/deployments/{id}")).bearer_auth(token).send().await.unwrap().json().await.unwrap();
    assert_eq!((seen["status"].as_str(), seen["statusReason"].as_str()), (Some("CREATE_FAILED"), Some("no quota")));

    let loaded = standin(&url, &["load", "--set", "docs"]);
    assert_eq!(loaded["loaded"]["orchestrator_deployments"], 10);
    let reset =
        standin(&url, &["reset", "--api", "orchestrator", "--owner", "standin-user@https://iam.standin.local/"]);
    assert_eq!(reset["orchestrator_deployments"], 1, "{reset}");
    server.shutdown().await.unwrap();
}
