//! `POST /deployments`: the 201 body, the validation rules and their messages, TOSCA errors, scopes, and the
//! callback notifications.

use reqwest::Method;
use serde_json::{Value, json};
use standin::orchestrator::auth::READ_ONLY_TOKEN;
use standin::orchestrator::lifecycle::Lifecycle;

use super::{Orchestrator, TEMPLATE, callback_listener, error, failing_template, start_with_lifecycle};
use crate::harness::TestStandin;

#[tokio::test]
async fn a_new_deployment_is_in_progress_with_its_links_and_owner() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let resp = o
        .send_json(Method::POST, "/deployments", &json!({"template": TEMPLATE, "userGroup": "g", "callback": ""}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 201);
    assert!(resp.headers().get("location").is_none(), "the real service sends no Location");
    let body: Value = resp.json().await.unwrap();
    let id = body["uuid"].as_str().unwrap();
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(
        keys,
        [
            "uuid",
            "creationTime",
            "updateTime",
            "status",
            "outputs",
            "task",
            "callback",
            "userGroup",
            "createdBy",
            "links"
        ]
    );
    assert_eq!(body["status"], "CREATE_IN_PROGRESS");
    assert_eq!(body["task"], "NONE");
    assert_eq!(body["outputs"], json!({}));
    assert_eq!(body["createdBy"], json!({"issuer": "https://iam.standin.local/", "subject": "standin-user"}));
    let rels: Vec<&str> = body["links"].as_array().unwrap().iter().map(|l| l["rel"].as_str().unwrap()).collect();
    assert_eq!(rels, ["self", "resources", "template"]);
    assert_eq!(body["links"][1]["href"], o.url(&format!("/deployments/{id}/resources?type={{type}}")));
}

#[tokio::test]
async fn resources_start_initial_one_per_node_instance() {
    let server = start_with_lifecycle(Lifecycle::Manual).await;
    let o = Orchestrator::new(&server);
    let scaled = TEMPLATE.replace(
        "      type: tosca.nodes.indigo.Compute\n",
        "      type: tosca.nodes.indigo.Compute\n      capabilities:\n        scalable:\n          properties:\n            count: 2\n",
    );
    let scaled = scaled.replacen("      capabilities:\n        host:", "        host:", 1);
    let id = o.create(&scaled).await;
    let (status, page) = o.get_json(&format!("/deployments/{id}/resources")).await;
    assert_eq!(status, 200, "{page}");
    assert_eq!(page["page"]["totalElements"], 3);
    for r in page["content"].as_array().unwrap() {
        assert_eq!(r["state"], "INITIAL");
        assert_eq!(r["requiredBy"], json!([]));
    }
}

#[tokio::test]
async fn request_rules_give_the_real_messages() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let cases = [
        (
            json!({"template": TEMPLATE, "timeoutMins": 5, "providerTimeoutMins": 10}),
            "ProviderTimeout must be <= Timeout",
        ),
        (
            json!({"template": TEMPLATE, "timeoutMins": 0}),
            "default message [Overall timeout value, if provided, must be at least of 1 minute]",
        ),
        (
            json!({"template": TEMPLATE, "providerTimeoutMins": 0}),
            "must be at least of 1 minute and equal or less than timeoutMins",
        ),
        (
            json!({"template": TEMPLATE, "maxProvidersRetry": 0}),
            "maxProvidersRetry value, if provided, must be at least of 1",
        ),
        (
            json!({"template": TEMPLATE, "callback": "httptest.com"}),
            "Callback value, if provided, must be a valid HTTP or HTTPS URL",
        ),
        (json!({"parameters": {}}), "default message [A TOSCA template must be provided]"),
        (json!({"template": 5}), "JSON parse error:"),
        (json!({"template": TEMPLATE, "timeoutMins": "5"}), "JSON parse error:"),
        (json!({"template": null}), "JSON parse error:"),
    ];
    for (body, message) in cases {
        let (status, reply) = o.call(Method::POST, "/deployments", &body).await;
        assert_eq!(status, 400, "{body}: {reply}");
        assert_eq!(reply["code"], 400);
        assert_eq!(reply["title"], "Bad Request");
        assert!(reply["message"].as_str().unwrap().contains(message), "{body}: {reply}");
    }
    let resp = o.request(Method::POST, "/deployments").header("Content-Type", "application/json").send().await.unwrap();
    let (status, reply) = crate::harness::status_json(resp).await;
    assert_eq!(status, 400);
    assert!(reply["message"].as_str().unwrap().starts_with("Required request body is missing: "), "{reply}");
    let resp =
        o.request(Method::POST, "/deployments").header("Content-Type", "text/plain").body("x").send().await.unwrap();
    let (status, reply) = crate::harness::status_json(resp).await;
    assert_eq!((status, reply), (415, error(415, "Unsupported Media Type", "Content type 'text/plain' not supported")));
}

