//! `GET /v1/secrets/{id}` and `/payload`: the material an order generated, real and resolvable.

use reqwest::Method;
use serde_json::json;

use super::{Barbican, error};
use crate::harness::{TestStandin, last_segment};

#[tokio::test]
async fn a_key_orders_secret_holds_random_bytes_of_the_requested_length() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let mut payloads = Vec::new();
    for _ in 0..2 {
        let id = b
            .create(json!({"type": "key", "meta": {"name": "k", "algorithm": "aes", "bit_length": 192, "mode": "cbc"}}))
            .await;
        let (_, order) = b.get_json(&format!("/v1/orders/{id}")).await;
        let secret_ref = order["secret_ref"].as_str().unwrap();
        let secret_id = last_segment(secret_ref);
        let (status, secret) = b.get_json(&format!("/v1/secrets/{secret_id}")).await;
        assert_eq!(status, 200);
        assert_eq!(secret["secret_ref"], secret_ref);
        assert_eq!(secret["secret_type"], "symmetric");
        assert_eq!(secret["algorithm"], "aes");
        assert_eq!(secret["bit_length"], 192);
        assert_eq!(secret["content_types"], json!({"default": "application/octet-stream"}));
        let resp = b.request(Method::GET, &format!("/v1/secrets/{secret_id}/payload")).send().await.unwrap();
        assert_eq!(resp.status(), 200);
        assert_eq!(resp.headers()["content-type"], "application/octet-stream");
        let bytes = resp.bytes().await.unwrap();
        assert_eq!(bytes.len(), 24, "192 bits");
        payloads.push(bytes);
    }
    assert_ne!(payloads[0], payloads[1], "key material is random");
}

#[tokio::test]
async fn another_projects_secret_is_forbidden_and_unknown_ids_are_not_found() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("k").await;
    let secret_ref = b.get_json(&format!("/v1/orders/{id}")).await.1["secret_ref"].as_str().unwrap().to_string();
    let path = format!("/v1/secrets/{}", last_segment(&secret_ref));
    let other = Barbican::new(&server, "p2");
    assert_eq!(
        other.get_json(&path).await,
        (
            403,
            error(
                403,
                "Forbidden",
                "Secret retrieval attempt not allowed - please review your user/project privileges"
            )
        )
    );
    assert_eq!(
        other.get_json(&format!("{path}/payload")).await,
        (
            403,
            error(
                403,
                "Forbidden",
                "Secret payload retrieval attempt not allowed - please review your user/project privileges"
            )
        )
    );
    assert_eq!(
        b.get_json("/v1/secrets/nope").await,
        (404, error(404, "Not Found", "Not Found. Provided secret id is invalid."))
    );
    assert_eq!(
        b.get_json(&format!("/v1/secrets/{}", uuid::Uuid::new_v4())).await,
        (404, error(404, "Not Found", "Secret not found."))
    );
}

#[tokio::test]
async fn consumers_are_listed_only_at_microversion_1_1() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("k").await;
    let secret_ref = b.get_json(&format!("/v1/orders/{id}")).await.1["secret_ref"].as_str().unwrap().to_string();
    let path = format!("/v1/secrets/{}", last_segment(&secret_ref));
    let (_, plain) = b.get_json(&path).await;
    let keys: Vec<&String> = plain.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "created",
            "updated",
            "status",
            "name",
            "secret_type",
            "expiration",
            "algorithm",
            "bit_length",
            "mode",
            "creator_id",
            "content_types",
            "secret_ref"
        ]
    );
    assert!(plain["creator_id"].is_null(), "null, not absent, when no X-User-Id was sent");
    let resp = b.request(Method::GET, &path).header("OpenStack-API-Version", "key-manager 1.1").send().await.unwrap();
    let v11: serde_json::Value = resp.json().await.unwrap();
    assert_eq!(v11["consumers"], json!([]));
}

#[tokio::test]
async fn the_payload_answers_the_accept_header_as_barbican_does() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("k").await;
    let secret_ref = b.get_json(&format!("/v1/orders/{id}")).await.1["secret_ref"].as_str().unwrap().to_string();
    let path = format!("/v1/secrets/{}/payload", last_segment(&secret_ref));
    for accept in ["application/octet-stream", "*/*"] {
        let resp = b.request(Method::GET, &path).header("Accept", accept).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{accept}");
        assert_eq!(resp.headers()["content-type"], "application/octet-stream");
        assert_eq!(resp.bytes().await.unwrap().len(), 32);
    }
    // Random key bytes are not text: asking for text is a 406, as on the real Barbican.
    for accept in ["text/plain", "application/json"] {
        let resp = b.request(Method::GET, &path).header("Accept", accept).send().await.unwrap();
        assert_eq!(
            crate::harness::status_json(resp).await,
            (406, error(406, "Not Acceptable", "Secret payload retrieval issue seen - Wrong payload content-type.")),
            "{accept}"
        );
    }
}
