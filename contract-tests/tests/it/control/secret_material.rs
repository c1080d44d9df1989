//! `GET /_standin/barbican/secrets/{id}/material`: the key material standin generated.

use base64::Engine;
use reqwest::Method;
use serde_json::json;
use standin::config::ApiKind;

use super::control;
use crate::barbican::Barbican;
use crate::harness::{TestStandin, last_segment};

#[tokio::test]
async fn the_material_is_the_payload_barbican_serves() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("k").await;
    let (_, order) = b.get_json(&format!("/v1/orders/{id}")).await;
    let secret_id = last_segment(order["secret_ref"].as_str().unwrap()).to_string();
    let (status, material) =
        control(&server, ApiKind::Barbican, Method::GET, &format!("/barbican/secrets/{secret_id}/material"), None)
            .await;
    assert_eq!(status, 200);
    assert_eq!((material["bytes"].as_u64(), material["secret_type"].as_str()), (Some(32), Some("symmetric")));
    let decoded =
        base64::engine::general_purpose::STANDARD.decode(material["payload_base64"].as_str().unwrap()).unwrap();
    let payload = b
        .request(Method::GET, &format!("/v1/secrets/{secret_id}/payload"))
        .header("Accept", "application/octet-stream")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    assert_eq!(decoded, payload.to_vec());
}

#[tokio::test]
async fn an_unknown_secret_is_a_404() {
    let server = TestStandin::start().await;
    for id in [uuid::Uuid::new_v4().to_string(), "not-a-uuid".to_string()] {
        let reply =
            control(&server, ApiKind::Barbican, Method::GET, &format!("/barbican/secrets/{id}/material"), None).await;
        assert_eq!(reply, (404, json!({"message": format!("no secret {id}")})));
    }
}
