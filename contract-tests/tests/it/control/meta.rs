//! Health, the landing page, the control docs and contract, and what the control plane answers
//! where it has no operation.

use reqwest::Method;
use serde_json::json;
use standin::config::ApiKind;

use super::control;
use crate::harness::TestStandin;

#[tokio::test]
async fn every_listener_answers_its_health_check_with_its_api() {
    let server = TestStandin::start().await;
    let database =
        if std::env::var("STANDIN_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) { "postgres" } else { "sqlite" };
    let mut instance = None;
    for api in ApiKind::ALL {
        let (status, mut body) = control(&server, api, Method::GET, "/health", None).await;
        assert_eq!(status, 200);
        let id = body.as_object_mut().unwrap().remove("instance").expect("the instance id");
        assert_eq!(id.as_str().map(str::len), Some(36), "a uuid: {id}");
        assert_eq!(instance.get_or_insert_with(|| id.clone()), &id, "one process, one instance id on every listener");
        assert_eq!(
            body,
            json!({"status": "ok", "api": api.name(), "version": env!("CARGO_PKG_VERSION"), "database": database,
                   "lifecycle_steps": {"orders": 0, "deployments": 0}})
        );
    }
}

#[tokio::test]
async fn the_landing_page_names_every_listener_and_links_the_control_docs() {
    let server = TestStandin::start().await;
    let resp = server.http.get(server.url(ApiKind::Orchestrator, "/_standin/")).send().await.unwrap();
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap().starts_with("text/html"));
    let page = resp.text().await.unwrap();
    for api in ApiKind::ALL {
        assert!(page.contains(&format!("{}/docs", server.standin.base_url(api))), "links {api:?}'s docs");
    }
    assert!(page.contains(r#"href="/_standin/docs""#));
}

#[tokio::test]
async fn the_control_docs_embed_the_control_contract() {
    let server = TestStandin::start().await;
    let page =
        server.http.get(server.url(ApiKind::Barbican, "/_standin/docs")).send().await.unwrap().text().await.unwrap();
    assert!(
        page.contains("SwaggerUIBundle") && page.contains("advanceOrder"),
        "Swagger UI with the control operations"
    );
    let yaml = server.http.get(server.url(ApiKind::Barbican, "/_standin/openapi.yaml")).send().await.unwrap();
    assert_eq!(yaml.headers()["content-type"], "application/yaml");
    assert_eq!(yaml.text().await.unwrap(), standin::control::api::CONTRACT_YAML);
}

#[tokio::test]
async fn unknown_control_paths_and_methods_get_the_control_error_body() {
    let server = TestStandin::start().await;
    let (status, body) = control(&server, ApiKind::Barbican, Method::GET, "/nope", None).await;
    assert_eq!((status, body), (404, json!({"message": "no control operation at /_standin/nope"})));
    let resp = server.http.put(server.url(ApiKind::Barbican, "/_standin/health")).send().await.unwrap();
    assert_eq!(resp.status(), 405);
    assert_eq!(resp.headers()["allow"], "GET");
    assert_eq!(resp.json::<serde_json::Value>().await.unwrap(), json!({"message": "method not allowed"}));
}
