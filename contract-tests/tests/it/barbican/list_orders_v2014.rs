//! `GET /{version}/{tenantId}/orders`: the 2014 edition's list.

use super::Barbican;
use crate::harness::TestStandin;

#[tokio::test]
async fn lists_the_tenants_orders_in_the_2014_representation() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "t1");
    b.create_key("k").await;
    let (status, page) = b.get_json("/v1/t1/orders").await;
    assert_eq!(status, 200);
    assert_eq!(page["total"], 1);
    let order = &page["orders"][0];
    let keys: Vec<&String> = order.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["status", "updated", "created", "order_ref", "secret_ref", "secret", "meta", "type"]);
    assert!(order["meta"].is_null());
    assert_eq!(order["secret"]["name"], "k");
    assert_eq!(order["secret"]["bit_length"], 256);
}

#[tokio::test]
async fn another_tenant_or_version_is_refused() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "t1");
    assert_eq!(b.get_json("/v1/t2/orders").await.0, 401, "the path's tenant must be the caller's");
    assert_eq!(b.get_json("/v2/t1/orders").await.0, 404);
}
