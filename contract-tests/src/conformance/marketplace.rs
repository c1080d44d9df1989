//! The marketplace checks: every operation × documented status of `openapi/marketplace.yaml`.
//!
//! The checks call the server through `marketplace-client`, the client generated from the contract.
//! The bearer token is a default header of its HTTP client rather than its `oauth_access_token`:
//! openapi-generator 7.26.0's Rust client sends `Authorization` once per OAuth flow the scheme
//! declares (three here), which HTTP forbids for a single-valued header and which proxies such as
//! nginx refuse with a 400, so a target behind one could not be judged. Plain reqwest is used only
//! where the generated client cannot see what a check needs, each place saying so:
//!
//! - **Response headers** (`ETag`, `WWW-Authenticate`, the rate-limit headers) are not exposed by the
//!   generated functions.
//! - **304 Not Modified** has no body, and the generated functions parse every non-error answer as the
//!   success model, so a 304 comes back as a deserialisation error that hides the status.
//!
//! Credentials: `--token` (all three read scopes) drives the checks; `--narrow-token` (a valid token that
//! grants none of the marketplace scopes) the scope 403s; `--expired-token` an extra expiry 401 (the
//! required 401 uses a token no server issues). The 500s need a server failure: with `--control-url`
//! (standin's control plane) a one-shot fault rule forces it; otherwise they skip. The rate-limit 403s
//! run only for the operations named with `--rate-limited-operation` (an endpoint with a configured
//! limit); the others skip, since a target without limits never answers that 403.
//!
//! The marketplace is read-only: there is nothing to create, so the checks read the first entity each
//! list gives and skip (with the reason) when the target has none.

use std::time::Duration;

use marketplace_client::apis::configuration::Configuration;
use marketplace_client::apis::{Error as ClientError, consultants_api, private_clouds_api, public_clouds_api};
use marketplace_client::models;
use serde_json::{Value, json};

use super::json_diff::expect_json;
use super::{Check, CheckFuture, CheckResult, Problem, Target, ensure};

/// A token no server issues.
const INVALID_TOKEN: &str = "standin-conformance-invalid-token";
/// An id no entity has.
const UNKNOWN_ID: i32 = 987_654_321;

const MISSING_TOKEN: &str = "missing access token";
const INVALID_TOKEN_TEXT: &str =
    "the access token provided is expired, revoked, malformed, or invalid for other reasons.";
const INSUFFICIENT_SCOPE: &str = "the request requires higher privileges than provided by the access token";
const CALLBACK_REFUSED: &str = "Invalid callback: expected a JavaScript identifier or a dotted path of identifiers.";
const RATE_LIMITED: &str = "You have triggered an abuse detection mechanism and have been temporarily blocked. Please retry your request again later.";

/// The nine operations.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    ListPublic,
    GetPublic,
    PublicDataCenters,
    ListPrivate,
    GetPrivate,
    PrivateDataCenters,
    ListConsultants,
    GetConsultant,
    ConsultantOffices,
}

