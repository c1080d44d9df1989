//! Around the operations: unknown paths, unsupported methods, trailing slashes, the common
//! headers, and the three authentication modes.

use reqwest::Method;
use standin::barbican::auth::{AuthMode, DEFAULT_PROJECT, DEFAULT_TOKEN};
use standin::config::ApiKind;

use super::{Barbican, error};
use crate::harness::{TestStandin, status_json};

#[tokio::test]
async fn unsupported_methods_get_405_with_allow_in_barbicans_body() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("k").await;
    for (method, path, allow) in [
        (Method::PATCH, "/v1/orders".to_string(), "GET, POST"),
        (Method::DELETE, "/v1/orders".to_string(), "GET, POST"),
        (Method::PUT, format!("/v1/orders/{id}"), "DELETE, GET"),
        (Method::POST, format!("/v1/orders/{id}"), "DELETE, GET"),
    ] {
        let resp = b.request(method.clone(), &path).send().await.unwrap();
        assert_eq!(resp.headers().get("allow").map(|v| v.to_str().unwrap()), Some(allow), "{method} {path}");
        assert_eq!(status_json(resp).await, (405, error(405, "Method Not Allowed", "")), "{method} {path}");
    }
}

#[tokio::test]
async fn put_on_the_collection_is_policy_checked_then_not_supported() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let resp = b.request(Method::PUT, "/v1/orders").send().await.unwrap();
    assert_eq!(resp.headers().get("allow").map(|v| v.to_str().unwrap()), Some("GET, POST"));
    assert_eq!(status_json(resp).await, (405, error(405, "Method Not Allowed", "Order update is not supported.")));
    let observer = b.request(Method::PUT, "/v1/orders").header("X-Roles", "observer").send().await.unwrap();
    assert!(observer.headers().get("allow").is_none(), "a 403 carries no Allow");
    let denied = "Order update attempt not allowed - please review your user/project privileges";
    assert_eq!(status_json(observer).await, (403, error(403, "Forbidden", denied)));
}

#[tokio::test]
async fn an_unsupported_method_on_a_missing_order_is_a_404() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("k").await;
    let missing = format!("/v1/orders/{}", uuid::Uuid::new_v4());
    let resp = b.request(Method::PUT, &missing).send().await.unwrap();
    assert_eq!(status_json(resp).await, (404, error(404, "Not Found", "Order not found.")));
    let other_project = Barbican::new(&server, "p2").request(Method::PUT, &format!("/v1/orders/{id}")).send().await;
    assert_eq!(status_json(other_project.unwrap()).await.0, 404, "another project's order is not there either");
}

#[tokio::test]
async fn options_is_an_empty_200_on_every_order_path() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b.create_key("k").await;
    for path in ["/v1/orders".to_string(), format!("/v1/orders/{id}"), format!("/v1/orders/{}", uuid::Uuid::new_v4())] {
        let resp = b.request(Method::OPTIONS, &path).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{path}");
        assert_eq!(resp.text().await.unwrap(), "", "{path}");
    }
}

#[tokio::test]
async fn unknown_paths_are_barbican_404s() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    assert_eq!(b.get_json("/v1/foo").await, (404, error(404, "Not Found", "")));
}

#[tokio::test]
async fn every_response_carries_the_microversion_and_a_request_id() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let resp =
        b.request(Method::GET, "/v1/orders/").header("OpenStack-API-Version", "key-manager 1.1").send().await.unwrap();
    assert_eq!(resp.status(), 200, "a trailing slash on the collection works");
    assert_eq!(resp.headers()["openstack-api-version"], "key-manager 1.1");
    let id = resp.headers()["x-openstack-request-id"].to_str().unwrap();
    assert!(id.starts_with("req-") && uuid::Uuid::parse_str(&id[4..]).is_ok(), "{id}");
    let echoed =
        b.request(Method::GET, "/v1/orders").header("X-Openstack-Request-Id", "req-mine").send().await.unwrap();
    assert_eq!(echoed.headers()["x-openstack-request-id"], "req-mine");
}

#[tokio::test]
async fn mixed_mode_takes_a_token_or_a_project() {
    let server = TestStandin::start().await;
    let url = server.url(ApiKind::Barbican, "/v1/orders");
    let with_token = server.http.get(&url).header("X-Auth-Token", DEFAULT_TOKEN).send().await.unwrap();
    assert_eq!(with_token.status(), 200);
    let unknown =
        server.http.get(&url).header("X-Auth-Token", "nope").header("X-Project-Id", "p1").send().await.unwrap();
    let unauthorized =
        error(401, "Unauthorized", "Invalid X-Auth-Token or the token doesn't have permissions to this resource");
    assert_eq!(status_json(unknown).await, (401, unauthorized.clone()), "a bad token is not rescued by a project");
    let nothing = server.http.get(&url).send().await.unwrap();
    assert_eq!(status_json(nothing).await, (401, unauthorized));
    // A token's orders live in its project.
    let created = server
        .http
        .post(&url)
        .header("X-Auth-Token", DEFAULT_TOKEN)
        .header("Content-Type", "application/json")
        .body(r#"{"type": "key", "meta": {"algorithm": "aes", "bit_length": 128}}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(created.status(), 202);
    assert_eq!(Barbican::new(&server, DEFAULT_PROJECT).get_json("/v1/orders").await.1["total"], 1);
}

#[tokio::test]
async fn noauth_mode_requires_a_project_and_token_mode_a_token() {
    let noauth = TestStandin::start_with(|c| c.barbican.auth_mode = AuthMode::Noauth).await;
    let url = noauth.url(ApiKind::Barbican, "/v1/orders");
    let missing = noauth.http.get(&url).header("X-Auth-Token", DEFAULT_TOKEN).send().await.unwrap();
    assert_eq!(status_json(missing).await, (400, error(400, "Bad Request", "Missing X-Project-Id")));

    let token = TestStandin::start_with(|c| c.barbican.auth_mode = AuthMode::Token).await;
    let url = token.url(ApiKind::Barbican, "/v1/orders");
    assert_eq!(token.http.get(&url).header("X-Project-Id", "p1").send().await.unwrap().status(), 401);
    assert_eq!(token.http.get(&url).header("X-Auth-Token", DEFAULT_TOKEN).send().await.unwrap().status(), 200);
}
