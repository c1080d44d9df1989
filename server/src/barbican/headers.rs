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

use poem::http::{HeaderValue, Method, StatusCode};
use poem::{Endpoint, IntoResponse, Request, Response};

use super::BarbicanState;
use super::api::{MAX_MICROVERSION, MIN_MICROVERSION};
use super::auth::{Action, authenticate};
use super::error::{BarbicanError, from_poem};
use crate::allowed_methods::{AllowedMethods, without_trailing_slash};

/// Why a microversion header was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MicroversionRefusal {
    /// The `key-manager` entry's version is not `<major>.<minor>` or `latest`: 400.
    Malformed(String),
    /// A well-formed version outside 1.0..=1.1: 406.
    Unsupported(String),
}

impl MicroversionRefusal {
    /// The error Barbican's microversion middleware answers with (its text; standin's error body).
    pub fn error(&self) -> BarbicanError {
        match self {
            MicroversionRefusal::Malformed(v) => {
                BarbicanError::BadRequest(format!("Invalid microversion: invalid version string: {v}"))
            }
            MicroversionRefusal::Unsupported(v) => {
                BarbicanError::NotAcceptable(Some(format!("Invalid microversion: Unacceptable version header: {v}")))
            }
        }
    }
}

/// The microversion to answer with, as Barbican 21.0.0's middleware (microversion_parse) reads the
/// header, observed: a comma list of `<service> <version>` entries; entries of other services, and a
/// bare `key-manager`, are ignored (1.0); the service name is case-insensitive and the last
/// `key-manager` entry wins; `latest` is the maximum; a version is `<major>.<minor>` in integers
/// (`01.1` is 1.1), anything else is malformed (400); a version outside 1.0..=1.1 is a 406.
pub fn negotiate_microversion(header: Option<&str>) -> Result<&'static str, MicroversionRefusal> {
    let Some(value) = header else { return Ok(MIN_MICROVERSION) };
    let mut requested = None;
    for entry in value.split(',') {
        let entry = entry.trim();
        let (service, version) = entry.split_once(char::is_whitespace).unwrap_or((entry, ""));
        if service.eq_ignore_ascii_case("key-manager") && !version.trim().is_empty() {
            requested = Some(version.trim());
        }
    }
    let Some(version) = requested else { return Ok(MIN_MICROVERSION) };
    if version == "latest" {
        return Ok(MAX_MICROVERSION);
    }
    let parsed = version
        .split_once('.')
        .and_then(|(major, minor)| Some((major.parse::<u32>().ok()?, minor.parse::<u32>().ok()?)));
    match parsed {
        None => Err(MicroversionRefusal::Malformed(version.to_string())),
        Some((1, 0)) => Ok(MIN_MICROVERSION),
        Some((1, 1)) => Ok(MAX_MICROVERSION),
        Some(_) => Err(MicroversionRefusal::Unsupported(version.to_string())),
    }
}

fn error_response(err: &BarbicanError) -> Response {
    Response::builder().status(err.status()).content_type("application/json").body(err.to_json())
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
        .unwrap_or_else(|| format!("req-{}", crate::determinism::uuid_v4()));

    // Version discovery answers a refused microversion itself (an HTML 406); every other route gets the
    // middleware's error before the API (or the method check) sees the request.
    let refusal = match negotiate_microversion(microversion_header.as_deref()) {
        Err(refusal) if path != "/" => Some(refusal),
        _ => None,
    };
    let served = allowed.serves(method.as_str(), &path).unwrap_or(true);
    // Built only for the answers that carry it.
    let allow = if served { None } else { allowed.allow_header(&path) };
    let mut resp = if let Some(refusal) = refusal {
        error_response(&refusal.error())
    } else if served {
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
        use MicroversionRefusal::{Malformed, Unsupported};
        assert_eq!(negotiate_microversion(None), Ok("1.0"));
        assert_eq!(negotiate_microversion(Some("key-manager 1.1")), Ok("1.1"));
        assert_eq!(negotiate_microversion(Some("key-manager latest")), Ok("1.1"));
        assert_eq!(negotiate_microversion(Some("KEY-MANAGER  01.1")), Ok("1.1"));
        assert_eq!(negotiate_microversion(Some("compute 2.1,key-manager 1.1")), Ok("1.1"));
        assert_eq!(negotiate_microversion(Some("key-manager 1.1, key-manager 1.0")), Ok("1.0"), "the last entry wins");
        // Values that name no key-manager version are ignored, not refused.
        for ignored in ["compute 1.1", "U-G", "0", "", "key-manager"] {
            assert_eq!(negotiate_microversion(Some(ignored)), Ok("1.0"), "{ignored:?}");
        }
        assert_eq!(negotiate_microversion(Some("key-manager 1.5")), Err(Unsupported("1.5".into())));
        assert_eq!(negotiate_microversion(Some("key-manager 109.118")), Err(Unsupported("109.118".into())));
        assert_eq!(negotiate_microversion(Some("key-manager 1")), Err(Malformed("1".into())));
        assert_eq!(negotiate_microversion(Some("key-manager 1.1 extra")), Err(Malformed("1.1 extra".into())));
    }

    #[test]
    fn one_trailing_slash_is_dropped() {
        let uri: poem::http::Uri = "/v1/orders/?limit=1".parse().unwrap();
        assert_eq!(without_trailing_slash(&uri).unwrap().to_string(), "/v1/orders?limit=1");
        assert!(without_trailing_slash(&"/".parse().unwrap()).is_none());
        assert!(without_trailing_slash(&"/v1/orders".parse().unwrap()).is_none());
    }
}
