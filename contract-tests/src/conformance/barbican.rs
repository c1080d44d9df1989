//! The Barbican checks: every operation × documented status of `openapi/barbican.yaml`.
//!
//! The checks call the server through `barbican-client`, the client generated from the contract. Four
//! things the generated client cannot do are done differently, each at its place:
//!
//! - **Credentials.** The generator maps both security schemes (`X-Auth-Token` and `X-Project-Id`, which
//!   the contract offers as alternatives) onto one `api_key` and sends it in *both* headers, so a project
//!   id would also be sent as a token (and rejected). The checks leave `api_key` unset and put the
//!   identity's headers on the `reqwest::Client` the generated configuration carries (default headers),
//!   which is also how `X-Roles` and `Accept` are set.
//! - **Response headers** (`Location` on createOrder's 202) are not exposed by the generated functions:
//!   that one check sends its POST with plain reqwest.
//! - **A success that is not 2xx.** Version discovery answers 300, and the generator gives an operation a
//!   return type only for 2xx: `get_versions` returns `()`. Those checks call it, then read the same
//!   answer with plain reqwest and parse it with the generated `VersionDiscovery` model.
//! - **Bodies the generated models cannot carry** (a `payload` in the meta, which `OrderCreateMeta`
//!   does not declare) or **content types it never sends** (anything but JSON): the 413 and 415 checks
//!   send raw requests with plain reqwest.
//!
//! Identities: with `--project-id P` the checks act as Barbican's no-auth pipeline does (`X-Project-Id: P`,
//! `X-Roles` for the policy checks, `P-conformance-other` as a second project); with only `--token` they
//! act with the token, and the checks that need the no-auth headers are skipped. The 401 checks send a
//! token no server issues. Every order a check creates is deleted at the end of the check; the secrets and
//! containers such orders generate stay, because the contract has no operation that deletes them.
//!
//! Checks that a real Barbican 21.0.0 (no-auth) answers differently cite their `openapi/ERRATA.md` entry.

use std::time::Duration;

use barbican_client::apis::Error as ClientError;
use barbican_client::apis::configuration::Configuration;
use barbican_client::apis::{
    beyond_the_reference_documents_api as beyond, orders_api, orders2014_edition_api as v2014,
};
use barbican_client::models;
use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};

use super::json_diff::expect_json;
use super::{Check, CheckFuture, CheckResult, Problem, Target, ensure};

/// Errata: the 401 Barbican documents does not exist in no-auth mode (a token is ignored; the request
/// lacks its project and gets the middleware's 400).
const NO_401: &str = "B9";
/// Errata: the no-auth middleware's 400 body is not `BarbicanError`.
const MIDDLEWARE_400: &str = "B14";
/// Errata: the microversion middleware's 400 and 406 bodies are not `BarbicanError`.
const MIDDLEWARE_MICROVERSION: &str = "B15";
/// Errata: the 2014 route does not exist on a real server (404 for everything).
const NO_2014_ROUTE: &str = "B7";

/// A token no server issues.
const INVALID_TOKEN: &str = "standin-conformance-invalid-token";
/// A well-formed microversion no Barbican 21.0.0 supports.
const UNSUPPORTED_MICROVERSION: &str = "key-manager 1.5";
/// The 406 the microversion middleware answers it with.
const UNSUPPORTED_MICROVERSION_TEXT: &str = "Invalid microversion: Unacceptable version header: 1.5";
/// An id no server has.
const UNKNOWN_ID: &str = "00000000-0000-4000-8000-000000000000";