impl Op {
    fn id(self) -> &'static str {
        match self {
            Op::ListPublic => "listPublicClouds",
            Op::GetPublic => "getPublicCloud",
            Op::PublicDataCenters => "getPublicCloudDataCenters",
            Op::ListPrivate => "listPrivateClouds",
            Op::GetPrivate => "getPrivateCloud",
            Op::PrivateDataCenters => "getPrivateCloudDataCenters",
            Op::ListConsultants => "listConsultants",
            Op::GetConsultant => "getConsultant",
            Op::ConsultantOffices => "getConsultantOffices",
        }
    }

    fn is_list(self) -> bool {
        matches!(self, Op::ListPublic | Op::ListPrivate | Op::ListConsultants)
    }

    /// The list of the same kind.
    fn list(self) -> Op {
        match self {
            Op::ListPublic | Op::GetPublic | Op::PublicDataCenters => Op::ListPublic,
            Op::ListPrivate | Op::GetPrivate | Op::PrivateDataCenters => Op::ListPrivate,
            _ => Op::ListConsultants,
        }
    }

    /// The path, for the plain-reqwest checks.
    fn path(self, id: i32) -> String {
        let base = "/api/v1/marketplace";
        match self {
            Op::ListPublic => format!("{base}/public-clouds"),
            Op::GetPublic => format!("{base}/public-clouds/{id}"),
            Op::PublicDataCenters => format!("{base}/public-clouds/{id}/data-centers"),
            Op::ListPrivate => format!("{base}/private-clouds"),
            Op::GetPrivate => format!("{base}/private-clouds/{id}"),
            Op::PrivateDataCenters => format!("{base}/private-clouds/{id}/data-centers"),
            Op::ListConsultants => format!("{base}/consultants"),
            Op::GetConsultant => format!("{base}/consultants/{id}"),
            Op::ConsultantOffices => format!("{base}/consultants/{id}/offices"),
        }
    }
}

/// The list parameters a check sends (the generated models' types).
#[derive(Debug, Clone, Default)]
struct ListArgs {
    page: Option<i32>,
    per_page: Option<i32>,
    status: Option<models::ListStatus>,
    order_by: Option<models::ListOrder>,
    order_dir: Option<models::OrderDirection>,
    callback: Option<String>,
}

/// How a generated-client call ended.
#[derive(Debug)]
enum Outcome {
    /// A success, its model as JSON.
    Ok(Value),
    /// An error status and its raw body.
    Status(u16, String),
    /// Transport or deserialisation failure.
    Broken(String),
}

fn outcome<T: serde::Serialize, E>(result: Result<T, ClientError<E>>) -> Outcome {
    match result {
        Ok(v) => Outcome::Ok(serde_json::to_value(v).unwrap_or(Value::Null)),
        Err(ClientError::ResponseError(r)) => Outcome::Status(r.status.as_u16(), r.content),
        Err(ClientError::Serde(e)) => Outcome::Broken(format!("a body that does not match the contract's schema: {e}")),
        Err(ClientError::Reqwest(e)) => Outcome::Broken(format!("transport error: {e}")),
        Err(ClientError::Io(e)) => Outcome::Broken(format!("I/O error: {e}")),
    }
}

fn config(t: &Target, token: Option<&str>) -> Configuration {
    let mut headers = reqwest::header::HeaderMap::new();
    if let Some(value) = token.and_then(|t| reqwest::header::HeaderValue::from_str(&format!("Bearer {t}")).ok()) {
        headers.insert(reqwest::header::AUTHORIZATION, value);
    }
    Configuration {
        base_path: t.base_url.clone(),
        client: reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .default_headers(headers)
            .build()
            .unwrap_or_default(),
        oauth_access_token: None,
        ..Configuration::default()
    }
}

fn token(t: &Target) -> Result<&str, Problem> {
    t.credentials.token.as_deref().ok_or_else(|| Problem::Skip("needs --token (a token with every read scope)".into()))
}

