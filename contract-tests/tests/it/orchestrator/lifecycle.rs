//! The simulated lifecycle across operations: how fast it moves (immediately, after N polls, after N seconds,
//! held), the `task` and resource states along the way, failures a template asks for, and survival of a restart.

use serde_json::json;
use standin::orchestrator::lifecycle::Lifecycle;
use standin::storage::StorageLocation;

use super::{Orchestrator, TEMPLATE, failing_template, start_with_lifecycle};
use crate::harness::TestStandin;

async fn resource_states(o: &Orchestrator<'_>, id: &str) -> Vec<String> {
    let (_, page) = o.get_json(&format!("/deployments/{id}/resources?sort=toscaNodeName,asc")).await;
    page["content"].as_array().unwrap().iter().map(|r| r["state"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn after_polls_shows_the_deploy_step_then_completes() {
    let server = start_with_lifecycle(Lifecycle::AfterPolls(2)).await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    let first = o.deployment(&id).await;
    assert_eq!((first["status"].as_str(), first["task"].as_str()), (Some("CREATE_IN_PROGRESS"), Some("DEPLOYER")));
    assert!(first["physicalId"].is_string() && first["cloudProviderName"].is_string());
    assert_eq!(resource_states(&o, &id).await, ["CREATING", "CREATING"]);
    let done = o.deployment(&id).await;
    assert_eq!((done["status"].as_str(), done["task"].as_str()), (Some("CREATE_COMPLETE"), Some("NONE")));
    assert_eq!(resource_states(&o, &id).await, ["STARTED", "STARTED"]);
}

#[tokio::test]
async fn manual_holds_and_after_seconds_waits() {
    let server = start_with_lifecycle(Lifecycle::Manual).await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    for _ in 0..3 {
        let d = o.deployment(&id).await;
        assert_eq!((d["status"].as_str(), d["task"].as_str()), (Some("CREATE_IN_PROGRESS"), Some("NONE")));
    }
    let server = start_with_lifecycle(Lifecycle::AfterSeconds(0.3)).await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    assert_eq!(o.deployment(&id).await["status"], "CREATE_IN_PROGRESS");
    tokio::time::sleep(std::time::Duration::from_millis(400)).await;
    assert_eq!(o.deployment(&id).await["status"], "CREATE_COMPLETE");
}

#[tokio::test]
async fn a_template_can_ask_for_a_failed_creation() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create(&failing_template("create", "Retries on cloud providers exhausted")).await;
    let d = o.deployment(&id).await;
    assert_eq!(d["status"], "CREATE_FAILED");
    assert_eq!(d["statusReason"], "Retries on cloud providers exhausted");
    assert_eq!(d["outputs"], json!({}));
    assert_eq!(resource_states(&o, &id).await, ["ERROR", "ERROR"]);
    let without_reason = failing_template("create", "x").replace("  standin_fail_reason: x\n", "");
    let id = o.create(&without_reason).await;
    assert!(
        o.deployment(&id).await["statusReason"].as_str().unwrap().starts_with("Retries on cloud providers exhausted.")
    );
}

#[tokio::test]
async fn a_pending_step_survives_a_restart() {
    let dir = std::env::temp_dir().join(format!("standin-orchestrator-{}", uuid::Uuid::new_v4()));
    let start = |lifecycle: Lifecycle| {
        let dir = dir.clone();
        TestStandin::start_with(move |c| {
            c.storage = StorageLocation::DataDir(dir);
            c.orchestrator.lifecycle = lifecycle;
        })
    };
    let server = start(Lifecycle::AfterPolls(1)).await;
    let id = Orchestrator::new(&server).create(TEMPLATE).await;
    server.standin.shutdown().await.unwrap();
    let server = start(Lifecycle::Manual).await;
    let o = Orchestrator::new(&server);
    assert_eq!(o.deployment(&id).await["status"], "CREATE_IN_PROGRESS");
    assert_eq!(o.deployment(&id).await["status"], "CREATE_COMPLETE", "the stored rule, not the new setting, decides");
    server.standin.shutdown().await.unwrap();
    let _ = std::fs::remove_dir_all(&dir);
}
