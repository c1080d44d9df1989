//! Start a standin for one test and talk to it over real sockets.

use serde_json::Value;
use standin::config::{ApiKind, Config, Fixtures};
use standin::serve::Standin;

/// A standin running in this test process, on ephemeral ports, with in-memory state.
pub struct TestStandin {
    pub standin: Standin,
    pub http: reqwest::Client,
}

impl TestStandin {
    pub async fn start() -> Self {
        Self::start_with(|_| {}).await
    }

    pub async fn with_docs_fixtures() -> Self {
        Self::start_with(|c| c.fixtures = Fixtures::Docs).await
    }

    /// Start with the test configuration, adjusted by `adjust`.
    pub async fn start_with(adjust: impl FnOnce(&mut Config)) -> Self {
        let mut config = Config::ephemeral_for_tests();
        adjust(&mut config);
        let standin = Standin::start(config).await.expect("standin starts");
        TestStandin { standin, http: reqwest::Client::new() }
    }

    pub fn url(&self, api: ApiKind, path: &str) -> String {
        format!("{}{path}", self.standin.base_url(api))
    }
}

/// Status and JSON body of a response (panics with the raw text if the body is not JSON).
pub async fn status_json(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body reads");
    let body = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, body)
}

/// The last path segment of an href.
pub fn last_segment(href: &str) -> &str {
    href.rsplit('/').next().unwrap_or_default()
}
