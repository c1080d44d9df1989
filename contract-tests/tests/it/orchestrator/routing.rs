//! Around the operations: `X-Request-ID` on every response, 404 and 405 (with `Allow`) in the error body,
//! trailing slashes, 406 and 415, and the contract served at `/openapi.yaml`.

use reqwest::Method;

use super::{Orchestrator, error};
use crate::harness::{TestStandin, status_json};

#[tokio::test]
async fn every_response_has_a_request_id() {
    let server = TestStandin::start().await;
    for o in [Orchestrator::new(&server), Orchestrator::anonymous(&server)] {
        for path in ["/deployments", "/nope", "/configuration"] {
            let resp = o.request(Method::GET, path).send().await.unwrap();
            let id = resp.headers()["x-request-id"].to_str().unwrap().to_string();
            assert!(id.starts_with("req-") && uuid::Uuid::parse_str(&id[4..]).is_ok(), "{path}: {id}");
        }
    }
}

#[tokio::test]
async fn unknown_paths_and_methods() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let (status, body) = o.get_json("/nope").await;
    assert_eq!((status, body), (404, error(404, "Not Found", "No handler found for GET /nope")));
    let resp = o.request(Method::DELETE, "/deployments").send().await.unwrap();
    assert_eq!(resp.headers()["allow"], "GET, POST");
    let (status, body) = status_json(resp).await;
    assert_eq!((status, body), (405, error(405, "Method Not Allowed", "Request method 'DELETE' not supported")));
    let resp = o.request(Method::PUT, "/schedules/x").send().await.unwrap();
    assert_eq!((resp.status().as_u16(), resp.headers()["allow"].to_str().unwrap()), (405, "GET"));
}

#[tokio::test]
async fn trailing_slashes_and_content_negotiation() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    assert_eq!(o.get_json("/deployments/").await.0, 200);
    let resp = o.request(Method::GET, "/deployments").header("Accept", "text/plain").send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 406);
    assert_eq!(resp.headers()["content-type"], "application/json;charset=UTF-8");
}

#[tokio::test]
async fn the_contract_is_served() {
    let server = TestStandin::start().await;
    let o = Orchestrator::anonymous(&server);
    let resp = o.request(Method::GET, "/openapi.yaml").send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert!(resp.text().await.unwrap().contains("INDIGO PaaS Orchestrator REST API"));
}

#[tokio::test]
async fn hrefs_follow_the_request_host_and_forwarded_headers() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let resp = o
        .request(Method::GET, "/deployments")
        .header("X-Forwarded-Proto", "https")
        .header("X-Forwarded-Host", "paas.example.org")
        .send()
        .await
        .unwrap();
    let (_, page) = status_json(resp).await;
    assert_eq!(page["links"][0]["href"], "https://paas.example.org/deployments");
    let (_, page) = o.get_json("/deployments").await;
    assert_eq!(page["links"][0]["href"], o.url("/deployments"));
}
