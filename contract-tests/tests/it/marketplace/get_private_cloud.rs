//! `GET /api/v1/marketplace/private-clouds/{id}`: the scope of the private clouds.

use serde_json::json;
use standin::marketplace::auth::{INSUFFICIENT_SCOPE, PUBLIC_CLOUDS_TOKEN};
use standin::marketplace::fixtures::PUBLIC_CLOUD_IDS;

use super::{get, get_with_token};
use crate::harness::TestStandin;

const SCOPE: &str = "https://openstackid-resources.org/private-clouds/read";

#[tokio::test]
async fn the_documented_private_cloud() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get(&server, "/private-clouds/123456").await;
    assert_eq!(answer.status, 200);
    assert!(answer.text.contains(r#""Call2ActionUri":"http:\/\/..""#), "{}", answer.text);
    assert_eq!(get(&server, &format!("/private-clouds/{}", PUBLIC_CLOUD_IDS + 1)).await.status, 404);
}

#[tokio::test]
async fn a_token_without_the_private_clouds_scope_is_forbidden() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get_with_token(&server, "/private-clouds/123456", PUBLIC_CLOUDS_TOKEN).await;
    assert_eq!(answer.status, 403);
    assert_eq!(
        answer.json(),
        json!({"error": "insufficient_scope", "error_description": INSUFFICIENT_SCOPE, "scope": SCOPE})
    );
    assert!(answer.text.contains(r#""scope":"https:\/\/openstackid-resources.org\/private-clouds\/read""#));
    assert_eq!(
        answer.header("www-authenticate").unwrap(),
        format!(
            "Bearer realm=\"127.0.0.1\", error=\"insufficient_scope\", error_description=\"{INSUFFICIENT_SCOPE}\", scope=\"{SCOPE}\""
        )
    );
    // The same token reads public clouds.
    assert_eq!(get_with_token(&server, "/public-clouds/123456", PUBLIC_CLOUDS_TOKEN).await.status, 200);
}

#[tokio::test]
async fn the_scope_base_is_configurable() {
    let server = TestStandin::start_with(|c| {
        c.fixtures = standin::config::Fixtures::Docs;
        c.marketplace.scope_base = "https://local.resource-server.openstack.org".into();
    })
    .await;
    // The built-in tokens follow the base, so they still work...
    assert_eq!(get(&server, "/private-clouds/123456").await.status, 200);
    // ...and a refusal names the configured scope.
    let answer = get_with_token(&server, "/private-clouds/123456", PUBLIC_CLOUDS_TOKEN).await;
    assert_eq!(answer.json()["scope"], "https://local.resource-server.openstack.org/private-clouds/read");
}
