//! `GET /`: version discovery, which python-barbicanclient calls before anything else.

use standin::config::ApiKind;

use crate::harness::{TestStandin, status_json};

#[tokio::test]
async fn answers_300_with_or_without_a_microversion() {
    let server = TestStandin::start().await;
    let url = server.url(ApiKind::Barbican, "/");
    let resp = server.http.get(&url).send().await.unwrap();
    assert_eq!(resp.headers()["openstack-api-version"], "key-manager 1.0");
    assert_eq!(resp.headers()["vary"], "openstack-api-version");
    let (status, body) = status_json(resp).await;
    assert_eq!(status, 300);
    assert_eq!(body["versions"]["values"][0]["status"], "stable");
    assert_eq!(body["versions"]["values"][0]["links"][0]["href"], "http://localhost:9311/v1/");

    let resp = server.http.get(&url).header("OpenStack-API-Version", "key-manager 1.1").send().await.unwrap();
    assert_eq!(resp.headers()["openstack-api-version"], "key-manager 1.1");
    let (status, body) = status_json(resp).await;
    assert_eq!(status, 300);
    assert_eq!(
        body,
        serde_json::json!({"versions": [{"id": "v1", "status": "CURRENT", "min_version": "1.0", "max_version": "1.1",
            "links": [{"rel": "self", "href": "http://localhost:9311/v1/"},
                      {"rel": "describedby", "type": "text/html", "href": "https://docs.openstack.org/"}]}]})
    );

    let resp = server.http.get(&url).header("OpenStack-API-Version", "key-manager 1.5").send().await.unwrap();
    assert_eq!(resp.status(), 406);
}
