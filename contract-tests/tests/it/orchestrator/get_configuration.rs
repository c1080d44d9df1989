//! `GET /configuration`: no token needed; the configured endpoints, snake-case keys in the real order.

use serde_json::json;

use super::{Orchestrator, error};
use crate::harness::TestStandin;

#[tokio::test]
async fn the_endpoints_without_a_token() {
    let server = TestStandin::start().await;
    let o = Orchestrator::anonymous(&server);
    let (status, body) = o.get_json("/configuration").await;
    assert_eq!(status, 200);
    let keys: Vec<&str> = body.as_object().unwrap().keys().map(String::as_str).collect();
    assert_eq!(keys, ["cpr_url", "slam_url", "cmdb_url", "im_url", "monitoring_url", "vault_url"]);
    assert_eq!(body["im_url"], json!("https://deep-paas.test.infn.it/im"));
}

#[tokio::test]
async fn an_accept_without_json_is_406() {
    let server = TestStandin::start().await;
    let resp = Orchestrator::anonymous(&server)
        .request(reqwest::Method::GET, "/configuration")
        .header("Accept", "application/hal+json")
        .send()
        .await
        .unwrap();
    let (status, body) = crate::harness::status_json(resp).await;
    assert_eq!((status, body), (406, error(406, "Not Acceptable", "Could not find acceptable representation")));
}