/// Call `op` through the generated client.
async fn call(op: Op, cfg: &Configuration, id: i32, args: ListArgs) -> Outcome {
    let ListArgs { page, per_page, status, order_by, order_dir, callback } = args;
    match op {
        Op::ListPublic => outcome(
            public_clouds_api::list_public_clouds(
                cfg,
                public_clouds_api::ListPublicCloudsParams {
                    page,
                    per_page,
                    status,
                    order_by,
                    order_dir,
                    callback,
                    if_none_match: None,
                },
            )
            .await,
        ),
        Op::GetPublic => outcome(
            public_clouds_api::get_public_cloud(
                cfg,
                public_clouds_api::GetPublicCloudParams { id, callback, if_none_match: None },
            )
            .await,
        ),
        Op::PublicDataCenters => outcome(
            public_clouds_api::get_public_cloud_data_centers(
                cfg,
                public_clouds_api::GetPublicCloudDataCentersParams { id, callback, if_none_match: None },
            )
            .await,
        ),
        Op::ListPrivate => outcome(
            private_clouds_api::list_private_clouds(
                cfg,
                private_clouds_api::ListPrivateCloudsParams {
                    page,
                    per_page,
                    status,
                    order_by,
                    order_dir,
                    callback,
                    if_none_match: None,
                },
            )
            .await,
        ),
        Op::GetPrivate => outcome(
            private_clouds_api::get_private_cloud(
                cfg,
                private_clouds_api::GetPrivateCloudParams { id, callback, if_none_match: None },
            )
            .await,
        ),
        Op::PrivateDataCenters => outcome(
            private_clouds_api::get_private_cloud_data_centers(
                cfg,
                private_clouds_api::GetPrivateCloudDataCentersParams { id, callback, if_none_match: None },
            )
            .await,
        ),
        Op::ListConsultants => outcome(
            consultants_api::list_consultants(
                cfg,
                consultants_api::ListConsultantsParams {
                    page,
                    per_page,
                    status,
                    order_by,
                    order_dir,
                    callback,
                    if_none_match: None,
                },
            )
            .await,
        ),
        Op::GetConsultant => outcome(
            consultants_api::get_consultant(
                cfg,
                consultants_api::GetConsultantParams { id, callback, if_none_match: None },
            )
            .await,
        ),
        Op::ConsultantOffices => outcome(
            consultants_api::get_consultant_offices(
                cfg,
                consultants_api::GetConsultantOfficesParams { id, callback, if_none_match: None },
            )
            .await,
        ),
    }
}

/// The id of the first entity of `op`'s kind (what a single-entity check reads).
async fn some_id(t: &Target, op: Op) -> Result<i32, Problem> {
    if op.is_list() {
        return Ok(0);
    }
    let cfg = config(t, Some(token(t)?));
    match call(op.list(), &cfg, 0, ListArgs::default()).await {
        Outcome::Ok(page) => page
            .pointer("/data/0/ID")
            .and_then(Value::as_str)
            .and_then(|id| id.parse().ok())
            .ok_or_else(|| Problem::Skip(format!("the target's {} is empty: nothing to read", op.list().id()))),
        other => Err(Problem::fail(format!("{} (to find an id)", op.list().id()), 200, describe(&other))),
    }
}

fn describe(o: &Outcome) -> String {
    match o {
        Outcome::Ok(v) => format!("success {}", truncate(&v.to_string())),
        Outcome::Status(s, body) => format!("{s} {}", truncate(body)),
        Outcome::Broken(why) => why.clone(),
    }
}

fn truncate(text: &str) -> String {
    const MAX: usize = 300;
    if text.len() <= MAX {
        return text.to_string();
    }
    let mut end = MAX;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &text[..end])
}

/// Require an error status whose body is exactly `expected` (compared as JSON, so that a failure names
/// the path) and parses as the contract's model `M` for it.
fn expect_error<M: serde::de::DeserializeOwned>(
    what: &str,
    status: u16,
    expected: &Value,
    got: Outcome,
) -> CheckResult {
    let body = match got {
        Outcome::Status(s, body) if s == status => body,
        other => return Err(Problem::fail(format!("{what} status"), status, describe(&other))),
    };
    let parsed: Value = serde_json::from_str(&body)
        .map_err(|e| Problem::fail(format!("{what} body"), "JSON", format!("{e}: {}", truncate(&body))))?;
    expect_json(&format!("{what} body"), expected, &parsed)?;
    serde_json::from_str::<M>(&body).map(|_| ()).map_err(|e| {
        Problem::fail(
            format!("{what} body"),
            "a body of the contract's error schema",
            format!("{e}: {}", truncate(&body)),
        )
    })
}

