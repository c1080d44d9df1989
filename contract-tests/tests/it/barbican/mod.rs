//! The Barbican API: a file per operation, plus the documented examples replayed.

mod create_order;
mod delete_order;
mod documented_examples;
mod get_container;
mod get_order;
mod get_secret;
mod get_versions;
mod list_orders;
mod list_orders_v2014;
mod routing;
mod storage;

use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use standin::config::ApiKind;

use crate::harness::{TestStandin, last_segment, status_json};

/// A Barbican caller in no-auth mode: a project (and optionally roles), as python-barbicanclient.
pub struct Barbican<'a> {
    pub server: &'a TestStandin,
    pub project: String,
    pub roles: Option<String>,
}

impl<'a> Barbican<'a> {
    pub fn new(server: &'a TestStandin, project: &str) -> Self {
        Barbican { server, project: project.into(), roles: None }
    }

    pub fn with_roles(mut self, roles: &str) -> Self {
        self.roles = Some(roles.into());
        self
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let mut req = self
            .server
            .http
            .request(method, self.server.url(ApiKind::Barbican, path))
            .header("X-Project-Id", &self.project);
        if let Some(roles) = &self.roles {
            req = req.header("X-Roles", roles);
        }
        req
    }

    pub fn post_json(&self, path: &str, body: &Value) -> RequestBuilder {
        self.request(Method::POST, path).header("Content-Type", "application/json").body(body.to_string())
    }

    /// Create an order and return its id (panics unless the answer is 202).
    pub async fn create(&self, body: Value) -> String {
        let (status, reply) = status_json(self.post_json("/v1/orders", &body).send().await.unwrap()).await;
        assert_eq!(status, 202, "create answered {reply}");
        last_segment(reply["order_ref"].as_str().expect("order_ref")).to_string()
    }

    pub async fn create_key(&self, name: &str) -> String {
        self.create(
            json!({"type": "key", "meta": {"name": name, "algorithm": "aes", "bit_length": 256, "mode": "cbc"}}),
        )
        .await
    }

    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        status_json(self.request(Method::GET, path).send().await.unwrap()).await
    }
}

/// Barbican's error body.
pub fn error(code: u16, title: &str, description: &str) -> Value {
    json!({"code": code, "title": title, "description": description})
}
