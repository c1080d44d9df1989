//! `GET /v1/secrets/{id}` and `/payload`: the material an order generated, real and resolvable.

use reqwest::Method;
use serde_json::json;

use super::Barbican;
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
async fn secrets_are_scoped_to_their_project() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("k").await;
    let secret_ref = b.get_json(&format!("/v1/orders/{id}")).await.1["secret_ref"].as_str().unwrap().to_string();
    let path = format!("/v1/secrets/{}", last_segment(&secret_ref));
    assert_eq!(Barbican::new(&server, "p2").get_json(&path).await.0, 404);
    assert_eq!(b.get_json("/v1/secrets/nope").await.0, 404);
}