/// A plain request (for headers and 304s, which the generated client does not expose).
async fn raw(
    t: &Target,
    op: Op,
    id: i32,
    token: Option<&str>,
    extra: &[(&str, &str)],
) -> Result<reqwest::Response, Problem> {
    let client = reqwest::Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| Problem::fail("HTTP client", "a client", e))?;
    let mut req = client.get(format!("{}{}", t.base_url, op.path(id)));
    if let Some(token) = token {
        req = req.bearer_auth(token);
    }
    for (name, value) in extra {
        req = req.header(*name, *value);
    }
    req.send().await.map_err(|e| Problem::fail(format!("GET {}", op.path(id)), "an answer", e))
}

fn header_of(resp: &reqwest::Response, name: &str) -> Option<String> {
    resp.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
}

// ---- the checks, each generic over the operation ----

async fn ok_200(t: &Target, op: Op) -> CheckResult {
    let id = some_id(t, op).await?;
    let cfg = config(t, Some(token(t)?));
    let got = call(op, &cfg, id, ListArgs::default()).await;
    let Outcome::Ok(body) = got else {
        return Err(Problem::fail(op.id(), "200 with a body matching the contract", describe(&got)));
    };
    if op.is_list() {
        let per_page = body.get("per_page").and_then(Value::as_i64);
        ensure(per_page == Some(10), "$.per_page (the default page size)", 10, format!("{per_page:?}"))?;
        let current = body.get("current_page").and_then(Value::as_i64);
        ensure(current == Some(1), "$.current_page", 1, format!("{current:?}"))?;
    } else if matches!(op, Op::GetPublic | Op::GetPrivate | Op::GetConsultant) {
        let got_id = body.get("ID").and_then(Value::as_str).unwrap_or_default().to_string();
        ensure(got_id == id.to_string(), "$.ID", id, &got_id)?;
    }
    Ok(())
}

async fn list_pages(t: &Target, op: Op) -> CheckResult {
    let cfg = config(t, Some(token(t)?));
    let args = ListArgs {
        page: Some(2),
        per_page: Some(10),
        order_by: Some(models::ListOrder::Name),
        order_dir: Some(models::OrderDirection::Desc),
        status: Some(models::ListStatus::All),
        ..ListArgs::default()
    };
    let got = call(op, &cfg, 0, args).await;
    let Outcome::Ok(body) = got else {
        return Err(Problem::fail(op.id(), "200 with a body matching the contract", describe(&got)));
    };
    let total = body.get("total").and_then(Value::as_i64).unwrap_or_default();
    if total <= 10 {
        return Err(Problem::Skip(format!(
            "needs more than 10 entries in {} for a second page (has {total})",
            op.id()
        )));
    }
    let current = body.get("current_page").and_then(Value::as_i64);
    ensure(current == Some(2), "$.current_page", 2, format!("{current:?}"))?;
    let from = body.get("from").and_then(Value::as_i64);
    ensure(from == Some(11), "$.from", 11, format!("{from:?}"))?;
    let names: Vec<String> = body
        .get("data")
        .and_then(Value::as_array)
        .map(|d| d.iter().map(|e| e.get("Name").and_then(Value::as_str).unwrap_or_default().to_lowercase()).collect())
        .unwrap_or_default();
    let mut sorted = names.clone();
    sorted.sort();
    sorted.reverse();
    ensure(names == sorted, "$.data order (order_by=name, order_dir=desc)", format!("{sorted:?}"), format!("{names:?}"))
}