/// Who a request is sent as.
#[derive(Debug, Clone, Copy)]
enum As {
    /// The target's identity: `X-Project-Id` when a project was given, else the token.
    Caller,
    /// The target's project in no-auth mode, with this `X-Roles`.
    Role(&'static str),
    /// A second project in no-auth mode.
    OtherProject,
    /// An empty `X-Project-Id`: Barbican's no-auth middleware answers 400.
    EmptyProject,
    /// An `X-Auth-Token` no server accepts.
    InvalidToken,
}

fn project(t: &Target) -> Result<&str, Problem> {
    t.credentials
        .project_id
        .as_deref()
        .ok_or_else(|| Problem::Skip("needs --project-id (Barbican no-auth headers)".into()))
}

fn header(name: &'static str, value: &str) -> Result<(HeaderName, HeaderValue), Problem> {
    let value =
        HeaderValue::from_str(value).map_err(|e| Problem::Skip(format!("{name} is not a header value: {e}")))?;
    Ok((HeaderName::from_static(name), value))
}

/// The headers an identity sends, plus `Accept`.
fn identity_headers(t: &Target, who: As, accept: &str) -> Result<HeaderMap, Problem> {
    let mut headers = HeaderMap::new();
    let mut add = |(name, value): (HeaderName, HeaderValue)| {
        headers.insert(name, value);
    };
    add(header("accept", accept)?);
    match who {
        As::Caller => match (&t.credentials.project_id, &t.credentials.token) {
            (Some(p), _) => add(header("x-project-id", p)?),
            (None, Some(token)) => add(header("x-auth-token", token)?),
            (None, None) => return Err(Problem::Skip("needs --project-id or --token".into())),
        },
        As::Role(role) => {
            add(header("x-project-id", project(t)?)?);
            add(header("x-roles", role)?);
        }
        As::OtherProject => add(header("x-project-id", &format!("{}-conformance-other", project(t)?))?),
        As::EmptyProject => {
            project(t)?;
            add(header("x-project-id", "")?);
        }
        As::InvalidToken => add(header("x-auth-token", INVALID_TOKEN)?),
    }
    Ok(headers)
}

fn http_client(headers: HeaderMap) -> Result<reqwest::Client, Problem> {
    reqwest::Client::builder()
        .default_headers(headers)
        .timeout(Duration::from_secs(30))
        .build()
        .map_err(|e| Problem::fail("HTTP client", "a client", e))
}

/// A generated-client configuration that sends `who`'s headers and `Accept: accept`.
fn config_accepting(t: &Target, who: As, accept: &str) -> Result<Configuration, Problem> {
    Ok(Configuration {
        base_path: t.base_url.clone(),
        client: http_client(identity_headers(t, who, accept)?)?,
        // Unset on purpose: see the module docs (the generator would send it as both headers).
        api_key: None,
        ..Configuration::default()
    })
}

/// The same, with `Accept: application/json`, what Barbican's clients send.
fn config(t: &Target, who: As) -> Result<Configuration, Problem> {
    config_accepting(t, who, "application/json")
}

fn describe_error<E>(err: &ClientError<E>) -> String {
    match err {
        ClientError::ResponseError(r) => format!("{} {}", r.status.as_u16(), truncate(&r.content)),
        ClientError::Reqwest(e) => format!("transport error: {e}"),
        ClientError::Serde(e) => format!("a body that does not match the contract's schema: {e}"),
        ClientError::Io(e) => format!("I/O error: {e}"),
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

/// The value of a successful generated-client call, or a failure saying what came instead.
fn success<T, E>(what: &str, expected_status: u16, result: Result<T, ClientError<E>>) -> Result<T, Problem> {
    result.map_err(|e| {
        Problem::fail(what, format!("{expected_status} with a body matching the contract"), describe_error(&e))
    })
}

/// Require that a generated-client call ended with `status` and exactly the body
/// `{"code": status, "title": title, "description": description}`, which must also parse as the
/// contract's `BarbicanError` (compared as JSON first, so that a failure names the JSON path).
fn expect_error<T: std::fmt::Debug, E>(
    what: &str,
    status: u16,
    title: &str,
    description: Option<&str>,
    result: Result<T, ClientError<E>>,
) -> CheckResult {
    let content = match result {
        Ok(value) => return Err(Problem::fail(what, status, format!("success: {}", truncate(&format!("{value:?}"))))),
        Err(ClientError::ResponseError(r)) => {
            let got = r.status.as_u16();
            ensure(got == status, &format!("{what} status"), status, format!("{got} {}", truncate(&r.content)))?;
            r.content
        }
        Err(other) => return Err(Problem::fail(what, status, describe_error(&other))),
    };
    let body: Value = serde_json::from_str(&content)
        .map_err(|e| Problem::fail(format!("{what} body"), "JSON", format!("{e}: {}", truncate(&content))))?;
    let expected = json!({"code": status, "title": title, "description": description});
    expect_json(&format!("{what} body"), &expected, &body)?;
    serde_json::from_str::<models::BarbicanError>(&content).map(|_| ()).map_err(|e| {
        Problem::fail(format!("{what} body"), "a BarbicanError body", format!("{e}: {}", truncate(&content)))
    })
}

const FORBIDDEN_SUFFIX: &str = " attempt not allowed - please review your user/project privileges";

fn forbidden<T: std::fmt::Debug, E>(what: &str, operation: &str, result: Result<T, ClientError<E>>) -> CheckResult {
    expect_error(what, 403, "Forbidden", Some(&format!("{operation}{FORBIDDEN_SUFFIX}")), result)
}

fn unauthorized<T: std::fmt::Debug, E>(what: &str, result: Result<T, ClientError<E>>) -> CheckResult {
    expect_error(
        what,
        401,
        "Unauthorized",
        Some("Invalid X-Auth-Token or the token doesn't have permissions to this resource"),
        result,
    )
}

fn missing_project<T: std::fmt::Debug, E>(what: &str, result: Result<T, ClientError<E>>) -> CheckResult {
    expect_error(what, 400, "Bad Request", Some("Missing X-Project-Id"), result)
}

fn last_segment(href: &str) -> &str {
    href.trim_end_matches('/').rsplit('/').next().unwrap_or_default()
}

fn unique_name(purpose: &str) -> String {
    format!("standin-conformance-{purpose}-{}", uuid::Uuid::new_v4().simple())
}

// ---- data the checks create, and delete again ----

/// An order a check created; [`CreatedOrder::delete`] removes it.
struct CreatedOrder {
    id: String,
    order_ref: String,
    name: String,
}

fn key_order_request(name: &str) -> models::OrderCreateRequest {
    let mut meta = models::OrderCreateMeta::new("aes".into(), 256);
    meta.name = Some(Some(name.to_string()));
    meta.mode = Some("cbc".into());
    meta.payload_content_type = Some(Some("application/octet-stream".into()));
    models::OrderCreateRequest::new(models::OrderType::Key, meta)
}

fn asymmetric_order_request(name: &str) -> models::OrderCreateRequest {
    let mut meta = models::OrderCreateMeta::new("rsa".into(), 2048);
    meta.name = Some(Some(name.to_string()));
    models::OrderCreateRequest::new(models::OrderType::Asymmetric, meta)
}

impl CreatedOrder {
    async fn create(t: &Target, request: models::OrderCreateRequest) -> Result<Self, Problem> {
        let name = request.meta.name.clone().flatten().unwrap_or_default();
        let params = orders_api::CreateOrderParams { order_create_request: request, open_stack_api_version: None };
        let created = success("create an order", 202, orders_api::create_order(&config(t, As::Caller)?, params).await)?;
        let id = last_segment(&created.order_ref).to_string();
        Ok(CreatedOrder { id, order_ref: created.order_ref, name })
    }

    async fn key(t: &Target, purpose: &str) -> Result<Self, Problem> {
        Self::create(t, key_order_request(&unique_name(purpose))).await
    }

    async fn asymmetric(t: &Target, purpose: &str) -> Result<Self, Problem> {
        Self::create(t, asymmetric_order_request(&unique_name(purpose))).await
    }

    /// The order once it has left PENDING (standin can hold orders PENDING for a while; a real server
    /// with its queue off never does).
    async fn settled(&self, t: &Target) -> Result<models::Order, Problem> {
        let cfg = config(t, As::Caller)?;
        for _ in 0..100 {
            let params = orders_api::GetOrderParams { order_id: self.id.clone(), open_stack_api_version: None };
            let order = success("get the created order", 200, orders_api::get_order(&cfg, params).await)?;
            if order.status != models::OrderStatus::Pending {
                return Ok(order);
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        Err(Problem::fail("order status", "ACTIVE within 10 s", "PENDING"))
    }

    /// The id of the secret a key order generated.
    async fn secret_id(&self, t: &Target) -> Result<String, Problem> {
        let order = self.settled(t).await?;
        let secret_ref =
            order.secret_ref.clone().ok_or_else(|| Problem::fail("order", "a secret_ref", format!("{order:?}")))?;
        Ok(last_segment(&secret_ref).to_string())
    }

    /// The id of the container an asymmetric order generated.
    async fn container_id(&self, t: &Target) -> Result<String, Problem> {
        let order = self.settled(t).await?;
        let container_ref = order
            .container_ref
            .clone()
            .ok_or_else(|| Problem::fail("order", "a container_ref", format!("{order:?}")))?;
        Ok(last_segment(&container_ref).to_string())
    }

    /// Delete the order (best effort: a check that already deleted it gets a 404 here, which is fine).
    async fn delete(self, t: &Target) {
        if let Ok(cfg) = config(t, As::Caller) {
            let params = orders_api::DeleteOrderParams { order_id: self.id, open_stack_api_version: None };
            let _ = orders_api::delete_order(&cfg, params).await;
        }
    }
}

/// Run `body` with a fresh order made by `make`, and delete the order afterwards whatever happened.
macro_rules! with_order {
    ($t:expr, $make:expr, |$order:ident| $body:expr) => {{
        let $order = $make.await?;
        let outcome: CheckResult = async { $body }.await;
        $order.delete($t).await;
        outcome
    }};
}

fn get_order_params(id: &str) -> orders_api::GetOrderParams {
    orders_api::GetOrderParams { order_id: id.to_string(), open_stack_api_version: None }
}

fn delete_order_params(id: &str) -> orders_api::DeleteOrderParams {
    orders_api::DeleteOrderParams { order_id: id.to_string(), open_stack_api_version: None }
}

fn list_params(meta: Option<&str>) -> orders_api::ListOrdersParams {
    orders_api::ListOrdersParams {
        offset: None,
        limit: None,
        meta: meta.map(str::to_string),
        open_stack_api_version: None,
    }
}

fn secret_params(id: &str) -> beyond::GetSecretParams {
    beyond::GetSecretParams { secret_id: id.to_string(), open_stack_api_version: None }
}

fn payload_params(id: &str) -> beyond::GetSecretPayloadParams {
    beyond::GetSecretPayloadParams { secret_id: id.to_string(), open_stack_api_version: None }
}

fn container_params(id: &str) -> beyond::GetContainerParams {
    beyond::GetContainerParams { container_id: id.to_string(), open_stack_api_version: None }
}

fn v2014_params(version: &str, tenant: &str) -> v2014::ListOrdersV2014Params {
    v2014::ListOrdersV2014Params { version: version.into(), tenant_id: tenant.into(), offset: None, limit: None }
}

// ---- listOrders ----

async fn list_orders_finds_a_new_order(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "list"), |order| {
        let cfg = config(t, As::Caller)?;
        let page = success("list orders", 200, orders_api::list_orders(&cfg, list_params(Some(&order.name))).await)?;
        ensure(page.total == 1, "total of the meta-filtered list", 1, page.total)?;
        let refs: Vec<&str> = page.orders.iter().map(|o| o.order_ref.as_str()).collect();
        ensure(
            refs == [order.order_ref.as_str()],
            "orders of the meta-filtered list",
            &order.order_ref,
            format!("{refs:?}"),
        )?;
        ensure(
            page.previous.is_none() && page.next.is_none(),
            "paging links of a one-order page",
            "none",
            format!("{:?} {:?}", page.previous, page.next),
        )
    })
}

async fn list_orders_pages(t: &Target) -> CheckResult {
    let first = CreatedOrder::key(t, "page").await?;
    let name = first.name.clone();
    let second = CreatedOrder::create(t, key_order_request(&name)).await;
    let outcome: CheckResult = async {
        let second = second.as_ref().map_err(Clone::clone)?;
        let cfg = config(t, As::Caller)?;
        let mut params = list_params(Some(&name));
        params.limit = Some(1);
        let page = success("list orders, limit 1", 200, orders_api::list_orders(&cfg, params).await)?;
        ensure(page.total == 2, "total", 2, page.total)?;
        ensure(page.orders.len() == 1, "orders on a limit-1 page", 1, page.orders.len())?;
        ensure(
            page.orders[0].order_ref == first.order_ref,
            "first page holds the oldest order",
            &first.order_ref,
            &page.orders[0].order_ref,
        )?;
        let next = page.next.unwrap_or_default();
        ensure(next.ends_with("/v1/orders?limit=1&offset=1"), "next link", "…/v1/orders?limit=1&offset=1", &next)?;
        let mut params = list_params(Some(&name));
        (params.limit, params.offset) = (Some(1), Some(1));
        let page = success("list orders, offset 1", 200, orders_api::list_orders(&cfg, params).await)?;
        let refs: Vec<&str> = page.orders.iter().map(|o| o.order_ref.as_str()).collect();
        ensure(refs == [second.order_ref.as_str()], "second page", &second.order_ref, format!("{refs:?}"))?;
        ensure(
            page.previous.is_some() && page.next.is_none(),
            "links of the last page",
            "previous only",
            format!("{:?} {:?}", page.previous, page.next),
        )
    }
    .await;
    first.delete(t).await;
    if let Ok(second) = second {
        second.delete(t).await;
    }
    outcome
}

async fn list_orders_missing_project(t: &Target) -> CheckResult {
    missing_project("list orders", orders_api::list_orders(&config(t, As::EmptyProject)?, list_params(None)).await)
}

async fn list_orders_invalid_token(t: &Target) -> CheckResult {
    unauthorized("list orders", orders_api::list_orders(&config(t, As::InvalidToken)?, list_params(None)).await)
}

async fn list_orders_forbidden_role(t: &Target) -> CheckResult {
    forbidden(
        "list orders as audit",
        "Order(s) retrieval",
        orders_api::list_orders(&config(t, As::Role("audit"))?, list_params(None)).await,
    )
}

async fn list_orders_not_acceptable(t: &Target) -> CheckResult {
    let cfg = config_accepting(t, As::Caller, "text/html")?;
    expect_error(
        "list orders, Accept text/html",
        406,
        "Not Acceptable",
        None,
        orders_api::list_orders(&cfg, list_params(None)).await,
    )
}

// ---- createOrder ----

async fn create_key_order(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "create"), |order| {
        ensure(order.order_ref.contains("/v1/orders/"), "order_ref", "…/v1/orders/<id>", &order.order_ref)?;
        ensure(uuid::Uuid::parse_str(&order.id).is_ok(), "order id", "a UUID", &order.id)?;
        let got = order.settled(t).await?;
        ensure(got.status == models::OrderStatus::Active, "status", "ACTIVE", got.status)?;
        ensure(got.r#type == models::OrderType::Key, "type", "key", got.r#type)?;
        ensure(
            got.meta.name.as_deref() == Some(order.name.as_str()),
            "meta.name",
            &order.name,
            format!("{:?}", got.meta.name),
        )?;
        ensure(got.meta.bit_length == Some(256), "meta.bit_length", 256, format!("{:?}", got.meta.bit_length))?;
        ensure(
            got.secret_ref.as_deref().is_some_and(|r| r.contains("/v1/secrets/")),
            "secret_ref",
            "…/v1/secrets/<id>",
            format!("{:?}", got.secret_ref),
        )
    })
}

async fn create_asymmetric_order(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::asymmetric(t, "create-rsa"), |order| {
        let got = order.settled(t).await?;
        ensure(got.status == models::OrderStatus::Active, "status", "ACTIVE", got.status)?;
        ensure(got.r#type == models::OrderType::Asymmetric, "type", "asymmetric", got.r#type)?;
        ensure(
            got.secret_ref.is_none(),
            "secret_ref of an asymmetric order",
            "absent",
            format!("{:?}", got.secret_ref),
        )?;
        ensure(
            got.container_ref.as_deref().is_some_and(|r| r.contains("/v1/containers/")),
            "container_ref",
            "…/v1/containers/<id>",
            format!("{:?}", got.container_ref),
        )
    })
}

/// Plain reqwest: the generated `create_order` returns the body only, and this check is about the
/// `Location` header.
async fn create_order_location(t: &Target) -> CheckResult {
    let client = http_client(identity_headers(t, As::Caller, "application/json")?)?;
    let resp = client
        .post(format!("{}/v1/orders", t.base_url))
        .json(&key_order_request(&unique_name("location")))
        .send()
        .await
        .map_err(|e| Problem::fail("create an order", 202, e))?;
    let status = resp.status().as_u16();
    let location = resp.headers().get("location").and_then(|v| v.to_str().ok()).map(str::to_string);
    let body: Value = resp.json().await.unwrap_or(Value::Null);
    let order_ref = body.get("order_ref").and_then(Value::as_str).unwrap_or_default().to_string();
    if !order_ref.is_empty() {
        let cfg = config(t, As::Caller)?;
        let _ = orders_api::delete_order(&cfg, delete_order_params(last_segment(&order_ref))).await;
    }
    ensure(status == 202, "status", 202, status)?;
    ensure(location.as_deref() == Some(order_ref.as_str()), "Location header", &order_ref, format!("{location:?}"))
}

async fn create_order_bad_bit_length(t: &Target) -> CheckResult {
    let mut request = key_order_request(&unique_name("bad"));
    request.meta.bit_length = 255;
    let params = orders_api::CreateOrderParams { order_create_request: request, open_stack_api_version: None };
    let result = orders_api::create_order(&config(t, As::Caller)?, params).await;
    if let Ok(created) = &result {
        let _ =
            orders_api::delete_order(&config(t, As::Caller)?, delete_order_params(last_segment(&created.order_ref)))
                .await;
    }
    expect_error(
        "create with bit_length 255",
        400,
        "Bad Request",
        Some("Provided field value is not supported"),
        result,
    )
}

async fn create_order_invalid_token(t: &Target) -> CheckResult {
    let params = orders_api::CreateOrderParams {
        order_create_request: key_order_request(&unique_name("401")),
        open_stack_api_version: None,
    };
    unauthorized("create an order", orders_api::create_order(&config(t, As::InvalidToken)?, params).await)
}

async fn create_order_forbidden_role(t: &Target) -> CheckResult {
    let params = orders_api::CreateOrderParams {
        order_create_request: key_order_request(&unique_name("403")),
        open_stack_api_version: None,
    };
    forbidden(
        "create as observer",
        "Order creation",
        orders_api::create_order(&config(t, As::Role("observer"))?, params).await,
    )
}

async fn create_order_not_acceptable(t: &Target) -> CheckResult {
    let params = orders_api::CreateOrderParams {
        order_create_request: key_order_request(&unique_name("406")),
        open_stack_api_version: None,
    };
    let cfg = config_accepting(t, As::Caller, "text/html")?;
    expect_error("create, Accept text/html", 406, "Not Acceptable", None, orders_api::create_order(&cfg, params).await)
}

/// Plain reqwest: `OrderCreateMeta` declares no `payload`, so the generated model cannot send one.
async fn create_order_payload_too_large(t: &Target) -> CheckResult {
    let client = http_client(identity_headers(t, As::Caller, "application/json")?)?;
    let body = json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 256, "payload_content_type": "text/plain", "payload": "a".repeat(20_001)}});
    raw_error(
        client.post(format!("{}/v1/orders", t.base_url)).json(&body),
        413,
        "Request Entity Too Large",
        "Provided information too large to process",
    )
    .await
}

