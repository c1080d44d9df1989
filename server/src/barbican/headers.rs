//! What Barbican adds to, or does to, every request and response, apart from the operations.
//!
//! - `/v1/orders/` and `/v1/orders/{id}/` behave like the paths without the slash (the client posts
//!   to `/v1/orders/`).
//! - Every response carries `openstack-api-version` (the negotiated microversion) and
//!   `x-openstack-request-id` (the caller's, echoed, or a fresh `req-<uuid>`).
//! - Requests the router cannot place get Barbican's error body: 404 with an empty description for
//!   an unknown path, 405 with `Allow` for an unsupported method. As in Barbican, an unsupported
//!   method on one order is answered only after the order is looked up (404 when the caller's
//!   project has no such order), and `PUT /v1/orders` passes the policy check before its 405
//!   "Order update is not supported.". `OPTIONS` on any of its paths is an empty 200.

use poem::http::{HeaderValue, Method, StatusCode, Uri};
use poem::{Endpoint, IntoResponse, Request, Response};

use super::BarbicanState;
use super::api::{MAX_MICROVERSION, MIN_MICROVERSION};
use super::auth::{Action, authenticate};
use super::error::{BarbicanError, from_poem};
use crate::allowed_methods::AllowedMethods;

/// The microversion to answer with: 1.0 without a header; `latest` is the maximum; an unsupported
/// one is `None` (a 406).
pub fn negotiate_microversion(header: Option<&str>) -> Option<&'static str> {
    let Some(value) = header else { return Some(MIN_MICROVERSION) };
    let version = value.trim().strip_prefix("key-manager")?.trim();
    match version {
        "latest" => Some(MAX_MICROVERSION),
        v if v == MIN_MICROVERSION => Some(MIN_MICROVERSION),
        v if v == MAX_MICROVERSION => Some(MAX_MICROVERSION),
        _ => None,
    }
}

fn error_response(err: &BarbicanError) -> Response {
    Response::builder().status(err.status()).content_type("application/json").body(err.to_json())
}

/// Strip one trailing slash from a path (not from `/` itself).
fn without_trailing_slash(uri: &Uri) -> Option<Uri> {
    let path = uri.path();
    if path.len() <= 1 || !path.ends_with('/') {
        return None;
    }
    let trimmed = &path[..path.len() - 1];
    let rebuilt = match uri.query() {
        Some(q) => format!("{trimmed}?{q}"),
        None => trimmed.to_string(),
    };
    rebuilt.parse().ok()
}

/// Why Barbican refuses a method the router does not serve on `path`: what it checks first (the
/// caller, the policy, the order's existence), then the 405 and its description.
async fn refuse_method(state: &BarbicanState, req: &Request, path: &str) -> BarbicanError {
    let not_allowed = |description: &str| BarbicanError::MethodNotAllowed { description: description.into() };
    let order_id = path.strip_prefix("/v1/orders/").filter(|id| !id.contains('/'));
    let is_update = path == "/v1/orders" && req.method() == Method::PUT;
    if order_id.is_none() && !is_update {
        return not_allowed("");
    }
    let caller = match authenticate(req, state.settings.auth_mode, &state.tokens) {
        Ok(caller) => caller,
        Err(err) => return err,
    };
    match order_id {
        Some(id) => match state.orders.require_existing(&caller, id).await {
            Ok(()) => not_allowed(""),
            Err(err) => err,
        },
        None => match caller.authorize(Action::UpdateOrder) {
            Ok(()) => not_allowed("Order update is not supported."),
            Err(err) => err,
        },
    }
}

/// Wrap the Barbican routes with the behaviour above.
pub async fn barbican_middleware<E: Endpoint>(
    ep: &E,
    state: &BarbicanState,
    allowed: &AllowedMethods,
    mut req: Request,
) -> poem::Result<Response> {
    if let Some(uri) = without_trailing_slash(req.uri()) {
        *req.uri_mut() = uri;
    }
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let microversion_header =
        req.headers().get("OpenStack-API-Version").and_then(|v| v.to_str().ok()).map(str::to_string);
    let request_id = req
        .headers()
        .get("X-Openstack-Request-Id")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
        .unwrap_or_else(|| format!("req-{}", uuid::Uuid::new_v4()));

    let allow = allowed.allow_header(&path);
    let served = allow.as_deref().is_none_or(|allow| allow.split(", ").any(|m| m == method.as_str()));
    let mut resp = if served {
        match ep.call(req).await {
            Ok(resp) => resp.into_response(),
            Err(err) if err.status() == StatusCode::NOT_FOUND => {
                error_response(&BarbicanError::NotFound(String::new()))
            }
            Err(err) => error_response(&from_poem(&err)),
        }
    } else if method == Method::OPTIONS {
        // Barbican answers OPTIONS on any of its paths with an empty 200; the Allow header is ours.
        let mut resp = Response::builder().status(StatusCode::OK).finish();
        if let Some(Ok(allow)) = allow.as_deref().map(HeaderValue::from_str) {
            resp.headers_mut().insert(poem::http::header::ALLOW, allow);
        }
        resp
    } else {
        let refusal = refuse_method(state, &req, &path).await;
        let mut resp = error_response(&refusal);
        if let (BarbicanError::MethodNotAllowed { .. }, Some(Ok(allow))) =
            (&refusal, allow.as_deref().map(HeaderValue::from_str))
        {
            resp.headers_mut().insert(poem::http::header::ALLOW, allow);
        }
        resp
    };
    // Barbican answers JSON as `application/json`, without a charset.
    if resp
        .headers()
        .get(poem::http::header::CONTENT_TYPE)
        .is_some_and(|ct| ct.as_bytes().starts_with(b"application/json"))
    {
        resp.headers_mut().insert(poem::http::header::CONTENT_TYPE, HeaderValue::from_static("application/json"));
    }
    let negotiated = negotiate_microversion(microversion_header.as_deref()).unwrap_or(MIN_MICROVERSION);
    if let Ok(v) = HeaderValue::from_str(&format!("key-manager {negotiated}")) {
        resp.headers_mut().insert("openstack-api-version", v);
    }
    resp.headers_mut().insert("vary", HeaderValue::from_static("openstack-api-version"));
    if let Ok(v) = HeaderValue::from_str(&request_id) {
        resp.headers_mut().insert("x-openstack-request-id", v);
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn microversions_negotiate_like_barbican_21() {
        assert_eq!(negotiate_microversion(None), Some("1.0"));
        assert_eq!(negotiate_microversion(Some("key-manager 1.1")), Some("1.1"));
        assert_eq!(negotiate_microversion(Some("key-manager latest")), Some("1.1"));
        assert_eq!(negotiate_microversion(Some("key-manager 1.5")), None);
        assert_eq!(negotiate_microversion(Some("compute 1.1")), None);
    }

    #[test]
    fn one_trailing_slash_is_dropped() {
        let uri: Uri = "/v1/orders/?limit=1".parse().unwrap();
        assert_eq!(without_trailing_slash(&uri).unwrap().to_string(), "/v1/orders?limit=1");
        assert!(without_trailing_slash(&"/".parse().unwrap()).is_none());
        assert!(without_trailing_slash(&"/v1/orders".parse().unwrap()).is_none());
    }
}