async fn jsonp_200(t: &Target, op: Op) -> CheckResult {
    // Plain reqwest: a JSON-P answer is text/javascript, which the generated client cannot read.
    let id = some_id(t, op).await?;
    let resp = raw(t, op, id, Some(token(t)?), &[]).await?;
    let plain = resp.text().await.unwrap_or_default();
    let url = format!("{}{}?callback=cb.done", t.base_url, op.path(id));
    let resp = reqwest::Client::new()
        .get(url)
        .bearer_auth(token(t)?)
        .send()
        .await
        .map_err(|e| Problem::fail(op.id(), "an answer", e))?;
    let status = resp.status().as_u16();
    ensure(status == 200, "status", 200, status)?;
    let ct = header_of(&resp, "content-type").unwrap_or_default();
    ensure(ct.starts_with("text/javascript"), "Content-Type", "text/javascript; charset=UTF-8", &ct)?;
    let text = resp.text().await.unwrap_or_default();
    let expected = format!("/**/cb.done({plain});");
    ensure(text == expected, "body", truncate(&expected), truncate(&text))
}

async fn not_modified_304(t: &Target, op: Op) -> CheckResult {
    // Plain reqwest: the ETag header, and a 304 without body (see the module docs).
    let id = some_id(t, op).await?;
    let tok = token(t)?;
    let first = raw(t, op, id, Some(tok), &[]).await?;
    ensure(first.status().as_u16() == 200, "first GET status", 200, first.status().as_u16())?;
    let etag = header_of(&first, "etag").ok_or_else(|| Problem::fail("ETag header of the 200", "an ETag", "none"))?;
    ensure(etag.starts_with('"') && etag.ends_with('"'), "ETag (a strong validator)", "\"<md5>\"", &etag)?;
    let again = raw(t, op, id, Some(tok), &[("if-none-match", &etag)]).await?;
    let status = again.status().as_u16();
    ensure(status == 304, "status with If-None-Match", 304, status)?;
    let text = again.text().await.unwrap_or_default();
    ensure(text.is_empty(), "304 body", "none", truncate(&text))?;
    let weak = raw(t, op, id, Some(tok), &[("if-none-match", &format!("W/{etag}"))]).await?;
    ensure(
        weak.status().as_u16() == 200,
        "status with a weak If-None-Match (never matches)",
        200,
        weak.status().as_u16(),
    )
}

async fn missing_token_400(t: &Target, op: Op) -> CheckResult {
    let id = some_id(t, op).await.unwrap_or(1);
    let got = call(op, &config(t, None), id, ListArgs::default()).await;
    let expected = json!({"error": "invalid_request", "error_description": MISSING_TOKEN});
    expect_error::<models::BadRequestError>("no access token", 400, &expected, got)?;
    // Plain reqwest for the header the generated client does not expose.
    let resp = raw(t, op, id, None, &[]).await?;
    let www = header_of(&resp, "www-authenticate").unwrap_or_default();
    ensure(
        www.starts_with("Bearer ") && www.contains("error=\"invalid_request\"") && www.contains(MISSING_TOKEN),
        "WWW-Authenticate",
        format!("Bearer realm=..., error=\"invalid_request\", error_description=\"{MISSING_TOKEN}\""),
        &www,
    )
}

async fn bad_callback_400(t: &Target, op: Op) -> CheckResult {
    let id = some_id(t, op).await?;
    let cfg = config(t, Some(token(t)?));
    let args = ListArgs { callback: Some("1cb".into()), ..ListArgs::default() };
    let got = call(op, &cfg, id, args).await;
    expect_error::<models::BadRequestError>("callback=1cb", 400, &json!({"message": CALLBACK_REFUSED}), got)
}

async fn invalid_token_401(t: &Target, op: Op) -> CheckResult {
    let id = some_id(t, op).await.unwrap_or(1);
    let got = call(op, &config(t, Some(INVALID_TOKEN)), id, ListArgs::default()).await;
    let expected = json!({"error": "invalid_token", "error_description": INVALID_TOKEN_TEXT});
    expect_error::<models::OAuth2Error>("unknown token", 401, &expected, got)?;
    let resp = raw(t, op, id, Some(INVALID_TOKEN), &[]).await?;
    let www = header_of(&resp, "www-authenticate").unwrap_or_default();
    ensure(
        www.starts_with("Bearer ") && www.contains("error=\"invalid_token\""),
        "WWW-Authenticate",
        "Bearer realm=..., error=\"invalid_token\", ...",
        &www,
    )
}

