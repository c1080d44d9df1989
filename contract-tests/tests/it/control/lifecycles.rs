//! `/_standin/lifecycles` and `POST /_standin/barbican/orders/{id}/advance`: holding orders PENDING
//! and moving them by hand, seen through Barbican's own API.

use reqwest::Method;
use serde_json::json;
use standin::barbican::service::Lifecycle;
use standin::config::ApiKind;

use super::control;
use crate::barbican::Barbican;
use crate::harness::TestStandin;

#[tokio::test]
async fn an_order_driven_to_error_through_the_control_plane_is_seen_through_the_api() {
    let server = TestStandin::start().await;
    let change = json!({"barbican_orders": "manual"});
    assert_eq!(
        control(&server, ApiKind::Barbican, Method::PUT, "/lifecycles", Some(change)).await,
        (200, json!({"barbican_orders": "manual", "orchestrator_deployments": "immediate"}))
    );
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("k").await;
    assert_eq!(b.get_json(&format!("/v1/orders/{id}")).await.1["status"], "PENDING", "held by the manual lifecycle");

    let body = json!({"to": "ERROR", "error_status_code": "503", "error_reason": "HSM unavailable"});
    let (status, moved) =
        control(&server, ApiKind::Barbican, Method::POST, &format!("/barbican/orders/{id}/advance"), Some(body)).await;
    assert_eq!(status, 200, "{moved}");
    assert_eq!((moved["status"].as_str(), moved["project_id"].as_str()), (Some("ERROR"), Some("p1")));

    let (_, order) = b.get_json(&format!("/v1/orders/{id}")).await;
    assert_eq!(order["status"], "ERROR");
    assert_eq!(order["error_status_code"], "503");
    assert_eq!(order["error_reason"], "HSM unavailable");
    assert!(order.get("secret_ref").is_none());

    let again = json!({"to": "next"});
    let (status, body) =
        control(&server, ApiKind::Barbican, Method::POST, &format!("/barbican/orders/{id}/advance"), Some(again)).await;
    assert_eq!(status, 409);
    assert_eq!(body["message"], format!("order {id} is ERROR, not PENDING: only a PENDING order moves"));
}

#[tokio::test]
async fn next_processes_a_held_order_with_real_key_material() {
    let server = TestStandin::start_with(|c| c.barbican.lifecycle = Lifecycle::Manual).await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("k").await;
    let (status, moved) = control(
        &server,
        ApiKind::Barbican,
        Method::POST,
        &format!("/barbican/orders/{id}/advance"),
        Some(json!({"to": "next"})),
    )
    .await;
    assert_eq!((status, moved["status"].as_str()), (200, Some("ACTIVE")));
    let (_, order) = b.get_json(&format!("/v1/orders/{id}")).await;
    assert_eq!(order["status"], "ACTIVE");
    assert_eq!(order["secret_ref"], moved["secret_ref"]);
}

#[tokio::test]
async fn active_is_refused_for_an_order_the_plugins_would_fail() {
    let server = TestStandin::start_with(|c| c.barbican.lifecycle = Lifecycle::Manual).await;
    let b = Barbican::new(&server, "p1");
    let id = b.create(json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 1024}})).await;
    let path = format!("/barbican/orders/{id}/advance");
    let (status, body) = control(&server, ApiKind::Barbican, Method::POST, &path, Some(json!({"to": "ACTIVE"}))).await;
    assert_eq!(status, 409);
    assert!(body["message"].as_str().unwrap().contains("cannot go ACTIVE"), "{body}");
    assert_eq!(b.get_json(&format!("/v1/orders/{id}")).await.1["status"], "PENDING", "still waiting");
}

#[tokio::test]
async fn unknown_orders_and_bad_moves_are_refused() {
    let server = TestStandin::start_with(|c| c.barbican.lifecycle = Lifecycle::Manual).await;
    let missing = format!("/barbican/orders/{}/advance", uuid::Uuid::new_v4());
    assert_eq!(control(&server, ApiKind::Barbican, Method::POST, &missing, Some(json!({"to": "next"}))).await.0, 404);
    let id = Barbican::new(&server, "p1").create_key("k").await;
    let path = format!("/barbican/orders/{id}/advance");
    let (status, _) = control(&server, ApiKind::Barbican, Method::POST, &path, Some(json!({"to": "DONE"}))).await;
    assert_eq!(status, 400);
    let (status, body) =
        control(&server, ApiKind::Barbican, Method::POST, &path, Some(json!({"to": "next", "error_reason": "x"})))
            .await;
    assert_eq!((status, body), (400, json!({"message": "error_status_code and error_reason go with `to: ERROR`"})));
    let bad = json!({"barbican_orders": "sometimes"});
    let (status, body) = control(&server, ApiKind::Barbican, Method::PUT, "/lifecycles", Some(bad)).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().starts_with("barbican_orders: `sometimes`"), "{body}");
}
