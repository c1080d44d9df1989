//! The Marketplace API: a file per operation (mirroring the route tree), the documented examples
//! replayed, and the routing around the operations.

mod documented_examples;
mod get_consultant;
mod get_consultant_offices;
mod get_private_cloud;
mod get_private_cloud_data_centers;
mod get_public_cloud;
mod get_public_cloud_data_centers;
mod list_consultants;
mod list_private_clouds;
mod list_public_clouds;
mod routing;
mod storage;

use reqwest::Method;
use reqwest::header::HeaderMap;
use serde_json::Value;
use standin::config::ApiKind;
use standin::marketplace::auth::DEFAULT_TOKEN;

use crate::harness::TestStandin;

pub const PREFIX: &str = "/api/v1/marketplace";

/// One answer, read whole.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub headers: HeaderMap,
    pub text: String,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().expect("ASCII header"))
    }
}

/// Send `method path` (under the marketplace prefix) with extra headers.
pub async fn send(server: &TestStandin, method: Method, path: &str, headers: &[(&str, &str)]) -> Answer {
    let mut req = server.http.request(method, server.url(ApiKind::Marketplace, &format!("{PREFIX}{path}")));
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    let resp = req.send().await.expect("request is sent");
    Answer { status: resp.status().as_u16(), headers: resp.headers().clone(), text: resp.text().await.unwrap() }
}

/// GET with the built-in token granting every scope.
pub async fn get(server: &TestStandin, path: &str) -> Answer {
    get_with_token(server, path, DEFAULT_TOKEN).await
}

pub async fn get_with_token(server: &TestStandin, path: &str, token: &str) -> Answer {
    send(server, Method::GET, path, &[("Authorization", &format!("Bearer {token}"))]).await
}

/// An example value from the contract, by JSON pointer.
pub fn contract_example(pointer: &str) -> Value {
    let contract = contract_tests::contract::Contract::load("marketplace").unwrap();
    contract.doc.pointer(pointer).unwrap_or_else(|| panic!("no {pointer} in the contract")).clone()
}

/// The `value` of a named example of a shared response (`components/responses/<response>`).
pub fn response_example(response: &str, example: &str) -> Value {
    contract_example(&format!("/components/responses/{response}/content/application~1json/examples/{example}/value"))
}

/// The OAuth2 error body.
pub fn oauth2_error(code: &str, description: &str) -> Value {
    serde_json::json!({"error": code, "error_description": description})
}

/// `WWW-Authenticate` as the real service writes it for a request to 127.0.0.1.
pub fn www_authenticate(code: &str, description: &str) -> String {
    format!("Bearer realm=\"127.0.0.1\", error=\"{code}\", error_description=\"{description}\"")
}