async fn expired_token_401(t: &Target, op: Op) -> CheckResult {
    let expired = t
        .credentials
        .expired_token
        .as_deref()
        .ok_or_else(|| Problem::Skip("needs --expired-token (a token past its expiry)".into()))?;
    let id = some_id(t, op).await.unwrap_or(1);
    let got = call(op, &config(t, Some(expired)), id, ListArgs::default()).await;
    let expected = json!({"error": "invalid_token", "error_description": INVALID_TOKEN_TEXT});
    expect_error::<models::OAuth2Error>("expired token", 401, &expected, got)
}

async fn insufficient_scope_403(t: &Target, op: Op) -> CheckResult {
    let narrow = t.credentials.narrow_token.as_deref().ok_or_else(|| {
        Problem::Skip("needs --narrow-token (a valid token granting none of the marketplace scopes)".into())
    })?;
    let id = some_id(t, op).await?;
    let got = call(op, &config(t, Some(narrow)), id, ListArgs::default()).await;
    // The body names the endpoint's scope, whose base is the target's: taken from the answer, then required
    // in the WWW-Authenticate header below.
    let scope = match &got {
        Outcome::Status(_, body) => serde_json::from_str::<Value>(body)
            .ok()
            .and_then(|v| v.get("scope").and_then(Value::as_str).map(str::to_string))
            .unwrap_or_default(),
        _ => String::new(),
    };
    ensure(scope.ends_with("/read"), "403 body $.scope", "the endpoint's scope <base>/<family>/read", &scope)?;
    let expected = json!({"error": "insufficient_scope", "error_description": INSUFFICIENT_SCOPE, "scope": scope});
    expect_error::<models::ForbiddenError>("token without the scope", 403, &expected, got)?;
    let resp = raw(t, op, id, Some(narrow), &[]).await?;
    let www = header_of(&resp, "www-authenticate").unwrap_or_default();
    ensure(
        www.contains("error=\"insufficient_scope\"") && www.contains(&format!("scope=\"{scope}\"")),
        "WWW-Authenticate",
        "Bearer ..., error=\"insufficient_scope\", ..., scope=\"<the endpoint's scope>\"",
        &www,
    )
}

async fn rate_limited_403(t: &Target, op: Op) -> CheckResult {
    if !t.credentials.rate_limited_operations.iter().any(|o| o == op.id()) {
        return Err(Problem::Skip(format!(
            "the target has no rate limit on {} (name it with --rate-limited-operation to run this check)",
            op.id()
        )));
    }
    let id = some_id(t, op).await?;
    let tok = token(t)?;
    // Plain reqwest: the X-RateLimit-* headers tell how many requests are left.
    for _ in 0..1000 {
        let resp = raw(t, op, id, Some(tok), &[]).await?;
        if resp.status().as_u16() == 403 {
            let limit = header_of(&resp, "x-ratelimit-limit");
            ensure(limit.is_some(), "X-RateLimit-Limit on the 403", "present", "absent")?;
            let text = resp.text().await.unwrap_or_default();
            let body: Value = serde_json::from_str(&text)
                .map_err(|e| Problem::fail("403 body", "JSON", format!("{e}: {}", truncate(&text))))?;
            expect_json("rate-limit 403 body", &json!({"message": RATE_LIMITED}), &body)?;
            return serde_json::from_str::<models::ForbiddenError>(&text)
                .map(|_| ())
                .map_err(|e| Problem::fail("403 body", "a ForbiddenError", e));
        }
        ensure(resp.status().as_u16() == 200, "status before the limit", 200, resp.status().as_u16())?;
        ensure(header_of(&resp, "x-ratelimit-remaining").is_some(), "X-RateLimit-Remaining", "present", "absent")?;
    }
    Err(Problem::fail("rate limit", "a 403 within 1000 requests", "none"))
}

