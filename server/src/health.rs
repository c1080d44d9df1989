//! `GET /_standin/health`: a readiness check on every listener, so scripts and tests wait for the
//! server instead of sleeping. It lives under `/_standin/`, the prefix reserved for standin's own
//! endpoints, which no emulated API uses.

use poem::{handler, web::Data, web::Json};
use serde_json::{Value, json};

use crate::config::ApiKind;

pub const HEALTH_PATH: &str = "/_standin/health";

#[handler]
pub fn health(api: Data<&ApiKind>) -> Json<Value> {
    Json(json!({ "status": "ok", "api": api.name(), "version": env!("CARGO_PKG_VERSION") }))
}