/// Plain reqwest: the generated client always sends `Content-Type: application/json`.
async fn create_order_unsupported_media_type(t: &Target) -> CheckResult {
    let client = http_client(identity_headers(t, As::Caller, "application/json")?)?;
    let body = serde_json::to_string(&key_order_request(&unique_name("415"))).unwrap_or_default();
    let request = client.post(format!("{}/v1/orders", t.base_url)).header("content-type", "text/plain").body(body);
    raw_error(
        request,
        415,
        "Unsupported Media Type",
        "Unexpected content type. Expected content types are: ['application/json']",
    )
    .await
}

/// Send a raw request and require the Barbican error `{code, title, description}`.
async fn raw_error(request: reqwest::RequestBuilder, status: u16, title: &str, description: &str) -> CheckResult {
    let resp = request.send().await.map_err(|e| Problem::fail("request", status, e))?;
    let got = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    ensure(got == status, "status", status, format!("{got} {}", truncate(&text)))?;
    let body: Value =
        serde_json::from_str(&text).map_err(|e| Problem::fail("body", "JSON", format!("{e}: {}", truncate(&text))))?;
    expect_json("body", &json!({"code": status, "title": title, "description": description}), &body)
}

// ---- getOrder ----

async fn get_order_reads_it_back(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "get"), |order| {
        let got = success(
            "get order",
            200,
            orders_api::get_order(&config(t, As::Caller)?, get_order_params(&order.id)).await,
        )?;
        ensure(got.order_ref == order.order_ref, "order_ref", &order.order_ref, &got.order_ref)?;
        ensure(
            got.meta.algorithm.as_deref() == Some("aes"),
            "meta.algorithm",
            "aes",
            format!("{:?}", got.meta.algorithm),
        )?;
        ensure(got.meta.mode.as_deref() == Some("cbc"), "meta.mode", "cbc", format!("{:?}", got.meta.mode))?;
        ensure(
            !got.created.is_empty() && !got.updated.is_empty(),
            "created and updated",
            "timestamps",
            format!("{} {}", got.created, got.updated),
        )
    })
}