async fn not_found_404(t: &Target, op: Op) -> CheckResult {
    let cfg = config(t, Some(token(t)?));
    let got = call(op, &cfg, UNKNOWN_ID, ListArgs::default()).await;
    expect_error::<models::MarketplaceError>("unknown id", 404, &json!({"message": "Entity Not Found"}), got)
}

async fn paging_412(t: &Target, op: Op) -> CheckResult {
    let cfg = config(t, Some(token(t)?));
    let args = ListArgs { page: Some(1), per_page: Some(5), ..ListArgs::default() };
    let got = call(op, &cfg, 0, args).await;
    let expected =
        json!({"message": "Validation Failed", "errors": {"per_page": ["The per page must be at least 10."]}});
    expect_error::<models::ValidationError>("per_page=5", 412, &expected, got)
}

async fn order_dir_required_412(t: &Target, op: Op) -> CheckResult {
    let cfg = config(t, Some(token(t)?));
    let args =
        ListArgs { order_by: Some(models::ListOrder::Name), page: Some(0), per_page: Some(10), ..ListArgs::default() };
    let got = call(op, &cfg, 0, args).await;
    let expected = json!({"message": "Validation Failed", "errors": {
        "page": ["The page must be at least 1."],
        "order_dir": ["The order dir field is required when order by is present."],
    }});
    expect_error::<models::ValidationError>("page=0 and order_by without order_dir", 412, &expected, got)
}

async fn server_error_500(t: &Target, op: Op) -> CheckResult {
    let id = some_id(t, op).await?;
    let rule = super::control::inject_fault(t, "marketplace", op.id(), 500).await?;
    let got = call(op, &config(t, Some(token(t)?)), id, ListArgs::default()).await;
    super::control::remove_fault(t, &rule).await;
    let expected = json!({"message": "Internal Server Error (injected by standin)"});
    expect_error::<models::MarketplaceError>("injected server failure", 500, &expected, got)
}

macro_rules! check {
    ($op:expr, $status:literal, $name:literal, $f:ident) => {
        Check {
            operation_id: $op.id(),
            status: $status,
            name: $name,
            errata: None,
            run: |t: &Target| -> CheckFuture<'_> { Box::pin($f(t, $op)) },
        }
    };
}

macro_rules! every_op {
    ($out:ident, [$($op:expr),*], $status:literal, $name:literal, $f:ident) => {
        $( $out.push(check!($op, $status, $name, $f)); )*
    };
}

