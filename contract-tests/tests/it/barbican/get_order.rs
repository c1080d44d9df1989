//! `GET /v1/orders/{id}`: the representation, project scoping, not-found cases and the lifecycle.

use serde_json::json;
use standin::barbican::service::Lifecycle;

use super::{Barbican, error};
use crate::harness::TestStandin;

fn not_found() -> (u16, serde_json::Value) {
    (404, error(404, "Not Found", "Order not found."))
}

#[tokio::test]
async fn an_active_key_order_has_exactly_barbicans_keys_sorted() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let resp = b
        .post_json("/v1/orders", &json!({"type": "key", "meta": {"name": "k", "algorithm": "aes", "bit_length": 256}}))
        .header("X-User-Id", "user-1")
        .send()
        .await
        .unwrap();
    let id = crate::harness::last_segment(resp.headers()["location"].to_str().unwrap()).to_string();
    let (status, order) = b.get_json(&format!("/v1/orders/{id}")).await;
    assert_eq!(status, 200);
    let keys: Vec<&String> = order.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "created",
            "creator_id",
            "meta",
            "order_ref",
            "secret_ref",
            "status",
            "sub_status",
            "sub_status_message",
            "type",
            "updated"
        ]
    );
    assert_eq!(order["creator_id"], "user-1");
    assert_eq!(order["order_ref"], format!("http://localhost:9311/v1/orders/{id}"));
    let created = order["created"].as_str().unwrap();
    assert!(
        chrono::NaiveDateTime::parse_from_str(created, "%Y-%m-%dT%H:%M:%S").is_ok(),
        "seconds, as documented: {created}"
    );
}

#[tokio::test]
async fn microsecond_timestamps_on_request() {
    let server =
        TestStandin::start_with(|c| c.barbican.timestamps = standin::barbican::model::TimestampStyle::Microseconds)
            .await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("k").await;
    let (_, order) = b.get_json(&format!("/v1/orders/{id}")).await;
    let created = order["created"].as_str().unwrap();
    assert!(chrono::NaiveDateTime::parse_from_str(created, "%Y-%m-%dT%H:%M:%S%.f").is_ok(), "{created}");
    assert!(order["updated"].as_str().unwrap() >= created, "updated is not before created");
}

#[tokio::test]
async fn unknown_malformed_and_foreign_ids_are_not_found() {
    let server = TestStandin::start().await;
    let mine = Barbican::new(&server, "p1");
    let id = mine.create_key("k").await;
    assert_eq!(Barbican::new(&server, "p2").get_json(&format!("/v1/orders/{id}")).await, not_found());
    assert_eq!(mine.get_json(&format!("/v1/orders/{}", uuid::Uuid::new_v4())).await, not_found());
    assert_eq!(mine.get_json("/v1/orders/not-a-uuid").await, not_found());
    assert_eq!(mine.get_json(&format!("/v1/orders/{id}/")).await.0, 200, "a trailing slash is the same order");
}

#[tokio::test]
async fn orders_can_wait_pending_for_a_number_of_reads() {
    let server = TestStandin::start_with(|c| c.barbican.lifecycle = Lifecycle::AfterPolls(2)).await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("slow").await;
    for read in 1..=2 {
        let (_, order) = b.get_json(&format!("/v1/orders/{id}")).await;
        assert_eq!(order["status"], "PENDING", "read {read}");
        let keys: Vec<&String> = order.as_object().unwrap().keys().collect();
        assert_eq!(keys, ["created", "meta", "order_ref", "status", "type", "updated"], "a PENDING order's keys");
    }
    let (_, order) = b.get_json(&format!("/v1/orders/{id}")).await;
    assert_eq!(order["status"], "ACTIVE", "the third read sees the result");
    assert!(order["secret_ref"].is_string());
}

#[tokio::test]
async fn manual_orders_stay_pending() {
    let server = TestStandin::start_with(|c| c.barbican.lifecycle = Lifecycle::Manual).await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("held").await;
    for _ in 0..3 {
        assert_eq!(b.get_json(&format!("/v1/orders/{id}")).await.1["status"], "PENDING");
    }
    assert_eq!(b.get_json("/v1/orders").await.1["orders"][0]["status"], "PENDING");
}

#[tokio::test]
async fn the_audit_role_may_read_an_order_but_member_may_not() {
    let server = TestStandin::start().await;
    let id = Barbican::new(&server, "p1").create_key("k").await;
    assert_eq!(Barbican::new(&server, "p1").with_roles("audit").get_json(&format!("/v1/orders/{id}")).await.0, 200);
    assert_eq!(
        Barbican::new(&server, "p1").with_roles("member").get_json(&format!("/v1/orders/{id}")).await,
        (
            403,
            error(403, "Forbidden", "Order retrieval attempt not allowed - please review your user/project privileges")
        )
    );
}
