//! `GET /_standin/journal` and `DELETE /_standin/journal`: the bounded request journal.

use reqwest::Method;
use serde_json::json;
use standin::config::ApiKind;

use super::control;
use crate::barbican::Barbican;
use crate::harness::TestStandin;

#[tokio::test]
async fn the_journal_records_method_path_operation_and_status_but_no_query_or_headers() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    b.create_key("k").await;
    b.get_json("/v1/orders?limit=1&secret=shh").await;
    b.get_json("/v1/orders/not-an-id").await;
    let (status, page) = control(&server, ApiKind::Barbican, Method::GET, "/journal?api=barbican", None).await;
    assert_eq!(status, 200);
    let entries = page["entries"].as_array().unwrap();
    let seen: Vec<_> = entries
        .iter()
        .map(|e| {
            (
                e["method"].as_str().unwrap(),
                e["path"].as_str().unwrap(),
                e["operation_id"].as_str(),
                e["status"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("POST", "/v1/orders", Some("createOrder"), 202),
            ("GET", "/v1/orders", Some("listOrders"), 200),
            ("GET", "/v1/orders/not-an-id", Some("getOrder"), 404),
        ]
    );
    assert!(!page.to_string().contains("shh"), "no query strings");
    assert!(!page.to_string().contains("p1"), "no headers");
    assert!(entries.iter().all(|e| e["api"] == "barbican" && e["micros"].as_u64().is_some()));
}

#[tokio::test]
async fn the_journal_keeps_only_its_size_and_counts_what_it_dropped() {
    let server = TestStandin::start_with(|c| c.control.journal_size = 3).await;
    let b = Barbican::new(&server, "p1");
    for _ in 0..5 {
        b.get_json("/v1/orders").await;
    }
    let (_, page) = control(&server, ApiKind::Barbican, Method::GET, "/journal", None).await;
    assert_eq!(page["capacity"], 3);
    // 5 Barbican requests, then this GET /journal is recorded only after it answers.
    assert_eq!(page["entries"].as_array().unwrap().len(), 3);
    assert_eq!(page["dropped"], 2);
    let (_, newest) = control(&server, ApiKind::Barbican, Method::GET, "/journal?limit=1", None).await;
    assert_eq!(newest["entries"][0]["path"], "/_standin/journal", "control calls are journaled too");
    assert_eq!(
        control(&server, ApiKind::Barbican, Method::DELETE, "/journal", None).await,
        (204, serde_json::Value::Null)
    );
    let (_, page) = control(&server, ApiKind::Barbican, Method::GET, "/journal", None).await;
    // Only the clearing call itself, recorded once it answered, numbered from 1 again.
    let entries = page["entries"].as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(
        (entries[0]["method"].clone(), entries[0]["seq"].clone(), page["dropped"].clone()),
        (json!("DELETE"), json!(1), json!(0))
    );
}

#[tokio::test]
async fn a_journal_limit_out_of_range_is_a_400() {
    let server = TestStandin::start().await;
    let (status, body) = control(&server, ApiKind::Barbican, Method::GET, "/journal?limit=0", None).await;
    assert_eq!(status, 400);
    assert!(body["message"].as_str().unwrap().contains("limit"), "{body}");
}
