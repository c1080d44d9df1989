//! `DELETE /v1/orders/{id}`: 204 with no body, a soft delete that leaves the secret, scoping and policy.

use reqwest::Method;

use super::{Barbican, error};
use crate::harness::{TestStandin, last_segment};

#[tokio::test]
async fn deletes_softly_and_keeps_the_secret() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("k").await;
    let (_, order) = b.get_json(&format!("/v1/orders/{id}")).await;
    let secret_id = last_segment(order["secret_ref"].as_str().unwrap()).to_string();

    let resp = b.request(Method::DELETE, &format!("/v1/orders/{id}")).send().await.unwrap();
    assert_eq!(resp.status(), 204);
    assert!(resp.headers().get("content-type").is_none());
    assert!(resp.bytes().await.unwrap().is_empty());

    assert_eq!(b.get_json(&format!("/v1/orders/{id}")).await, (404, error(404, "Not Found", "Order not found.")));
    assert_eq!(b.get_json("/v1/orders").await.1["total"], 0);
    assert_eq!(b.get_json(&format!("/v1/secrets/{secret_id}")).await.0, 200, "the secret outlives its order");
    let again = b.request(Method::DELETE, &format!("/v1/orders/{id}")).send().await.unwrap();
    assert_eq!(again.status(), 404);
}

#[tokio::test]
async fn only_the_owning_project_and_admin_may_delete() {
    let server = TestStandin::start().await;
    let id = Barbican::new(&server, "p1").create_key("k").await;
    let foreign =
        Barbican::new(&server, "p2").request(Method::DELETE, &format!("/v1/orders/{id}")).send().await.unwrap();
    assert_eq!(foreign.status(), 404);
    let creator = Barbican::new(&server, "p1")
        .with_roles("creator")
        .request(Method::DELETE, &format!("/v1/orders/{id}"))
        .send()
        .await
        .unwrap();
    assert_eq!(creator.status(), 403);
    let body: serde_json::Value = creator.json().await.unwrap();
    assert_eq!(
        body,
        error(403, "Forbidden", "Order deletion attempt not allowed - please review your user/project privileges")
    );
    assert_eq!(Barbican::new(&server, "p1").get_json(&format!("/v1/orders/{id}")).await.0, 200, "still there");
}
