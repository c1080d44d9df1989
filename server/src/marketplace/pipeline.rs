//! What happens around every marketplace operation, in the real service's middleware order
//! (CORS, then routing, then the OAuth2 token checks, then the rate limit, then the ETag, around the
//! controller, which does JSON-P):
//!
//! 1. CORS: a request with an `Origin` that is not allowed gets 403 with an empty body; a preflight
//!    is answered 204 here, without a token;
//! 2. routing: an unknown path is 404, `OPTIONS` (without `Origin`) 200 with `Allow`, another
//!    method than GET 405 with `Allow` (both from the spec);
//! 3. the token checks ([`super::auth`]): a refusal is answered at once, with `WWW-Authenticate`,
//!    no rate-limit headers and no ETag; the authorised [`Caller`] goes to the handler;
//! 4. the operation; then, on a 200, JSON-P ([`super::jsonp`]) and the ETag over the final body
//!    ([`super::etag`]), with `If-None-Match` answered 304 and no body;
//! 5. the rate limit ([`super::rate_limit`]): every answer but a 304 is counted, gets the
//!    `X-RateLimit-*` headers, and is replaced by the documented 403 once over the limit;
//! 6. the `Access-Control-Allow-*` headers on cross-origin answers, and the real service's security
//!    and cache headers.
//!
//! [`Caller`]: super::auth::Caller

use std::collections::HashMap;

use chrono::Utc;
use poem::http::{HeaderMap, HeaderName, HeaderValue, Method, StatusCode, header};
use poem::{Endpoint, IntoResponse, Request, Response};

use super::auth::TokenRequest;
use super::cors::{ALLOW_HEADERS, ALLOW_METHODS, MAX_AGE};
use super::endpoints::Endpoint as MarketplaceEndpoint;
use super::error::{MarketplaceError, from_poem};
use super::etag::{etag_of, if_none_match_matches};
use super::jsonp::{Callback, wrap};
use super::rate_limit::{DOCUMENTED_MESSAGE, R1_MESSAGE, RateLimitStatus};
use super::{MarketplaceState, RealBug};
use crate::allowed_methods::AllowedMethods;

/// The request host, lower-cased and without the port: the realm of `WWW-Authenticate` and what
/// a token's audience must name.
fn request_host(req: &Request) -> String {
    let host = req.headers().get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let without_port = match host.find(']') {
        Some(end) => &host[..=end],
        None => host
            .rsplit_once(':')
            .filter(|(_, port)| port.bytes().all(|b| b.is_ascii_digit()))
            .map_or(host, |(name, _)| name),
    };
    without_port.to_ascii_lowercase()
}

fn header_text(headers: &HeaderMap, name: HeaderName) -> Option<&str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn insert(resp: &mut Response, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        resp.headers_mut().insert(HeaderName::from_static(name), value);
    }
}

/// 403 with an empty body: an origin that may not call the API.
fn cors_refusal() -> Response {
    Response::builder().status(StatusCode::FORBIDDEN).finish()
}

/// The 204 answer to a preflight from `origin`.
fn preflight(origin: &str) -> Response {
    let mut resp = Response::builder().status(StatusCode::NO_CONTENT).finish();
    insert(&mut resp, "access-control-allow-origin", origin);
    insert(&mut resp, "access-control-allow-credentials", "true");
    insert(&mut resp, "access-control-max-age", MAX_AGE);
    insert(&mut resp, "access-control-allow-headers", ALLOW_HEADERS);
    insert(&mut resp, "access-control-allow-methods", ALLOW_METHODS);
    resp
}

/// The real service's answer to an exception that escaped the controller (an HTML 500 page).
fn html_server_error() -> Response {
    Response::builder()
        .status(StatusCode::INTERNAL_SERVER_ERROR)
        .content_type("text/html; charset=UTF-8")
        .body("<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Whoops, looks like something went wrong.</h1></body></html>")
}

fn method_not_allowed(allowed: &AllowedMethods, path: &str, realm: &str) -> Response {
    let mut resp = MarketplaceError::MethodNotAllowed.to_response(realm);
    if let Some(allow) = allowed.allow_header(path) {
        insert(&mut resp, "allow", &allow);
    }
    resp
}

fn set_rate_limit_headers(resp: &mut Response, status: &RateLimitStatus) {
    insert(resp, "x-ratelimit-limit", &status.limit.to_string());
    insert(resp, "x-ratelimit-remaining", &status.remaining.to_string());
    insert(resp, "x-ratelimit-reset", &status.reset.to_string());
}

/// JSON-P and the ETag, on a 200: the final body, its content type, and 304 when `If-None-Match`
/// names it.
async fn finish_success(
    resp: Response,
    state: &MarketplaceState,
    callback: &Callback,
    if_none_match: Option<&str>,
    realm: &str,
) -> poem::Result<Response> {
    let (mut parts, body) = resp.into_parts();
    let json = body.into_bytes().await?;
    let (body, content_type) = match callback {
        Callback::None => (json.to_vec(), "application/json"),
        Callback::Wrap(name) => (wrap(name, &json), "text/javascript; charset=UTF-8"),
        Callback::Refused if state.settings.reproduces(RealBug::InvalidCallback500) => return Ok(html_server_error()),
        Callback::Refused => return Ok(MarketplaceError::CallbackRefused.to_response(realm)),
    };
    let etag = etag_of(&body);
    parts.headers.insert(header::ETAG, HeaderValue::from_str(&etag).expect("an ETag is ASCII"));
    parts.headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("private, must-revalidate"));
    if if_none_match.is_some_and(|inm| if_none_match_matches(inm, &etag)) {
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        parts.status = StatusCode::NOT_MODIFIED;
        return Ok(Response::from_parts(parts, poem::Body::empty()));
    }
    parts.headers.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    Ok(Response::from_parts(parts, poem::Body::from(body)))
}

