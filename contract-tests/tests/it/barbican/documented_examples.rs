//! Every documented Barbican example, replayed: with `--fixtures docs` loaded, each documented
//! request returns the documented response exactly (same JSON, same key order).
//!
//! The expected bodies are the contract's examples (`openapi/barbican.yaml`, transcribed from the
//! documents); the snapshots record what standin answered. Only what standin must generate is
//! redacted (the id of a new order), and the redaction asserts its format.

use contract_tests::contract::Contract;
use insta::dynamic_redaction;
use reqwest::Method;
use serde_json::Value;
use standin::barbican::auth::DEFAULT_TOKEN;
use standin::barbican::fixtures::{SECOND_TOKEN, TENANT_2014};
use standin::config::{ApiKind, Fixtures};

use crate::harness::TestStandin;

/// A documented request: which example it is, how to send it, and as whom.
struct Exchange {
    /// The example key shared by the request and response examples in the contract.
    example: &'static str,
    method: Method,
    path: &'static str,
    /// JSON pointer of the operation in the contract.
    operation: &'static str,
    status: u16,
    credentials: (&'static str, &'static str),
    /// Barbican's `host_href` for this exchange (the 2014 document uses `https://endpointURL`).
    public_url: &'static str,
}

fn exchanges() -> Vec<Exchange> {
    let token = ("X-Auth-Token", DEFAULT_TOKEN);
    vec![
        Exchange {
            example: "listOrders",
            method: Method::GET,
            path: "/v1/orders",
            operation: "/paths/~1v1~1orders/get",
            status: 200,
            credentials: token,
            public_url: "http://localhost:9311",
        },
        Exchange {
            example: "createKeyOrder",
            method: Method::POST,
            path: "/v1/orders",
            operation: "/paths/~1v1~1orders/post",
            status: 202,
            credentials: token,
            public_url: "http://localhost:9311",
        },
        Exchange {
            example: "getOrder",
            method: Method::GET,
            path: "/v1/orders/5443d349-fe0c-4bfd-bd9d-99c4a9770638",
            operation: "/paths/~1v1~1orders~1{order_id}/get",
            status: 200,
            credentials: ("X-Auth-Token", SECOND_TOKEN),
            public_url: "http://localhost:9311",
        },
        Exchange {
            example: "listOrdersV2014",
            method: Method::GET,
            path: "/v1/12345/orders",
            operation: "/paths/~1{version}~1{tenantId}~1orders/get",
            status: 200,
            credentials: ("X-Project-Id", TENANT_2014),
            public_url: "https://endpointURL",
        },
    ]
}

fn contract() -> Contract {
    Contract::load("barbican").expect("openapi/barbican.yaml loads")
}

fn example_value(contract: &Contract, exchange: &Exchange, part: &str) -> Option<Value> {
    let pointer =
        format!("{}/{part}/content/application~1json/examples/{}/value", exchange.operation, exchange.example);
    contract.doc.pointer(&pointer).cloned()
}

/// A new order's href: asserts it is this server's order URL with a fresh UUID v4.
fn order_ref_redaction(value: insta::internals::Content, _: insta::internals::ContentPath<'_>) -> String {
    let href = value.as_str().expect("order_ref is a string");
    let id =
        href.strip_prefix("http://localhost:9311/v1/orders/").unwrap_or_else(|| panic!("not an order href: {href}"));
    assert_eq!(uuid::Uuid::parse_str(id).expect("a UUID").get_version_num(), 4, "{href}");
    "[new order_ref]".into()
}

#[tokio::test]
async fn every_documented_request_returns_the_documented_response() {
    let contract = contract();
    for exchange in exchanges() {
        let server = TestStandin::start_with(|c| {
            c.fixtures = Fixtures::Docs;
            c.barbican.public_url = exchange.public_url.into();
        })
        .await;
        let mut req = server
            .http
            .request(exchange.method.clone(), server.url(ApiKind::Barbican, exchange.path))
            .header(exchange.credentials.0, exchange.credentials.1);
        if let Some(body) = example_value(&contract, &exchange, "requestBody") {
            req = req.header("Content-Type", "application/json").body(body.to_string());
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status().as_u16(), exchange.status, "{}", exchange.example);
        let answered: Value = resp.json().await.unwrap();
        let documented = example_value(&contract, &exchange, &format!("responses/{}", exchange.status))
            .unwrap_or_else(|| panic!("{}: no documented response", exchange.example));

        match exchange.example {
            "createKeyOrder" => {
                // The id is the server's to choose; everything else must match.
                insta::assert_json_snapshot!(exchange.example, answered, { ".order_ref" => dynamic_redaction(order_ref_redaction) });
                assert_eq!(answered.as_object().unwrap().keys().collect::<Vec<_>>(), ["order_ref"]);
                assert!(documented["order_ref"].as_str().unwrap().starts_with("http://localhost:9311/v1/orders/"));
            }
            _ => {
                insta::assert_json_snapshot!(exchange.example, answered);
                assert_eq!(
                    serde_json::to_string_pretty(&answered).unwrap(),
                    serde_json::to_string_pretty(&documented).unwrap(),
                    "{}: standin's answer differs from the documented example (key order included)",
                    exchange.example
                );
            }
        }
        server.standin.shutdown().await.unwrap();
    }
}

#[tokio::test]
async fn the_documented_delete_answers_204_with_no_body() {
    let server = TestStandin::with_docs_fixtures().await;
    let resp = server
        .http
        .delete(server.url(ApiKind::Barbican, "/v1/orders/5443d349-fe0c-4bfd-bd9d-99c4a9770638"))
        .header("X-Auth-Token", SECOND_TOKEN)
        .send()
        .await
        .unwrap();
    insta::assert_snapshot!(resp.status(), @"204 No Content");
    assert!(resp.bytes().await.unwrap().is_empty());
}

#[test]
fn every_documented_response_example_is_replayed_here() {
    let contract = contract();
    let replayed: Vec<&str> = exchanges().iter().map(|e| e.example).collect();
    for obj in contract.sourced_objects() {
        if obj.pointer.contains("/responses/") && obj.pointer.contains("/examples/") {
            let key = obj.pointer.rsplit('/').next().unwrap();
            assert!(replayed.contains(&key), "{} is documented but not replayed by this test", obj.pointer);
        }
    }
}
