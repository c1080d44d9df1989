//! The server starts in-process on port 0 and every listener answers its health check: the harness
//! every later integration test builds on.

use standin::config::{ApiKind, Config};
use standin::serve::Standin;

#[tokio::test]
async fn every_listener_answers_its_health_check_and_names_its_api() {
    let standin = Standin::start(Config::ephemeral_for_tests()).await.expect("standin starts");
    let client = reqwest::Client::new();
    for api in ApiKind::ALL {
        assert_ne!(standin.addr(api).port(), 0, "port 0 resolves to a real port");
        let resp =
            client.get(format!("{}/_standin/health", standin.base_url(api))).send().await.expect("health answers");
        assert_eq!(resp.status(), 200);
        let body: serde_json::Value = resp.json().await.expect("health is JSON");
        assert_eq!(body["status"], "ok");
        assert_eq!(body["api"], api.name());
    }
    standin.shutdown().await.expect("clean shutdown");
}