async fn get_order_missing_project(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "get-400"), |order| {
        missing_project(
            "get order",
            orders_api::get_order(&config(t, As::EmptyProject)?, get_order_params(&order.id)).await,
        )
    })
}

async fn get_order_invalid_token(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "get-401"), |order| {
        unauthorized(
            "get order",
            orders_api::get_order(&config(t, As::InvalidToken)?, get_order_params(&order.id)).await,
        )
    })
}

async fn get_order_forbidden_role(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "get-403"), |order| {
        forbidden(
            "get order as member",
            "Order retrieval",
            orders_api::get_order(&config(t, As::Role("member"))?, get_order_params(&order.id)).await,
        )
    })
}

async fn get_order_unknown(t: &Target) -> CheckResult {
    let result = orders_api::get_order(&config(t, As::Caller)?, get_order_params(UNKNOWN_ID)).await;
    expect_error("get an unknown order", 404, "Not Found", Some("Order not found."), result)
}

async fn get_order_of_another_project(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "get-foreign"), |order| {
        let result = orders_api::get_order(&config(t, As::OtherProject)?, get_order_params(&order.id)).await;
        expect_error("get another project's order", 404, "Not Found", Some("Order not found."), result)
    })
}

async fn get_order_not_acceptable(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "get-406"), |order| {
        let cfg = config_accepting(t, As::Caller, "text/html")?;
        expect_error(
            "get order, Accept text/html",
            406,
            "Not Acceptable",
            None,
            orders_api::get_order(&cfg, get_order_params(&order.id)).await,
        )
    })
}

