//! `GET /api/v1/marketplace/private-clouds/{id}/data-centers`.

use serde_json::json;

use super::{contract_example, get};
use crate::harness::TestStandin;

#[tokio::test]
async fn the_documented_data_centers_and_their_json_p() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get(&server, "/private-clouds/123456/data-centers").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.json()["datacenters"][0]["locations"][0]["City"], "Phoenix");
    let wrapped = get(&server, "/private-clouds/1/data-centers?callback=cb").await;
    let example = contract_example(
        "/paths/~1api~1v1~1marketplace~1private-clouds~1{id}~1data-centers/get/responses/200/content/text~1javascript/examples/jsonpNoDataCenters/value",
    );
    assert_eq!(wrapped.text, example.as_str().unwrap());
}

#[tokio::test]
async fn a_public_cloud_has_no_private_data_centers() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get(&server, "/private-clouds/1001/data-centers").await;
    assert_eq!((answer.status, answer.json()), (404, json!({"message": "Entity Not Found"})));
}
