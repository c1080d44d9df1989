//! `POST /schedules`: 201 `RUNNING`, the three required fields, template validation, scopes.

use reqwest::Method;
use serde_json::json;
use standin::orchestrator::auth::READ_ONLY_TOKEN;

use super::{Orchestrator, TEMPLATE};
use crate::harness::TestStandin;

fn body() -> serde_json::Value {
    json!({"template": TEMPLATE, "fileExpression": "scope:name*", "replicationExpression": "RSE_RECAS", "numberOfReplicas": 1})
}

#[tokio::test]
async fn a_schedule_is_created_running() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let (status, s) = o.call(Method::POST, "/schedules", &body()).await;
    assert_eq!(status, 201, "{s}");
    let keys: Vec<&str> = s.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "uuid",
            "creationTime",
            "updateTime",
            "status",
            "replicationExpression",
            "fileExpression",
            "numberOfReplicas",
            "createdBy",
            "links"
        ]
    );
    assert_eq!(s["status"], "RUNNING");
    assert_eq!(
        s["links"],
        json!([{"rel": "self", "href": o.url(&format!("/schedules/{}", s["uuid"].as_str().unwrap()))}])
    );
}

#[tokio::test]
async fn rules() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let (status, reply) = o.call(Method::POST, "/schedules", &json!({"template": TEMPLATE})).await;
    let message = reply["message"].as_str().unwrap();
    assert_eq!(status, 400);
    assert!(message.contains("with 3 error(s)"), "{message}");
    for m in [
        "The expression to be used to monitor new files available",
        "The expression to be used to replicate the files",
        "The number of file replicas required",
    ] {
        assert!(message.contains(m), "{message}");
    }
    let mut bad = body();
    bad["template"] = json!("tosca_definitions_version: nope\n");
    let (status, reply) = o.call(Method::POST, "/schedules", &bad).await;
    assert!(status == 400 && reply["message"].as_str().unwrap().starts_with("Error parsing TOSCA template"), "{reply}");
    let mut timeouts = body();
    timeouts["timeoutMins"] = json!(5);
    timeouts["providerTimeoutMins"] = json!(10);
    let (status, reply) = o.call(Method::POST, "/schedules", &timeouts).await;
    assert_eq!(
        (status, reply["message"].as_str()),
        (400, Some("ProviderTimeout must be <= Timeout")),
        "O14: as the document says"
    );
    let (status, _) = Orchestrator::as_token(&server, READ_ONLY_TOKEN).call(Method::POST, "/schedules", &body()).await;
    assert_eq!(status, 403);
}
