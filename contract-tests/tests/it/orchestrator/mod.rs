//! The INDIGO PaaS Orchestrator API: a file per operation, plus the documented examples replayed.

mod create_deployment;
mod create_schedule;
mod delete_deployment;
mod documented_examples;
mod get_configuration;
mod get_deployment;
mod get_deployment_extra_info;
mod get_deployment_log;
mod get_deployment_template;
mod get_resource;
mod get_schedule;
mod lifecycle;
mod list_deployments;
mod list_resources;
mod list_schedule_events;
mod list_schedules;
mod perform_resource_action;
mod reset_deployment;
mod routing;
mod update_deployment;

use reqwest::{Method, RequestBuilder};
use serde_json::{Value, json};
use standin::config::ApiKind;
use standin::orchestrator::auth::USER_TOKEN;
use standin::orchestrator::lifecycle::Lifecycle;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

use crate::harness::{TestStandin, status_json};

/// A template with a compute node, a port bound to it, an input and outputs (`get_input` and `get_attribute`).
pub const TEMPLATE: &str = "tosca_definitions_version: tosca_simple_yaml_1_0

imports:
  - indigo_custom_types: https://raw.githubusercontent.com/indigo-dc/tosca-types/master/custom_types.yaml

topology_template:
  inputs:
    cpus:
      type: integer
      default: 1
  node_templates:
    vm:
      type: tosca.nodes.indigo.Compute
      capabilities:
        host:
          properties:
            num_cpus: { get_input: cpus }
    port:
      type: tosca.nodes.network.Port
      requirements:
        - binding: vm
  outputs:
    cpus:
      value: { get_input: cpus }
    vm_ip:
      value: { get_attribute: [ vm, public_address, 0 ] }
";

/// [`TEMPLATE`] asking standin to fail the given steps (`create`, `update`, `delete`).
pub fn failing_template(steps: &str, reason: &str) -> String {
    TEMPLATE.replacen(
        "\nimports:",
        &format!("\nmetadata:\n  standin_fail: {steps}\n  standin_fail_reason: {reason}\n\nimports:"),
        1,
    )
}

/// A standin whose orchestrator moves deployments as `lifecycle` says.
pub async fn start_with_lifecycle(lifecycle: Lifecycle) -> TestStandin {
    TestStandin::start_with(|c| c.orchestrator.lifecycle = lifecycle).await
}

/// An orchestrator caller with a bearer token.
pub struct Orchestrator<'a> {
    pub server: &'a TestStandin,
    pub token: Option<String>,
}

impl<'a> Orchestrator<'a> {
    pub fn new(server: &'a TestStandin) -> Self {
        Orchestrator { server, token: Some(USER_TOKEN.into()) }
    }

    pub fn as_token(server: &'a TestStandin, token: &str) -> Self {
        Orchestrator { server, token: Some(token.into()) }
    }

    pub fn anonymous(server: &'a TestStandin) -> Self {
        Orchestrator { server, token: None }
    }

    pub fn url(&self, path: &str) -> String {
        self.server.url(ApiKind::Orchestrator, path)
    }

    pub fn request(&self, method: Method, path: &str) -> RequestBuilder {
        let req = self.server.http.request(method, self.url(path));
        match &self.token {
            Some(token) => req.header("Authorization", format!("Bearer {token}")),
            None => req,
        }
    }

    pub fn send_json(&self, method: Method, path: &str, body: &Value) -> RequestBuilder {
        self.request(method, path).header("Content-Type", "application/json").body(body.to_string())
    }

    pub async fn get_json(&self, path: &str) -> (u16, Value) {
        status_json(self.request(Method::GET, path).send().await.unwrap()).await
    }

    pub async fn call(&self, method: Method, path: &str, body: &Value) -> (u16, Value) {
        let resp = self.send_json(method, path, body).send().await.unwrap();
        let status = resp.status().as_u16();
        let text = resp.text().await.unwrap();
        (status, if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) })
    }

    /// Create a deployment of `template` and return its id (panics unless 201).
    pub async fn create(&self, template: &str) -> String {
        self.create_with(json!({ "template": template })).await
    }

    pub async fn create_with(&self, body: Value) -> String {
        let (status, reply) = self.call(Method::POST, "/deployments", &body).await;
        assert_eq!(status, 201, "create answered {reply}");
        reply["uuid"].as_str().expect("uuid").to_string()
    }

    /// Read a deployment (panics unless 200).
    pub async fn deployment(&self, id: &str) -> Value {
        let (status, body) = self.get_json(&format!("/deployments/{id}")).await;
        assert_eq!(status, 200, "{body}");
        body
    }

    /// Create a deployment and read it until it is CREATE_COMPLETE (the default lifecycle: the next read).
    pub async fn create_complete(&self, template: &str) -> String {
        let id = self.create(template).await;
        assert_eq!(self.deployment(&id).await["status"], "CREATE_COMPLETE");
        id
    }
}

/// The orchestrator's error body.
pub fn error(code: u16, title: &str, message: &str) -> Value {
    json!({"code": code, "title": title, "message": message})
}

/// A one-shot HTTP listener on port 0: returns its URL and a task yielding the first request's body.
pub async fn callback_listener() -> (String, tokio::task::JoinHandle<(String, Value)>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/callback", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut raw = Vec::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = socket.read(&mut buf).await.unwrap();
            raw.extend_from_slice(&buf[..n]);
            let text = String::from_utf8_lossy(&raw).to_string();
            if let Some((head, body)) = text.split_once("\r\n\r\n") {
                let length: usize = head
                    .lines()
                    .find_map(|l| {
                        l.to_ascii_lowercase().strip_prefix("content-length:").map(|v| v.trim().parse().unwrap())
                    })
                    .unwrap_or(0);
                if body.len() >= length {
                    socket.write_all(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").await.unwrap();
                    return (head.lines().next().unwrap().to_string(), serde_json::from_str(body).unwrap());
                }
            }
            if n == 0 {
                panic!("connection closed early");
            }
        }
    });
    (url, task)
}