// ---- deleteOrder ----

async fn delete_order_then_gone(t: &Target) -> CheckResult {
    let order = CreatedOrder::key(t, "delete").await?;
    let cfg = config(t, As::Caller)?;
    if let Err(e) = orders_api::delete_order(&cfg, delete_order_params(&order.id)).await {
        let name = order.name.clone();
        order.delete(t).await;
        return Err(Problem::fail(format!("delete order {name}"), 204, describe_error(&e)));
    }
    let after = orders_api::get_order(&cfg, get_order_params(&order.id)).await;
    expect_error("get after delete", 404, "Not Found", Some("Order not found."), after)?;
    let page = success("list after delete", 200, orders_api::list_orders(&cfg, list_params(Some(&order.name))).await)?;
    ensure(page.total == 0, "total after delete", 0, page.total)
}

async fn delete_order_missing_project(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "delete-400"), |order| {
        missing_project(
            "delete order",
            orders_api::delete_order(&config(t, As::EmptyProject)?, delete_order_params(&order.id)).await,
        )
    })
}

async fn delete_order_invalid_token(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "delete-401"), |order| {
        unauthorized(
            "delete order",
            orders_api::delete_order(&config(t, As::InvalidToken)?, delete_order_params(&order.id)).await,
        )
    })
}

async fn delete_order_forbidden_role(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "delete-403"), |order| {
        let result = orders_api::delete_order(&config(t, As::Role("creator"))?, delete_order_params(&order.id)).await;
        forbidden("delete as creator", "Order deletion", result)?;
        success(
            "the order is still there",
            200,
            orders_api::get_order(&config(t, As::Caller)?, get_order_params(&order.id)).await,
        )
        .map(|_| ())
    })
}

async fn delete_order_unknown(t: &Target) -> CheckResult {
    let result = orders_api::delete_order(&config(t, As::Caller)?, delete_order_params(UNKNOWN_ID)).await;
    expect_error("delete an unknown order", 404, "Not Found", Some("Order not found."), result)
}

// ---- listOrdersV2014 ----

async fn list_v2014_lists_the_tenant(t: &Target) -> CheckResult {
    let tenant = project(t)?.to_string();
    with_order!(t, CreatedOrder::key(t, "v2014"), |order| {
        let mut params = v2014_params("v1", &tenant);
        params.limit = Some(100);
        let page = success("2014 list", 200, v2014::list_orders_v2014(&config(t, As::Caller)?, params).await)?;
        let listed = page.orders.iter().find(|o| o.order_ref == order.order_ref);
        let listed = listed.ok_or_else(|| {
            Problem::fail(
                "2014 list",
                format!("an order {}", order.order_ref),
                format!("{} orders without it (total {})", page.orders.len(), page.total),
            )
        })?;
        ensure(
            listed.secret.name.as_deref() == Some(order.name.as_str()),
            "secret.name",
            &order.name,
            format!("{:?}", listed.secret.name),
        )
    })
}

async fn list_v2014_missing_project(t: &Target) -> CheckResult {
    let tenant = project(t)?.to_string();
    missing_project(
        "2014 list",
        v2014::list_orders_v2014(&config(t, As::EmptyProject)?, v2014_params("v1", &tenant)).await,
    )
}

async fn list_v2014_other_tenant(t: &Target) -> CheckResult {
    let other = format!("{}-conformance-other", project(t)?);
    unauthorized(
        "2014 list of another tenant",
        v2014::list_orders_v2014(&config(t, As::Caller)?, v2014_params("v1", &other)).await,
    )
}

async fn list_v2014_unknown_version(t: &Target) -> CheckResult {
    let tenant = project(t)?.to_string();
    let result = v2014::list_orders_v2014(&config(t, As::Caller)?, v2014_params("v2", &tenant)).await;
    expect_error("2014 list under v2", 404, "Not Found", Some(""), result)
}

// ---- getVersions ----

/// Version discovery's body. The generated `get_versions` returns `()`: openapi-generator only gives an
/// operation a return type for 2xx responses, and discovery answers 300. So the generated function
/// checks the call succeeds, and plain reqwest fetches the same answer to check its status and read its
/// body, which is then parsed with the generated `VersionDiscovery` model.
async fn discovery(t: &Target, microversion: Option<&str>) -> Result<Value, Problem> {
    let cfg = config(t, As::Caller)?;
    let params = beyond::GetVersionsParams { open_stack_api_version: microversion.map(str::to_string) };
    success("versions (generated client)", 300, beyond::get_versions(&cfg, params).await)?;
    let mut request = cfg.client.get(format!("{}/", t.base_url));
    if let Some(v) = microversion {
        request = request.header("OpenStack-API-Version", v);
    }
    let resp = request.send().await.map_err(|e| Problem::fail("versions", 300, e))?;
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap_or_default();
    ensure(status == 300, "status", 300, format!("{status} {}", truncate(&text)))?;
    let parsed: models::VersionDiscovery = serde_json::from_str(&text)
        .map_err(|e| Problem::fail("body", "a VersionDiscovery body", format!("{e}: {}", truncate(&text))))?;
    serde_json::to_value(&parsed).map_err(|e| Problem::fail("versions", "JSON", e))
}