/// Run one marketplace request through the pipeline described above.
pub async fn marketplace_pipeline<E: Endpoint>(
    ep: &E,
    state: &MarketplaceState,
    allowed: &AllowedMethods,
    req: Request,
) -> poem::Result<Response> {
    let path = req.uri().path().to_string();
    let method = req.method().clone();
    let realm = request_host(&req);
    let origin = header_text(req.headers(), header::ORIGIN).map(str::to_string);

    // 1. CORS, before routing and tokens.
    if let Some(origin) = &origin {
        if !state.origins.allows(origin) {
            return Ok(cors_refusal());
        }
        if method == Method::OPTIONS {
            let requested = header_text(req.headers(), header::ACCESS_CONTROL_REQUEST_METHOD);
            return Ok(match requested {
                // Anything but a preflight for a GET is a "complex" request the real service refuses.
                None => cors_refusal(),
                Some(_) if allowed.allow_header(&path).is_none() => MarketplaceError::UnknownPath.to_response(&realm),
                Some(m) if m.eq_ignore_ascii_case("GET") => preflight(origin),
                Some(_) => method_not_allowed(allowed, &path, &realm),
            });
        }
    }

    let mut resp = route_authorize_and_serve(ep, state, allowed, req, &realm, origin.as_deref()).await?;

    // 6. Cross-origin and security headers.
    if let Some(origin) = &origin {
        insert(&mut resp, "access-control-allow-origin", origin);
        insert(&mut resp, "access-control-allow-credentials", "true");
        insert(&mut resp, "vary", "Origin");
    }
    insert(&mut resp, "x-content-type-options", "nosniff");
    insert(&mut resp, "x-xss-protection", "1; mode=block");
    if !resp.headers().contains_key(header::CACHE_CONTROL) {
        insert(&mut resp, "cache-control", "no-cache");
    }
    Ok(resp)
}

/// Steps 2 to 5: routing, tokens, the operation, JSON-P and ETag, the rate limit.
async fn route_authorize_and_serve<E: Endpoint>(
    ep: &E,
    state: &MarketplaceState,
    allowed: &AllowedMethods,
    mut req: Request,
    realm: &str,
    origin: Option<&str>,
) -> poem::Result<Response> {
    let path = req.uri().path().to_string();
    let path = path.as_str();
    // 2. Routing.
    let Some(endpoint) = MarketplaceEndpoint::for_path(path) else {
        return Ok(MarketplaceError::UnknownPath.to_response(realm));
    };
    if req.method() == Method::OPTIONS {
        // Without an Origin, OPTIONS is the framework's automatic answer: 200 with `Allow`.
        let mut resp = Response::builder().status(StatusCode::OK).finish();
        if let Some(allow) = allowed.allow_header(path) {
            insert(&mut resp, "allow", &allow);
        }
        return Ok(resp);
    }
    if req.method() != Method::GET {
        return Ok(method_not_allowed(allowed, path, realm));
    }

    // 3. Tokens.
    let query: HashMap<String, String> = req.params().unwrap_or_default();
    let token_request = TokenRequest {
        authorization: header_text(req.headers(), header::AUTHORIZATION),
        access_token: query.get("access_token").map(String::as_str),
        host: realm,
        origin,
    };
    let scope = endpoint.resource.scope(&state.settings.scope_base);
    match state.tokens.authorize(&token_request, &scope, Utc::now()) {
        Ok(caller) => {
            req.extensions_mut().insert(caller);
        }
        Err(failure) => return Ok(MarketplaceError::OAuth2(failure).to_response(realm)),
    }

    // 4. The operation, then JSON-P and the ETag.
    let callback = Callback::from_query(query.get("callback").map(String::as_str));
    let if_none_match = header_text(req.headers(), header::IF_NONE_MATCH).map(str::to_string);
    let client_ip = req.remote_addr().as_socket_addr().map(|a| a.ip().to_string()).unwrap_or_default();
    let rate_key = format!("{}_{}_{client_ip}", req.uri(), req.method());
    let resp = match ep.call(req).await {
        Ok(resp) => resp.into_response(),
        Err(err) => from_poem(&err).to_response(realm),
    };
    let mut resp = if resp.status() == StatusCode::OK {
        finish_success(resp, state, &callback, if_none_match.as_deref(), realm).await?
    } else {
        resp
    };

    // 5. The rate limit.
    let counted = if resp.status() == StatusCode::NOT_MODIFIED {
        None
    } else {
        match state.limiter.count_request(endpoint, &rate_key).await {
            Ok(counted) => counted,
            Err(e) => {
                tracing::error!(error = %e, "rate-limit counter failure");
                return Ok(MarketplaceError::Internal(e.to_string()).to_response(realm));
            }
        }
    };
    if let Some(status) = counted {
        if status.exceeded {
            let message =
                if state.settings.reproduces(RealBug::RateLimitWhitespace) { R1_MESSAGE } else { DOCUMENTED_MESSAGE };
            resp = MarketplaceError::RateLimited(message).to_response(realm);
        }
        set_rate_limit_headers(&mut resp, &status);
    }
    Ok(resp)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_realm_is_the_host_without_its_port() {
        let req = |host: &str| Request::builder().header("host", host).finish();
        assert_eq!(request_host(&req("LocalHost:8082")), "localhost");
        assert_eq!(request_host(&req("openstackid-resources.org")), "openstackid-resources.org");
        assert_eq!(request_host(&req("[::1]:8082")), "[::1]");
    }
}