/// Every marketplace check.
pub fn checks() -> Vec<Check> {
    use Op::*;
    let mut c = Vec::new();
    let all = [
        ListPublic,
        GetPublic,
        PublicDataCenters,
        ListPrivate,
        GetPrivate,
        PrivateDataCenters,
        ListConsultants,
        GetConsultant,
        ConsultantOffices,
    ];
    every_op!(
        c,
        [
            ListPublic,
            GetPublic,
            PublicDataCenters,
            ListPrivate,
            GetPrivate,
            PrivateDataCenters,
            ListConsultants,
            GetConsultant,
            ConsultantOffices
        ],
        200,
        "the first entity (or the first page) parses as the contract's model",
        ok_200
    );
    every_op!(
        c,
        [ListPublic, ListPrivate, ListConsultants],
        200,
        "page 2 of 10 ordered by name desc: current_page 2, from 11, names descending",
        list_pages
    );
    every_op!(
        c,
        [
            ListPublic,
            GetPublic,
            PublicDataCenters,
            ListPrivate,
            GetPrivate,
            PrivateDataCenters,
            ListConsultants,
            GetConsultant,
            ConsultantOffices
        ],
        200,
        "callback=cb.done wraps the same body as /**/cb.done(...); in text/javascript",
        jsonp_200
    );
    every_op!(
        c,
        [
            ListPublic,
            GetPublic,
            PublicDataCenters,
            ListPrivate,
            GetPrivate,
            PrivateDataCenters,
            ListConsultants,
            GetConsultant,
            ConsultantOffices
        ],
        304,
        "If-None-Match with the 200's strong ETag is 304 without a body; a weak one is 200",
        not_modified_304
    );
    every_op!(
        c,
        [
            ListPublic,
            GetPublic,
            PublicDataCenters,
            ListPrivate,
            GetPrivate,
            PrivateDataCenters,
            ListConsultants,
            GetConsultant,
            ConsultantOffices
        ],
        400,
        "no access token is 400 invalid_request (missing access token) with WWW-Authenticate",
        missing_token_400
    );
    every_op!(
        c,
        [
            ListPublic,
            GetPublic,
            PublicDataCenters,
            ListPrivate,
            GetPrivate,
            PrivateDataCenters,
            ListConsultants,
            GetConsultant,
            ConsultantOffices
        ],
        400,
        "callback=1cb is 400 with the API's message",
        bad_callback_400
    );
    every_op!(
        c,
        [
            ListPublic,
            GetPublic,
            PublicDataCenters,
            ListPrivate,
            GetPrivate,
            PrivateDataCenters,
            ListConsultants,
            GetConsultant,
            ConsultantOffices
        ],
        401,
        "an unknown token is 401 invalid_token with WWW-Authenticate",
        invalid_token_401
    );
    every_op!(
        c,
        [
            ListPublic,
            GetPublic,
            PublicDataCenters,
            ListPrivate,
            GetPrivate,
            PrivateDataCenters,
            ListConsultants,
            GetConsultant,
            ConsultantOffices
        ],
        401,
        "an expired token (--expired-token) is 401 invalid_token",
        expired_token_401
    );
    every_op!(
        c,
        [
            ListPublic,
            GetPublic,
            PublicDataCenters,
            ListPrivate,
            GetPrivate,
            PrivateDataCenters,
            ListConsultants,
            GetConsultant,
            ConsultantOffices
        ],
        403,
        "a token without the endpoint's scope (--narrow-token) is 403 insufficient_scope with WWW-Authenticate",
        insufficient_scope_403
    );
    every_op!(
        c,
        [
            ListPublic,
            GetPublic,
            PublicDataCenters,
            ListPrivate,
            GetPrivate,
            PrivateDataCenters,
            ListConsultants,
            GetConsultant,
            ConsultantOffices
        ],
        403,
        "over the endpoint's rate limit (--rate-limited-operation): 403 with the documented message",
        rate_limited_403
    );
    every_op!(
        c,
        [GetPublic, PublicDataCenters, GetPrivate, PrivateDataCenters, GetConsultant, ConsultantOffices],
        404,
        "an unknown id is 404 Entity Not Found",
        not_found_404
    );
    every_op!(
        c,
        [ListPublic, ListPrivate, ListConsultants],
        412,
        "page=1&per_page=5 is 412 Validation Failed: per page at least 10",
        paging_412
    );
    every_op!(
        c,
        [ListPublic, ListPrivate, ListConsultants],
        412,
        "page=0 and order_by without order_dir: both messages",
        order_dir_required_412
    );
    every_op!(
        c,
        [
            ListPublic,
            GetPublic,
            PublicDataCenters,
            ListPrivate,
            GetPrivate,
            PrivateDataCenters,
            ListConsultants,
            GetConsultant,
            ConsultantOffices
        ],
        500,
        "a server failure (injected through --control-url) is 500 with the API's message body",
        server_error_500
    );
    // Sorted (stably) so that the table reads operation by operation.
    let order = |id: &str| all.iter().position(|o| o.id() == id).unwrap_or(usize::MAX);
    c.sort_by_key(|check| order(check.operation_id));
    c
}