async fn versions_without_microversion(t: &Target) -> CheckResult {
    let body = discovery(t, None).await?;
    ensure(body.pointer("/versions/values/0/id") == Some(&json!("v1")), "versions.values[0].id", "v1", &body)?;
    ensure(
        body.pointer("/versions/values/0/status") == Some(&json!("stable")),
        "versions.values[0].status",
        "stable",
        &body,
    )
}

async fn versions_with_microversion(t: &Target) -> CheckResult {
    let body = discovery(t, Some("key-manager 1.1")).await?;
    let version = body.pointer("/versions/0").cloned().unwrap_or(Value::Null);
    for (key, want) in [("id", "v1"), ("status", "CURRENT"), ("min_version", "1.0"), ("max_version", "1.1")] {
        ensure(version.get(key) == Some(&json!(want)), &format!("versions[0].{key}"), want, &version)?;
    }
    Ok(())
}

async fn versions_unsupported_microversion(t: &Target) -> CheckResult {
    let cfg = config(t, As::Caller)?;
    let params = beyond::GetVersionsParams { open_stack_api_version: Some("key-manager 1.5".into()) };
    match beyond::get_versions(&cfg, params).await {
        Err(ClientError::ResponseError(r)) => ensure(r.status.as_u16() == 406, "status", 406, r.status.as_u16()),
        other => Err(Problem::fail(
            "versions at 1.5",
            406,
            match other {
                Ok(v) => format!("success: {v:?}"),
                Err(e) => describe_error(&e),
            },
        )),
    }
}

// ---- getSecret ----

async fn get_secret_of_a_key_order(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "secret"), |order| {
        let id = order.secret_id(t).await?;
        let secret = success("get secret", 200, beyond::get_secret(&config(t, As::Caller)?, secret_params(&id)).await)?;
        ensure(last_segment(&secret.secret_ref) == id, "secret_ref", &id, &secret.secret_ref)?;
        ensure(secret.secret_type == models::SecretType::Symmetric, "secret_type", "symmetric", secret.secret_type)?;
        ensure(secret.status == models::ResourceStatus::Active, "status", "ACTIVE", secret.status)?;
        ensure(secret.algorithm.as_deref() == Some("aes"), "algorithm", "aes", format!("{:?}", secret.algorithm))?;
        ensure(secret.bit_length == Some(256), "bit_length", 256, format!("{:?}", secret.bit_length))?;
        ensure(secret.name.as_deref() == Some(order.name.as_str()), "name", &order.name, format!("{:?}", secret.name))
    })
}

async fn get_secret_missing_project(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "secret-400"), |order| {
        let id = order.secret_id(t).await?;
        missing_project("get secret", beyond::get_secret(&config(t, As::EmptyProject)?, secret_params(&id)).await)
    })
}

async fn get_secret_invalid_token(t: &Target) -> CheckResult {
    unauthorized("get secret", beyond::get_secret(&config(t, As::InvalidToken)?, secret_params(UNKNOWN_ID)).await)
}

async fn get_secret_of_another_project(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "secret-403"), |order| {
        let id = order.secret_id(t).await?;
        forbidden(
            "get another project's secret",
            "Secret retrieval",
            beyond::get_secret(&config(t, As::OtherProject)?, secret_params(&id)).await,
        )
    })
}

async fn get_secret_unknown(t: &Target) -> CheckResult {
    let result = beyond::get_secret(&config(t, As::Caller)?, secret_params(UNKNOWN_ID)).await;
    expect_error("get an unknown secret", 404, "Not Found", Some("Secret not found."), result)
}

// ---- getSecretPayload ----

async fn get_payload_of_a_key(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "payload"), |order| {
        let id = order.secret_id(t).await?;
        let cfg = config_accepting(t, As::Caller, "application/octet-stream")?;
        let resp = success("get payload", 200, beyond::get_secret_payload(&cfg, payload_params(&id)).await)?;
        let content_type =
            resp.headers().get("content-type").and_then(|v| v.to_str().ok()).unwrap_or_default().to_string();
        let bytes = resp.bytes().await.map_err(|e| Problem::fail("payload", "32 bytes", e))?;
        ensure(content_type == "application/octet-stream", "Content-Type", "application/octet-stream", &content_type)?;
        ensure(bytes.len() == 32, "payload length of a 256-bit key", 32, bytes.len())
    })
}

async fn get_payload_missing_project(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "payload-400"), |order| {
        let id = order.secret_id(t).await?;
        missing_project(
            "get payload",
            beyond::get_secret_payload(&config(t, As::EmptyProject)?, payload_params(&id)).await,
        )
    })
}

async fn get_payload_invalid_token(t: &Target) -> CheckResult {
    unauthorized(
        "get payload",
        beyond::get_secret_payload(&config(t, As::InvalidToken)?, payload_params(UNKNOWN_ID)).await,
    )
}

async fn get_payload_forbidden_role(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "payload-403"), |order| {
        let id = order.secret_id(t).await?;
        let result = beyond::get_secret_payload(&config(t, As::Role("audit"))?, payload_params(&id)).await;
        forbidden("get payload as audit", "Secret payload retrieval", result)
    })
}

async fn get_payload_unknown(t: &Target) -> CheckResult {
    let result = beyond::get_secret_payload(&config(t, As::Caller)?, payload_params(UNKNOWN_ID)).await;
    expect_error("get an unknown secret's payload", 404, "Not Found", Some("Secret not found."), result)
}

async fn get_payload_not_acceptable(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "payload-406"), |order| {
        let id = order.secret_id(t).await?;
        let result = beyond::get_secret_payload(&config(t, As::Caller)?, payload_params(&id)).await;
        expect_error(
            "get payload, Accept application/json",
            406,
            "Not Acceptable",
            Some("Secret payload retrieval issue seen - Wrong payload content-type."),
            result,
        )
    })
}

// ---- getContainer ----

