//! `/_standin/faults`: forced statuses in each API's error body, delays, dropped connections, and
//! the per-request headers.

use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::json;
use standin::config::ApiKind;

use super::control;
use crate::barbican::Barbican;
use crate::harness::{TestStandin, status_json};

#[tokio::test]
async fn a_forced_status_answers_in_barbicans_body_for_its_times_then_expires() {
    let server = TestStandin::start().await;
    let rule = json!({"api": "barbican", "operation_id": "listOrders", "status": 503, "times": 2});
    let (status, added) = control(&server, ApiKind::Barbican, Method::POST, "/faults", Some(rule)).await;
    assert_eq!(status, 201);
    assert!(uuid::Uuid::parse_str(added["id"].as_str().unwrap()).is_ok());
    let b = Barbican::new(&server, "p1");
    let expected = json!({"code": 503, "title": "Service Unavailable", "description": "Service Unavailable (injected by standin)"});
    for _ in 0..2 {
        assert_eq!(b.get_json("/v1/orders").await, (503, expected.clone()));
    }
    assert_eq!(b.get_json("/v1/orders").await.0, 200, "used up after two");
    assert_eq!(control(&server, ApiKind::Barbican, Method::GET, "/faults", None).await, (200, json!([])));
    // Other operations were never affected.
    b.create_key("k").await;
}

#[tokio::test]
async fn a_delay_holds_the_answer_back_and_can_be_removed() {
    let server = TestStandin::start().await;
    let rule = json!({"api": "barbican", "delay_ms": 300});
    let (_, added) = control(&server, ApiKind::Barbican, Method::POST, "/faults", Some(rule)).await;
    let b = Barbican::new(&server, "p1");
    let started = Instant::now();
    assert_eq!(b.get_json("/v1/orders").await.0, 200);
    assert!(started.elapsed() >= Duration::from_millis(300), "{:?}", started.elapsed());
    // The control plane itself is never delayed.
    let started = Instant::now();
    let path = format!("/faults/{}", added["id"].as_str().unwrap());
    assert_eq!(control(&server, ApiKind::Barbican, Method::DELETE, &path, None).await.0, 204);
    assert!(started.elapsed() < Duration::from_millis(300));
    assert_eq!(control(&server, ApiKind::Barbican, Method::DELETE, &path, None).await.0, 404, "gone");
}

#[tokio::test]
async fn a_dropped_connection_is_an_error_for_the_client_and_a_0_in_the_journal() {
    let server = TestStandin::start().await;
    let rule = json!({"api": "barbican", "operation_id": "getVersions", "drop_connection": true});
    assert_eq!(control(&server, ApiKind::Barbican, Method::POST, "/faults", Some(rule)).await.0, 201);
    let result = async { server.http.get(server.url(ApiKind::Barbican, "/")).send().await?.bytes().await }.await;
    assert!(result.is_err(), "the client sees no complete answer: {result:?}");
    let (_, page) = control(&server, ApiKind::Barbican, Method::GET, "/journal?api=barbican", None).await;
    let dropped: Vec<_> = page["entries"].as_array().unwrap().iter().filter(|e| e["path"] == "/").collect();
    assert!(
        !dropped.is_empty() && dropped.iter().all(|e| e["status"] == 0 && e["operation_id"] == "getVersions"),
        "{page}"
    );
    assert_eq!(control(&server, ApiKind::Barbican, Method::DELETE, "/faults", None).await.0, 204);
    assert_eq!(server.http.get(server.url(ApiKind::Barbican, "/")).send().await.unwrap().status(), 300);
}

#[tokio::test]
async fn each_api_gets_its_own_error_body() {
    let server = TestStandin::start().await;
    for api in ["marketplace", "orchestrator"] {
        let rule = json!({"api": api, "status": 500});
        assert_eq!(control(&server, ApiKind::Barbican, Method::POST, "/faults", Some(rule)).await.0, 201);
    }
    let market =
        server.http.get(server.url(ApiKind::Marketplace, "/api/v1/marketplace/public-clouds")).send().await.unwrap();
    assert_eq!(status_json(market).await, (500, json!({"message": "Internal Server Error (injected by standin)"})));
    let orch = server.http.get(server.url(ApiKind::Orchestrator, "/deployments")).send().await.unwrap();
    let body = json!({"code": 500, "title": "Internal Server Error", "message": "Internal Server Error (injected by standin)"});
    assert_eq!(status_json(orch).await, (500, body));
}

#[tokio::test]
async fn rules_that_cannot_apply_are_refused_with_a_reason() {
    let server = TestStandin::start().await;
    for (rule, message) in [
        (json!({"api": "barbican"}), "a rule needs at least one of status, delay_ms or drop_connection"),
        (
            json!({"api": "barbican", "operation_id": "createSecret", "status": 500}),
            "barbican has no operation `createSecret`",
        ),
        (
            json!({"api": "barbican", "delay_ms": 50, "delay_max_ms": 10}),
            "delay_max_ms needs delay_ms, and must not be below it",
        ),
    ] {
        assert_eq!(
            control(&server, ApiKind::Barbican, Method::POST, "/faults", Some(rule)).await,
            (400, json!({"message": message}))
        );
    }
    let (status, _) =
        control(&server, ApiKind::Barbican, Method::POST, "/faults", Some(json!({"api": "barbican", "status": 200})))
            .await;
    assert_eq!(status, 400, "only error statuses can be forced");
}

#[tokio::test]
async fn fault_headers_act_only_when_enabled() {
    let off = TestStandin::start().await;
    let b = Barbican::new(&off, "p1");
    let resp = b.request(Method::GET, "/v1/orders").header("X-Standin-Status", "418").send().await.unwrap();
    assert_eq!(resp.status(), 200, "ignored by default");

    let on = TestStandin::start_with(|c| c.control.fault_headers = true).await;
    let b = Barbican::new(&on, "p1");
    let started = Instant::now();
    let resp = b
        .request(Method::GET, "/v1/orders")
        .header("X-Standin-Status", "418")
        .header("X-Standin-Delay", "150")
        .send()
        .await
        .unwrap();
    assert!(started.elapsed() >= Duration::from_millis(150));
    assert_eq!(resp.headers()["x-standin-fault"], "injected");
    let body = json!({"code": 418, "title": "I'm a teapot", "description": "I'm a teapot (injected by standin)"});
    assert_eq!(status_json(resp).await, (418, body));
}
