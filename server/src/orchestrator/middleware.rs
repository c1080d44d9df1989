//! What the orchestrator adds to, or does to, every request and response, apart from the operations.
//!
//! - A trailing slash is ignored (`/deployments/` is `/deployments`).
//! - A body that is not JSON is refused with 415 `Content type 'text/plain' not supported`.
//! - JSON endpoints refuse an `Accept` that excludes JSON with 406 (`produces = application/json`).
//! - Requests the router cannot place get the error body: 404 `No handler found for GET /x`, 405
//!   `Request method 'DELETE' not supported` with an `Allow` header built from the emitted spec.
//! - JSON is labelled `application/json;charset=UTF-8` and text `text/plain;charset=UTF-8`, as Spring does.
//! - Every response, errors included, carries `X-Request-ID: req-<uuid4>`.

use poem::http::{HeaderValue, Method, StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response};

use super::error::{OrchestratorError, from_poem};
use super::validate::unsupported_media_type;
use crate::allowed_methods::{AllowedMethods, without_trailing_slash};

/// Whether a path is one of the text endpoints (log, extended information, template).
fn is_text_endpoint(path: &str) -> bool {
    path.ends_with("/log") || path.ends_with("/extrainfo") || path.ends_with("/template")
}

fn accepts_json(req: &Request) -> bool {
    let Some(accept) = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()) else { return true };
    accept.split(',').any(|range| {
        let media = range.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        media.is_empty() || media == "*/*" || media == "application/*" || media == "application/json"
    })
}

/// Wrap the orchestrator routes with the behaviour above.
pub async fn orchestrator_middleware<E: Endpoint>(
    ep: &E,
    allowed: &AllowedMethods,
    mut req: Request,
) -> poem::Result<Response> {
    if let Some(uri) = without_trailing_slash(req.uri()) {
        *req.uri_mut() = uri;
    }
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let content_type = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
    let has_body =
        req.headers().get(header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()).is_some_and(|n| n.trim() != "0")
            || req.headers().contains_key(header::TRANSFER_ENCODING);
    let takes_body = matches!(method, Method::POST | Method::PUT | Method::PATCH);
    let refused_media = if takes_body { unsupported_media_type(content_type.as_deref(), has_body) } else { None };
    let mut resp = if let Some(err) = refused_media {
        err.to_response()
    } else if !is_text_endpoint(&path) && !accepts_json(&req) {
        OrchestratorError::NotAcceptable.to_response()
    } else {
        match ep.call(req).await {
            Ok(resp) => resp.into_response(),
            Err(err) if err.status() == StatusCode::METHOD_NOT_ALLOWED => {
                let mut resp = OrchestratorError::MethodNotAllowed(format!("Request method '{method}' not supported"))
                    .to_response();
                if let Some(allow) = allowed.allow_header(&path).and_then(|a| HeaderValue::from_str(&a).ok()) {
                    resp.headers_mut().insert(header::ALLOW, allow);
                }
                resp
            }
            Err(err) if err.status() == StatusCode::NOT_FOUND => {
                OrchestratorError::NotFound(format!("No handler found for {method} {path}")).to_response()
            }
            Err(err) => from_poem(&err).to_response(),
        }
    };
    let content_type = resp.headers().get(header::CONTENT_TYPE).map(|v| v.as_bytes().to_ascii_lowercase());
    match content_type {
        Some(ct) if ct.starts_with(b"application/json") => {
            resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static(super::JSON_UTF8));
        }
        Some(ct) if ct.starts_with(b"text/plain") => {
            resp.headers_mut().insert(header::CONTENT_TYPE, HeaderValue::from_static("text/plain;charset=UTF-8"));
        }
        _ => {}
    }
    if let Ok(v) = HeaderValue::from_str(&format!("req-{}", crate::determinism::uuid_v4())) {
        resp.headers_mut().insert("X-Request-ID", v);
    }
    Ok(resp)
}