async fn get_container_of_an_asymmetric_order(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::asymmetric(t, "container"), |order| {
        let id = order.container_id(t).await?;
        let container =
            success("get container", 200, beyond::get_container(&config(t, As::Caller)?, container_params(&id)).await)?;
        ensure(last_segment(&container.container_ref) == id, "container_ref", &id, &container.container_ref)?;
        ensure(container.r#type == models::ContainerType::Rsa, "type", "rsa", container.r#type)?;
        let mut names: Vec<String> = container.secret_refs.iter().filter_map(|r| r.name.clone()).collect();
        names.sort();
        ensure(
            names == ["private_key", "public_key"],
            "secret_refs names",
            "[private_key, public_key]",
            format!("{names:?}"),
        )
    })
}

async fn get_container_missing_project(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::asymmetric(t, "container-400"), |order| {
        let id = order.container_id(t).await?;
        missing_project(
            "get container",
            beyond::get_container(&config(t, As::EmptyProject)?, container_params(&id)).await,
        )
    })
}

async fn get_container_invalid_token(t: &Target) -> CheckResult {
    unauthorized(
        "get container",
        beyond::get_container(&config(t, As::InvalidToken)?, container_params(UNKNOWN_ID)).await,
    )
}

async fn get_container_of_another_project(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::asymmetric(t, "container-403"), |order| {
        let id = order.container_id(t).await?;
        let result = beyond::get_container(&config(t, As::OtherProject)?, container_params(&id)).await;
        forbidden("get another project's container", "Container retrieval", result)
    })
}

async fn get_container_unknown(t: &Target) -> CheckResult {
    let result = beyond::get_container(&config(t, As::Caller)?, container_params(UNKNOWN_ID)).await;
    expect_error("get an unknown container", 404, "Not Found", Some("Secrets container not found."), result)
}

// ---- a refused microversion (406), on the operations whose only 406 it is ----

fn unsupported() -> Option<String> {
    Some(UNSUPPORTED_MICROVERSION.into())
}

async fn list_orders_ignores_other_services_microversion(t: &Target) -> CheckResult {
    let mut params = list_params(None);
    params.open_stack_api_version = Some("compute 2.1".into());
    params.limit = Some(1);
    success(
        "list orders with OpenStack-API-Version: compute 2.1",
        200,
        orders_api::list_orders(&config(t, As::Caller)?, params).await,
    )
    .map(|_| ())
}

async fn delete_order_unsupported_microversion(t: &Target) -> CheckResult {
    with_order!(t, CreatedOrder::key(t, "delete-406"), |order| {
        let mut params = delete_order_params(&order.id);
        params.open_stack_api_version = unsupported();
        let result = orders_api::delete_order(&config(t, As::Caller)?, params).await;
        expect_error("delete at key-manager 1.5", 406, "Not Acceptable", Some(UNSUPPORTED_MICROVERSION_TEXT), result)?;
        success(
            "the order is still there",
            200,
            orders_api::get_order(&config(t, As::Caller)?, get_order_params(&order.id)).await,
        )
        .map(|_| ())
    })
}

async fn list_v2014_unsupported_microversion(t: &Target) -> CheckResult {
    let tenant = project(t)?.to_string();
    // The 2014 operation declares no microversion parameter, so the header rides on the client.
    let mut headers = identity_headers(t, As::Caller, "application/json")?;
    headers.insert("openstack-api-version", HeaderValue::from_static(UNSUPPORTED_MICROVERSION));
    let cfg = Configuration {
        base_path: t.base_url.clone(),
        client: http_client(headers)?,
        api_key: None,
        ..Configuration::default()
    };
    let result = v2014::list_orders_v2014(&cfg, v2014_params("v1", &tenant)).await;
    expect_error("2014 list at key-manager 1.5", 406, "Not Acceptable", Some(UNSUPPORTED_MICROVERSION_TEXT), result)
}

async fn get_secret_unsupported_microversion(t: &Target) -> CheckResult {
    let mut params = secret_params(UNKNOWN_ID);
    params.open_stack_api_version = unsupported();
    let result = beyond::get_secret(&config(t, As::Caller)?, params).await;
    expect_error("get secret at key-manager 1.5", 406, "Not Acceptable", Some(UNSUPPORTED_MICROVERSION_TEXT), result)
}

async fn get_container_unsupported_microversion(t: &Target) -> CheckResult {
    let mut params = container_params(UNKNOWN_ID);
    params.open_stack_api_version = unsupported();
    let result = beyond::get_container(&config(t, As::Caller)?, params).await;
    expect_error("get container at key-manager 1.5", 406, "Not Acceptable", Some(UNSUPPORTED_MICROVERSION_TEXT), result)
}

macro_rules! check {
    ($op:literal, $status:literal, $name:literal, $errata:expr, $f:ident) => {
        Check {
            operation_id: $op,
            status: $status,
            name: $name,
            errata: $errata,
            run: |t: &Target| -> CheckFuture<'_> { Box::pin($f(t)) },
        }
    };
}

