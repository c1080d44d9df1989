//! `GET /api/v1/marketplace/public-clouds/{id}/data-centers`: regions with their locations.

use serde_json::json;
use standin::marketplace::fixtures::PRIVATE_CLOUD_IDS;

use super::get;
use crate::harness::TestStandin;

#[tokio::test]
async fn the_documented_data_centers_with_escaped_slashes_and_string_coordinates() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get(&server, "/public-clouds/123456/data-centers").await;
    assert_eq!(answer.status, 200);
    let body = answer.json();
    assert_eq!(body["datacenters"][0]["ID"], "72");
    assert_eq!(body["datacenters"][0]["locations"][0]["Lat"], "33.45");
    assert!(answer.text.contains(r#""Endpoint":"https:\/\/identity.uswest1.cloud.io.com\/v2.0""#), "{}", answer.text);
}

#[tokio::test]
async fn a_cloud_without_regions_has_the_real_empty_body_and_etag() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get(&server, "/public-clouds/1/data-centers").await;
    assert_eq!(answer.text, r#"{"datacenters":[]}"#);
    assert_eq!(answer.header("etag"), Some("\"a2265d5a1e8efd1ec1f7127573cd4ddc\""));
}

#[tokio::test]
async fn not_paged_and_the_list_parameters_are_not_validated() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get(&server, "/public-clouds/123456/data-centers?page=abc&status=nope").await;
    assert_eq!(answer.status, 200);
    assert!(answer.json().get("total").is_none());
}

#[tokio::test]
async fn the_cloud_must_be_a_public_cloud() {
    let server = TestStandin::with_docs_fixtures().await;
    for id in ["999".to_string(), "x".into(), (PRIVATE_CLOUD_IDS + 2).to_string()] {
        let answer = get(&server, &format!("/public-clouds/{id}/data-centers")).await;
        assert_eq!((answer.status, answer.json()), (404, json!({"message": "Entity Not Found"})), "{id}");
    }
}