#[tokio::test]
async fn invalid_templates_and_inputs_are_400_with_the_orchestrator_message() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let (status, reply) =
        o.call(Method::POST, "/deployments", &json!({"template": "tosca_definitions_version: ["})).await;
    assert_eq!(status, 400);
    assert!(reply["message"].as_str().unwrap().starts_with("Error parsing TOSCA template template:\n"), "{reply}");
    let required = TEMPLATE.replace("      type: integer\n      default: 1\n", "      type: integer\n");
    let (status, reply) = o.call(Method::POST, "/deployments", &json!({"template": required})).await;
    assert_eq!(
        (status, reply),
        (
            400,
            error(
                400,
                "Bad Request",
                "Input <cpus> is required and is not present in the user's input list, nor has a default value"
            )
        )
    );
    let (status, _) =
        o.call(Method::POST, "/deployments", &json!({"template": required, "parameters": {"cpus": 2}})).await;
    assert_eq!(status, 201);
}

#[tokio::test]
async fn dependency_loops_are_400_unless_real_500s() {
    let looped = "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    a:\n      type: tosca.nodes.Compute\n      requirements:\n        - dependency: b\n    b:\n      type: tosca.nodes.Compute\n      requirements:\n        - dependency: a\n";
    let message = "Found node depencency loop in TOSCA topology; involved nodes: [a, b]";
    let server = TestStandin::start().await;
    let (status, reply) =
        Orchestrator::new(&server).call(Method::POST, "/deployments", &json!({"template": looped})).await;
    assert_eq!((status, reply), (400, error(400, "Bad Request", message)));
    let server = TestStandin::start_with(|c| c.orchestrator.real_500s = true).await;
    let (status, reply) =
        Orchestrator::new(&server).call(Method::POST, "/deployments", &json!({"template": looped})).await;
    assert_eq!((status, reply), (500, error(500, "Internal Server Error", message)));
}

#[tokio::test]
async fn tokens_and_scopes() {
    let server = TestStandin::start().await;
    let resp = Orchestrator::anonymous(&server)
        .send_json(Method::POST, "/deployments", &json!({"template": TEMPLATE}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 401);
    assert!(resp.headers()["www-authenticate"].to_str().unwrap().contains("error=\"unauthorized\""));
    let reply: Value = resp.json().await.unwrap();
    assert_eq!(reply, error(401, "Unauthorized", "Full authentication is required to access this resource"));

    let (status, reply) = Orchestrator::as_token(&server, "forged")
        .call(Method::POST, "/deployments", &json!({"template": TEMPLATE}))
        .await;
    assert_eq!((status, reply), (401, error(401, "Unauthorized", "Invalid token: forged")));

    let reader = Orchestrator::as_token(&server, READ_ONLY_TOKEN);
    let resp = reader.send_json(Method::POST, "/deployments", &json!({"template": TEMPLATE})).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 403);
    assert!(resp.headers()["www-authenticate"].to_str().unwrap().contains("insufficient_scope"));
    let reply: Value = resp.json().await.unwrap();
    assert_eq!(
        reply,
        error(403, "Forbidden", "Insufficient scope for this resource, scope=\"offline_access fts:submit-transfer\"")
    );
    // The body is validated before the scope.
    let (status, _) = reader.call(Method::POST, "/deployments", &json!({"timeoutMins": 0})).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn the_callback_receives_the_finished_deployment_without_links() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let (url, received) = callback_listener().await;
    let id = o.create_with(json!({"template": TEMPLATE, "callback": url})).await;
    assert_eq!(o.deployment(&id).await["status"], "CREATE_COMPLETE");
    let (request_line, payload) =
        tokio::time::timeout(std::time::Duration::from_secs(10), received).await.unwrap().unwrap();
    assert_eq!(request_line, "POST /callback HTTP/1.1");
    assert_eq!(payload["uuid"], id.as_str());
    assert_eq!(payload["status"], "CREATE_COMPLETE");
    assert_eq!(payload["links"], json!([]));
}

#[tokio::test]
async fn a_failed_creation_is_notified_too_and_an_unreachable_callback_changes_nothing() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let (url, received) = callback_listener().await;
    let id = o.create_with(json!({"template": failing_template("create", "no quota"), "callback": url})).await;
    assert_eq!(o.deployment(&id).await["status"], "CREATE_FAILED");
    let (_, payload) = tokio::time::timeout(std::time::Duration::from_secs(10), received).await.unwrap().unwrap();
    assert_eq!(
        (payload["status"].as_str(), payload["statusReason"].as_str()),
        (Some("CREATE_FAILED"), Some("no quota"))
    );

    let id = o.create_with(json!({"template": TEMPLATE, "callback": "http://127.0.0.1:9/unreachable"})).await;
    assert_eq!(o.deployment(&id).await["status"], "CREATE_COMPLETE");
}