/// Every Barbican check, in contract order.
pub fn checks() -> Vec<Check> {
    vec![
        check!(
            "listOrders",
            200,
            "a new order is listed under a meta filter on its name (total 1, no links)",
            None,
            list_orders_finds_a_new_order
        ),
        check!(
            "listOrders",
            200,
            "two orders with limit 1: oldest first, next then previous links, total 2",
            None,
            list_orders_pages
        ),
        check!(
            "listOrders",
            400,
            "an empty X-Project-Id is 400 Missing X-Project-Id",
            Some(MIDDLEWARE_400),
            list_orders_missing_project
        ),
        check!(
            "listOrders",
            200,
            "OpenStack-API-Version naming another service (compute 2.1) is ignored",
            None,
            list_orders_ignores_other_services_microversion
        ),
        check!("listOrders", 401, "an unknown X-Auth-Token is 401", Some(NO_401), list_orders_invalid_token),
        check!("listOrders", 403, "role audit may not list: 403", None, list_orders_forbidden_role),
        check!("listOrders", 406, "Accept: text/html is 406 with a null description", None, list_orders_not_acceptable),
        check!(
            "createOrder",
            202,
            "an AES-256 key order is accepted and becomes ACTIVE with a secret_ref",
            None,
            create_key_order
        ),
        check!(
            "createOrder",
            202,
            "an RSA-2048 asymmetric order becomes ACTIVE with a container_ref",
            None,
            create_asymmetric_order
        ),
        check!("createOrder", 202, "the Location header equals order_ref", None, create_order_location),
        check!(
            "createOrder",
            400,
            "bit_length 255 is 400 Provided field value is not supported",
            None,
            create_order_bad_bit_length
        ),
        check!("createOrder", 401, "an unknown X-Auth-Token is 401", Some(NO_401), create_order_invalid_token),
        check!("createOrder", 403, "role observer may not create: 403", None, create_order_forbidden_role),
        check!(
            "createOrder",
            406,
            "Accept: text/html is 406 with a null description",
            None,
            create_order_not_acceptable
        ),
        check!("createOrder", 413, "a 20,001-byte meta payload is 413", None, create_order_payload_too_large),
        check!("createOrder", 415, "Content-Type text/plain is 415", None, create_order_unsupported_media_type),
        check!(
            "getOrder",
            200,
            "reads back a created order (order_ref, meta, timestamps)",
            None,
            get_order_reads_it_back
        ),
        check!(
            "getOrder",
            400,
            "an empty X-Project-Id is 400 Missing X-Project-Id",
            Some(MIDDLEWARE_400),
            get_order_missing_project
        ),
        check!("getOrder", 401, "an unknown X-Auth-Token is 401", Some(NO_401), get_order_invalid_token),
        check!("getOrder", 403, "role member may not read an existing order: 403", None, get_order_forbidden_role),
        check!("getOrder", 404, "an unknown id is 404 Order not found.", None, get_order_unknown),
        check!("getOrder", 404, "another project's order is 404 Order not found.", None, get_order_of_another_project),
        check!("getOrder", 406, "Accept: text/html is 406 with a null description", None, get_order_not_acceptable),
        check!(
            "deleteOrder",
            204,
            "a deleted order is 404 afterwards and leaves the list",
            None,
            delete_order_then_gone
        ),
        check!(
            "deleteOrder",
            400,
            "an empty X-Project-Id is 400 Missing X-Project-Id",
            Some(MIDDLEWARE_400),
            delete_order_missing_project
        ),
        check!("deleteOrder", 401, "an unknown X-Auth-Token is 401", Some(NO_401), delete_order_invalid_token),
        check!(
            "deleteOrder",
            403,
            "role creator may not delete: 403, and the order stays",
            None,
            delete_order_forbidden_role
        ),
        check!("deleteOrder", 404, "an unknown id is 404 Order not found.", None, delete_order_unknown),
        check!(
            "deleteOrder",
            406,
            "key-manager 1.5 is 406 Unacceptable version header, and the order stays",
            Some(MIDDLEWARE_MICROVERSION),
            delete_order_unsupported_microversion
        ),
        check!(
            "listOrdersV2014",
            200,
            "GET /v1/<project>/orders lists a new order with its secret object",
            Some(NO_2014_ROUTE),
            list_v2014_lists_the_tenant
        ),
        check!(
            "listOrdersV2014",
            400,
            "an empty X-Project-Id is 400 Missing X-Project-Id",
            Some(NO_2014_ROUTE),
            list_v2014_missing_project
        ),
        check!(
            "listOrdersV2014",
            401,
            "a tenant other than the caller's project is 401",
            Some(NO_2014_ROUTE),
            list_v2014_other_tenant
        ),
        check!(
            "listOrdersV2014",
            404,
            "version segment v2 is 404 with an empty description",
            None,
            list_v2014_unknown_version
        ),
        check!(
            "listOrdersV2014",
            406,
            "key-manager 1.5 is 406 Unacceptable version header",
            Some(NO_2014_ROUTE),
            list_v2014_unsupported_microversion
        ),
        check!(
            "getVersions",
            300,
            "without a microversion: versions.values[0] is v1, stable",
            None,
            versions_without_microversion
        ),
        check!(
            "getVersions",
            300,
            "with key-manager 1.1: versions[0] is v1 CURRENT, 1.0 to 1.1",
            None,
            versions_with_microversion
        ),
        check!("getVersions", 406, "key-manager 1.5 is 406", None, versions_unsupported_microversion),
        check!(
            "getSecret",
            200,
            "the secret of a key order: symmetric, ACTIVE, aes 256, the order's name",
            None,
            get_secret_of_a_key_order
        ),
        check!(
            "getSecret",
            400,
            "an empty X-Project-Id is 400 Missing X-Project-Id",
            Some(MIDDLEWARE_400),
            get_secret_missing_project
        ),
        check!("getSecret", 401, "an unknown X-Auth-Token is 401", Some(NO_401), get_secret_invalid_token),
        check!("getSecret", 403, "another project's secret is 403", None, get_secret_of_another_project),
        check!("getSecret", 404, "an unknown id is 404 Secret not found.", None, get_secret_unknown),
        check!(
            "getSecret",
            406,
            "key-manager 1.5 is 406 Unacceptable version header",
            Some(MIDDLEWARE_MICROVERSION),
            get_secret_unsupported_microversion
        ),
        check!(
            "getSecretPayload",
            200,
            "a 256-bit key's payload is 32 bytes of application/octet-stream",
            None,
            get_payload_of_a_key
        ),
        check!(
            "getSecretPayload",
            400,
            "an empty X-Project-Id is 400 Missing X-Project-Id",
            Some(MIDDLEWARE_400),
            get_payload_missing_project
        ),
        check!("getSecretPayload", 401, "an unknown X-Auth-Token is 401", Some(NO_401), get_payload_invalid_token),
        check!("getSecretPayload", 403, "role audit may not read a payload: 403", None, get_payload_forbidden_role),
        check!("getSecretPayload", 404, "an unknown id is 404 Secret not found.", None, get_payload_unknown),
        check!(
            "getSecretPayload",
            406,
            "Accept: application/json on a binary key is 406 Wrong payload content-type.",
            None,
            get_payload_not_acceptable
        ),
        check!(
            "getContainer",
            200,
            "the container of an RSA order: type rsa, private_key and public_key",
            None,
            get_container_of_an_asymmetric_order
        ),
        check!(
            "getContainer",
            400,
            "an empty X-Project-Id is 400 Missing X-Project-Id",
            Some(MIDDLEWARE_400),
            get_container_missing_project
        ),
        check!("getContainer", 401, "an unknown X-Auth-Token is 401", Some(NO_401), get_container_invalid_token),
        check!("getContainer", 403, "another project's container is 403", None, get_container_of_another_project),
        check!("getContainer", 404, "an unknown id is 404 Secrets container not found.", None, get_container_unknown),
        check!(
            "getContainer",
            406,
            "key-manager 1.5 is 406 Unacceptable version header",
            Some(MIDDLEWARE_MICROVERSION),
            get_container_unsupported_microversion
        ),
    ]
}
