//! The Barbican HTTP surface: one handler per operation of `openapi/barbican.yaml`.
//!
//! Handlers only translate: they take the caller and the request, call the [`OrderService`], and
//! turn the result into the operation's response enum, which lists every status the contract
//! documents. Errors become Barbican's body through `From<BarbicanError>` (see [`super::error`]);
//! request-parsing failures through each enum's `bad_request_handler`.
//!
//! The `openstack-api-version` and `x-openstack-request-id` headers declared on the responses are
//! set on every response by the Barbican middleware (see [`super::headers`]), so handlers pass `None`.

use std::borrow::Cow;

use poem::Request;
use poem::http::StatusCode;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::payload::{Binary, Json, Payload, PlainText};
use poem_openapi::registry::{MetaMediaType, MetaRequest, MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseResult, ToJSON, Type};
use poem_openapi::{
    ApiExtractor, ApiExtractorType, ApiResponse, ExtractParamOptions, Object, OpenApi, ResponseContent, Tags,
};
use serde_json::Value;

use super::BarbicanState;
use super::auth::{Action, BarbicanCaller, Caller};
use super::error::{BarbicanError, ErrorBody, barbican_error_responses};
use super::headers::negotiate_microversion;
use super::model::OrderStatus;
use super::page_cache::PageKey;
use super::paging::{Paging, clean_paging, nav_links};
use super::params::{
    IdParam, LimitParam, MetaFilterParam, MicroversionHeader, OffsetParam, TenantIdParam, VersionSegmentParam,
};
use super::validate::{MAX_BODY_BYTES, validate_order_request};
use super::views::{
    ContainerView, Hrefs, OrderListView, OrderRefView, OrderV2014ListView, OrderV2014View, OrderView, SecretView,
};
use crate::openapi_types::{Href, SerializedJson};

#[derive(Tags)]
enum ApiTags {
    /// Orders: requests for Barbican to generate secrets (documents 000 and 001).
    Orders,
    /// The 2014 edition of the order list (document 002).
    #[oai(rename = "Orders (2014 edition)")]
    Orders2014,
    /// Operations the real Barbican has that the reference documents do not describe.
    #[oai(rename = "Beyond the reference documents")]
    BeyondReference,
}

/// The Barbican API.
pub struct BarbicanApi {
    pub state: BarbicanState,
}

impl BarbicanApi {
    fn hrefs(&self) -> Hrefs {
        Hrefs { base: self.state.settings.public_url.clone() }
    }
}

impl BarbicanApi {
    /// A page of the caller's orders, from the page cache when nothing changed since it was read.
    async fn list_page(
        &self,
        caller: &Caller,
        paging: Paging,
        meta: Option<&str>,
    ) -> Result<SerializedJson<OrderListView>, BarbicanError> {
        let key = PageKey::new(&caller.project_id, paging, meta);
        let generation = self.state.orders.store().generation();
        let cache = self.state.settings.list_cache;
        if let Some(page) = self.state.list_pages.get(&key, generation).filter(|_| cache) {
            return Ok(page);
        }
        let (orders, total) = self.state.orders.list(caller, paging, meta).await?;
        let (previous, next) = nav_links(&self.state.settings.public_url, paging, total, orders.len());
        let (previous, next) = (previous.map(Href), next.map(Href));
        let hrefs = self.hrefs();
        let views = orders.iter().map(|o| OrderView::new(o, &hrefs, self.state.settings.timestamps)).collect();
        let page = SerializedJson::new(&OrderListView { next, orders: views, previous, total });
        if cache && orders.iter().all(|o| o.status != OrderStatus::Pending) {
            self.state.list_pages.put(key, generation, page.clone());
        }
        Ok(page)
    }
}

/// `Accept` must allow JSON, as Pecan's negotiation requires; otherwise 406 with a null description.
fn accepts_json(req: &Request) -> Result<(), BarbicanError> {
    let Some(accept) = req.headers().get(poem::http::header::ACCEPT).and_then(|v| v.to_str().ok()) else {
        return Ok(());
    };
    let ok = accept.split(',').any(|range| {
        let media = range.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
        media == "application/json" || media == "application/*" || media == "*/*" || media.is_empty()
    });
    if ok { Ok(()) } else { Err(BarbicanError::NotAcceptable(None)) }
}

/// The body of `POST /v1/orders`, taken raw: Barbican checks the content type after the policy,
/// cuts the body at 25,000 bytes and parses it itself, so standin does the same in the handler.
/// The contract's `OrderCreateRequest` schema is what the spec shows.
pub struct OrderCreateBody {
    content_type: Option<String>,
    bytes: Result<Vec<u8>, BarbicanError>,
}

/// Documentation only: the shape of a create request (the handler validates the raw body).
#[derive(Object)]
#[oai(rename = "OrderCreateRequest")]
struct OrderCreateRequestSchema {
    /// `key` or `asymmetric`.
    #[oai(rename = "type")]
    order_type: super::views::OrderTypeView,
    /// The secret metadata.
    meta: OrderCreateMetaSchema,
}

/// Documentation only: the meta of a create request.
#[derive(Object)]
#[oai(rename = "OrderCreateMeta")]
struct OrderCreateMetaSchema {
    #[oai(nullable, validator(max_length = 255))]
    name: Option<String>,
    #[oai(validator(min_length = 1, max_length = 255))]
    algorithm: String,
    #[oai(validator(minimum(value = "8"), maximum(value = "32767"), multiple_of = "8"))]
    bit_length: i32,
    #[oai(validator(max_length = 255))]
    mode: Option<String>,
    #[oai(nullable, validator(max_length = 255))]
    payload_content_type: Option<String>,
    /// ISO 8601 as Barbican parses it, or blank for none: not `format: date-time` (errata B16).
    #[oai(validator(max_length = 255))]
    expiration: Option<String>,
    /// Any JSON value is accepted (Barbican's order schema does not type it): an untyped schema.
    passphrase: Option<serde_json::Value>,
    pass_phrase: Option<serde_json::Value>,
}

impl<'a> ApiExtractor<'a> for OrderCreateBody {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];
    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        OrderCreateRequestSchema::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType {
                content_type: "application/json",
                schema: MetaSchemaRef::Reference("OrderCreateRequest".into()),
            }],
            required: true,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut poem::RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let content_type = request.headers().get(poem::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
        // Read at most one byte past the cap: a longer body is "Malformed JSON" (Barbican truncates it).
        let bytes = match body.take() {
            Ok(b) => match b.into_bytes_limit(MAX_BODY_BYTES + 1).await {
                Ok(bytes) => Ok(bytes.to_vec()),
                Err(poem::error::ReadBodyError::PayloadTooLarge) => {
                    Err(BarbicanError::BadRequest("Malformed JSON".into()))
                }
                Err(_) => Err(BarbicanError::BadRequest("Malformed JSON".into())),
            },
            Err(_) => Ok(Vec::new()),
        };
        Ok(OrderCreateBody { content_type: content_type.map(str::to_string), bytes })
    }
}

impl OrderCreateBody {
    /// The media type must be exactly `application/json` (case-sensitive); parameters are allowed.
    fn check_content_type(&self) -> Result<(), BarbicanError> {
        let media = self.content_type.as_deref().map(|ct| ct.split(';').next().unwrap_or("").trim());
        if media == Some("application/json") { Ok(()) } else { Err(BarbicanError::UnsupportedMediaType) }
    }
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "list_orders_bad_request")]
pub enum ListOrdersResponse {
    /// A page of the caller's orders, oldest first.
    #[oai(status = 200)]
    Ok(
        SerializedJson<OrderListView>,
        #[oai(header = "openstack-api-version")] Option<String>,
        #[oai(header = "x-openstack-request-id")] Option<String>,
    ),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 406)]
    NotAcceptable(Json<ErrorBody>),
}
barbican_error_responses!(ListOrdersResponse, list_orders_bad_request { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 406 => NotAcceptable } else BadRequest);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "create_order_bad_request")]
pub enum CreateOrderResponse {
    /// Accepted: the order exists and is being (or has been) processed.
    #[oai(status = 202)]
    Accepted(
        Json<OrderRefView>,
        #[oai(header = "Location")] String,
        #[oai(header = "openstack-api-version")] Option<String>,
        #[oai(header = "x-openstack-request-id")] Option<String>,
    ),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 406)]
    NotAcceptable(Json<ErrorBody>),
    #[oai(status = 413)]
    PayloadTooLarge(Json<ErrorBody>),
    #[oai(status = 415)]
    UnsupportedMediaType(Json<ErrorBody>),
}
barbican_error_responses!(CreateOrderResponse, create_order_bad_request {
    400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 406 => NotAcceptable,
    413 => PayloadTooLarge, 415 => UnsupportedMediaType
} else BadRequest);

// Built once per request and moved straight into the response: boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(ApiResponse)]
#[oai(bad_request_handler = "get_order_bad_request")]
pub enum GetOrderResponse {
    /// The order.
    #[oai(status = 200)]
    Ok(
        Json<OrderView>,
        #[oai(header = "openstack-api-version")] Option<String>,
        #[oai(header = "x-openstack-request-id")] Option<String>,
    ),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    #[oai(status = 406)]
    NotAcceptable(Json<ErrorBody>),
}
barbican_error_responses!(GetOrderResponse, get_order_bad_request {
    400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound, 406 => NotAcceptable
} else BadRequest);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "delete_order_bad_request")]
pub enum DeleteOrderResponse {
    /// Deleted (the generated secret or container stays).
    #[oai(status = 204)]
    NoContent(
        #[oai(header = "openstack-api-version")] Option<String>,
        #[oai(header = "x-openstack-request-id")] Option<String>,
    ),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// A malformed or unsupported microversion is refused by the Barbican middleware (`headers`).
    #[oai(status = 406)]
    NotAcceptable(Json<ErrorBody>),
}
barbican_error_responses!(DeleteOrderResponse, delete_order_bad_request {
    400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound, 406 => NotAcceptable
} else BadRequest);

#[derive(ApiResponse)]
#[oai(bad_request_handler = "list_v2014_bad_request")]
pub enum ListOrdersV2014Response {
    /// A page of the tenant's orders, 2014 representation.
    #[oai(status = 200)]
    Ok(Json<OrderV2014ListView>),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// A malformed or unsupported microversion is refused by the Barbican middleware (`headers`).
    #[oai(status = 406)]
    NotAcceptable(Json<ErrorBody>),
}
barbican_error_responses!(ListOrdersV2014Response, list_v2014_bad_request { 400 => BadRequest, 401 => Unauthorized, 404 => NotFound, 406 => NotAcceptable } else BadRequest);

// Built once per request and moved straight into the response: boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(ApiResponse)]
#[oai(bad_request_handler = "get_secret_bad_request")]
pub enum GetSecretResponse {
    /// The secret's metadata.
    #[oai(status = 200)]
    Ok(
        Json<SecretView>,
        #[oai(header = "openstack-api-version")] Option<String>,
        #[oai(header = "x-openstack-request-id")] Option<String>,
    ),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// A malformed or unsupported microversion is refused by the Barbican middleware (`headers`).
    #[oai(status = 406)]
    NotAcceptable(Json<ErrorBody>),
}
barbican_error_responses!(GetSecretResponse, get_secret_bad_request { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound, 406 => NotAcceptable } else BadRequest);

/// How Barbican 21.0.0 answers a payload request (observed): no `Accept`, `*/*` or
/// `application/octet-stream` give the raw bytes; `text/plain` gives text only when the bytes are
/// UTF-8 (a PEM key, say); anything else is a 406. (Barbican echoes `*/*` back as the content type;
/// standin answers `application/octet-stream`, a real media type.)
fn payload_as_accepted(payload: Vec<u8>, accept: Option<&str>) -> Result<SecretPayload, BarbicanError> {
    let wrong_type = || {
        BarbicanError::NotAcceptable(Some("Secret payload retrieval issue seen - Wrong payload content-type.".into()))
    };
    let media = accept.map(|a| a.split(';').next().unwrap_or("").trim().to_ascii_lowercase());
    match media.as_deref() {
        None | Some("") | Some("*/*") | Some("application/octet-stream") => Ok(SecretPayload::Binary(payload)),
        Some("text/plain") => String::from_utf8(payload).map(SecretPayload::Text).map_err(|_| wrong_type()),
        Some(_) => Err(wrong_type()),
    }
}

/// A secret's payload: raw bytes, or text for a text secret. One 200 response with both media types
/// (two `ApiResponse` variants with the same status would declare only one of them).
pub enum SecretPayload {
    Binary(Vec<u8>),
    Text(String),
}

impl ResponseContent for SecretPayload {
    fn media_types() -> Vec<MetaMediaType> {
        vec![
            MetaMediaType { content_type: Binary::<Vec<u8>>::CONTENT_TYPE, schema: Binary::<Vec<u8>>::schema_ref() },
            MetaMediaType {
                content_type: PlainText::<String>::CONTENT_TYPE,
                schema: PlainText::<String>::schema_ref(),
            },
        ]
    }
}

impl poem::IntoResponse for SecretPayload {
    fn into_response(self) -> poem::Response {
        match self {
            SecretPayload::Binary(bytes) => Binary(bytes).into_response(),
            SecretPayload::Text(text) => PlainText(text).into_response(),
        }
    }
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "get_payload_bad_request")]
pub enum GetSecretPayloadResponse {
    /// The payload: raw bytes, or text for a text secret asked for as `text/plain`.
    #[oai(status = 200)]
    Ok(
        SecretPayload,
        #[oai(header = "openstack-api-version")] Option<String>,
        #[oai(header = "x-openstack-request-id")] Option<String>,
    ),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    #[oai(status = 406)]
    NotAcceptable(Json<ErrorBody>),
}
barbican_error_responses!(GetSecretPayloadResponse, get_payload_bad_request {
    400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound, 406 => NotAcceptable
} else BadRequest);

// Built once per request and moved straight into the response: boxing would only add an allocation.
#[allow(clippy::large_enum_variant)]
#[derive(ApiResponse)]
#[oai(bad_request_handler = "get_container_bad_request")]
pub enum GetContainerResponse {
    /// The container.
    #[oai(status = 200)]
    Ok(
        Json<ContainerView>,
        #[oai(header = "openstack-api-version")] Option<String>,
        #[oai(header = "x-openstack-request-id")] Option<String>,
    ),
    #[oai(status = 400)]
    BadRequest(Json<ErrorBody>),
    #[oai(status = 401)]
    Unauthorized(Json<ErrorBody>),
    #[oai(status = 403)]
    Forbidden(Json<ErrorBody>),
    #[oai(status = 404)]
    NotFound(Json<ErrorBody>),
    /// A malformed or unsupported microversion is refused by the Barbican middleware (`headers`).
    #[oai(status = 406)]
    NotAcceptable(Json<ErrorBody>),
}
barbican_error_responses!(GetContainerResponse, get_container_bad_request { 400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound, 406 => NotAcceptable } else BadRequest);

/// A link of a version entry.
#[derive(Debug, Clone, Object)]
#[oai(rename = "VersionLink")]
pub struct VersionLinkView {
    pub rel: String,
    #[oai(rename = "type", skip_serializing_if_is_none)]
    pub link_type: Option<String>,
    pub href: Href,
}

/// A media type of a version entry.
#[derive(Debug, Clone, Object)]
#[oai(rename = "VersionMediaType")]
pub struct VersionMediaTypeView {
    pub base: String,
    #[oai(rename = "type")]
    pub media_type: String,
}

/// One API version.
#[derive(Debug, Clone, Object)]
#[oai(rename = "Version")]
pub struct VersionView {
    pub id: String,
    pub status: String,
    #[oai(skip_serializing_if_is_none)]
    pub min_version: Option<String>,
    #[oai(skip_serializing_if_is_none)]
    pub max_version: Option<String>,
    pub links: Vec<VersionLinkView>,
    #[oai(rename = "media-types", skip_serializing_if_is_none)]
    pub media_types: Option<Vec<VersionMediaTypeView>>,
}

/// `{"values": [...]}`, the form sent without a microversion header.
#[derive(Debug, Clone, Object)]
#[oai(rename = "VersionValues")]
pub struct VersionValuesView {
    pub values: Vec<VersionView>,
}

/// The `versions` member: an object without a microversion header, a bare list with one. Its schema
/// is a bare `oneOf` of `VersionValues` and `VersionList` (poem's `Union` would add `type: object`,
/// which the list member contradicts).
#[derive(Debug, Clone)]
pub enum VersionsView {
    Values(VersionValuesView),
    List(Vec<VersionView>),
}

impl Type for VersionsView {
    const IS_REQUIRED: bool = true;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "VersionsView".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            one_of: vec![VersionValuesView::schema_ref(), MetaSchemaRef::Reference("VersionList".into())],
            ..MetaSchema::ANY
        }))
    }

    fn register(registry: &mut Registry) {
        VersionValuesView::register(registry);
        VersionView::register(registry);
        registry.create_schema::<Vec<VersionView>, _>("VersionList".into(), |_| MetaSchema {
            description: Some("The version list as sent with a microversion header."),
            items: Some(Box::new(VersionView::schema_ref())),
            ..MetaSchema::new("array")
        });
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        Box::new(std::iter::once(self))
    }
}

impl ToJSON for VersionsView {
    fn to_json(&self) -> Option<Value> {
        match self {
            VersionsView::Values(values) => values.to_json(),
            VersionsView::List(list) => list.to_json(),
        }
    }
}

impl ParseFromJSON for VersionsView {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value {
            Some(Value::Array(_)) => Vec::parse_from_json(value).map(VersionsView::List).map_err(ParseError::propagate),
            value => VersionValuesView::parse_from_json(value).map(VersionsView::Values).map_err(ParseError::propagate),
        }
    }
}

/// No body: the content of a response that declares none.
pub struct NoBody;

impl ResponseContent for NoBody {
    fn media_types() -> Vec<MetaMediaType> {
        Vec::new()
    }
}

impl poem::IntoResponse for NoBody {
    fn into_response(self) -> poem::Response {
        poem::Response::default()
    }
}

/// The version discovery document.
#[derive(Debug, Clone, Object)]
#[oai(rename = "VersionDiscovery")]
pub struct VersionDiscoveryView {
    pub versions: VersionsView,
}

#[derive(ApiResponse)]
pub enum GetVersionsResponse {
    /// Multiple Choices: the versions the server offers.
    #[oai(status = 300)]
    MultipleChoices(
        Json<VersionDiscoveryView>,
        #[oai(header = "openstack-api-version")] Option<String>,
        #[oai(header = "vary")] Option<String>,
    ),
    /// An unsupported microversion.
    #[oai(status = 406)]
    NotAcceptable(poem_openapi::payload::Html<String>),
    /// Any other status. Never sent: version discovery answers 300 or 406. The contract declares it
    /// because Redocly's rules want a 2XX or default response on every operation.
    Other(StatusCode, NoBody),
}

/// The microversions standin speaks, as Barbican 21.0.0.
pub const MIN_MICROVERSION: &str = "1.0";
pub const MAX_MICROVERSION: &str = "1.1";

#[OpenApi]
impl BarbicanApi {
    /// Version discovery.
    #[oai(path = "/", method = "get", operation_id = "getVersions", tag = "ApiTags::BeyondReference")]
    async fn get_versions(
        &self,
        #[oai(name = "OpenStack-API-Version")] microversion: Header<Option<MicroversionHeader>>,
    ) -> GetVersionsResponse {
        let base = &self.state.settings.public_url;
        let self_link = VersionLinkView { rel: "self".into(), link_type: None, href: Href(format!("{base}/v1/")) };
        let described_by = VersionLinkView {
            rel: "describedby".into(),
            link_type: Some("text/html".into()),
            href: Href("https://docs.openstack.org/".into()),
        };
        // The list form is what a client that negotiated 1.1 gets; without a header, or with one that
        // negotiates 1.0 (or names no key-manager version), the `values` form (observed on 21.0.0).
        let requested = microversion.0.as_ref().map(|h| h.0.as_str());
        let Ok(negotiated) = super::headers::negotiate_microversion(requested) else {
            let requested = requested.unwrap_or_default();
            return GetVersionsResponse::NotAcceptable(poem_openapi::payload::Html(format!(
                "<html><head><title>406 Not Acceptable</title></head><body><h1>406 Not Acceptable</h1>\
                 Version {requested} is not supported by the API. Minimum is {MIN_MICROVERSION} and maximum is {MAX_MICROVERSION}.</body></html>"
            )));
        };
        let versions = match negotiated {
            MIN_MICROVERSION => VersionsView::Values(VersionValuesView {
                values: vec![VersionView {
                    id: "v1".into(),
                    status: "stable".into(),
                    min_version: None,
                    max_version: None,
                    links: vec![self_link, described_by],
                    media_types: Some(vec![VersionMediaTypeView {
                        base: "application/json".into(),
                        media_type: "application/vnd.openstack.key-manager-v1+json".into(),
                    }]),
                }],
            }),
            _ => VersionsView::List(vec![VersionView {
                id: "v1".into(),
                status: "CURRENT".into(),
                min_version: Some(MIN_MICROVERSION.into()),
                max_version: Some(MAX_MICROVERSION.into()),
                links: vec![self_link, described_by],
                media_types: None,
            }]),
        };
        GetVersionsResponse::MultipleChoices(
            Json(VersionDiscoveryView { versions }),
            None,
            Some("openstack-api-version".into()),
        )
    }

    /// Lists a project's orders.
    #[oai(path = "/v1/orders", method = "get", operation_id = "listOrders", tag = "ApiTags::Orders")]
    async fn list_orders(
        &self,
        req: &Request,
        caller: BarbicanCaller,
        offset: Query<Option<OffsetParam>>,
        limit: Query<Option<LimitParam>>,
        meta: Query<Option<MetaFilterParam>>,
        #[oai(name = "OpenStack-API-Version")] _microversion: Header<Option<MicroversionHeader>>,
    ) -> ListOrdersResponse {
        let result = async {
            let caller = caller.0?;
            accepts_json(req)?;
            caller.authorize(Action::ListOrders)?;
            let paging = clean_paging(limit.0.as_ref().map(|l| l.0.as_str()), offset.0.as_ref().map(|o| o.0.as_str()));
            self.list_page(&caller, paging, meta.0.as_ref().map(|m| m.0.as_str())).await
        };
        match result.await {
            Ok(page) => ListOrdersResponse::Ok(page, None, None),
            Err(e) => e.into(),
        }
    }

    /// Creates an order.
    #[oai(path = "/v1/orders", method = "post", operation_id = "createOrder", tag = "ApiTags::Orders")]
    async fn create_order(
        &self,
        req: &Request,
        caller: BarbicanCaller,
        #[oai(name = "OpenStack-API-Version")] _microversion: Header<Option<MicroversionHeader>>,
        body: OrderCreateBody,
    ) -> CreateOrderResponse {
        let result = async {
            let caller: Caller = caller.0?;
            accepts_json(req)?;
            caller.authorize(Action::CreateOrder)?;
            body.check_content_type()?;
            let bytes = body.bytes?;
            let valid = validate_order_request(&bytes, crate::determinism::now())?;
            let order = self.state.orders.create(&caller, valid).await?;
            Ok::<_, BarbicanError>(self.hrefs().order(&order.id))
        };
        match result.await {
            Ok(href) => {
                let location = href.0.clone();
                CreateOrderResponse::Accepted(Json(OrderRefView { order_ref: href }), location, None, None)
            }
            Err(e) => e.into(),
        }
    }

    /// Retrieves an order's metadata.
    #[oai(path = "/v1/orders/:order_id", method = "get", operation_id = "getOrder", tag = "ApiTags::Orders")]
    async fn get_order(
        &self,
        req: &Request,
        caller: BarbicanCaller,
        #[oai(name = "OpenStack-API-Version")] _microversion: Header<Option<MicroversionHeader>>,
        order_id: Path<IdParam>,
    ) -> GetOrderResponse {
        let result = async {
            let caller = caller.0?;
            accepts_json(req)?;
            caller.authorize(Action::GetOrder)?;
            let order = self.state.orders.get(&caller, &order_id.0.0).await?;
            Ok::<_, BarbicanError>(OrderView::new(&order, &self.hrefs(), self.state.settings.timestamps))
        };
        match result.await {
            Ok(view) => GetOrderResponse::Ok(Json(view), None, None),
            Err(e) => e.into(),
        }
    }

    /// Deletes an order.
    #[oai(path = "/v1/orders/:order_id", method = "delete", operation_id = "deleteOrder", tag = "ApiTags::Orders")]
    async fn delete_order(
        &self,
        caller: BarbicanCaller,
        #[oai(name = "OpenStack-API-Version")] _microversion: Header<Option<MicroversionHeader>>,
        order_id: Path<IdParam>,
    ) -> DeleteOrderResponse {
        let result = async {
            let caller = caller.0?;
            caller.authorize(Action::DeleteOrder)?;
            self.state.orders.delete(&caller, &order_id.0.0).await
        };
        match result.await {
            Ok(()) => DeleteOrderResponse::NoContent(None, None),
            Err(e) => e.into(),
        }
    }

    /// Lists a tenant's orders (2014 edition).
    #[oai(
        path = "/:version/:tenantId/orders",
        method = "get",
        operation_id = "listOrdersV2014",
        tag = "ApiTags::Orders2014"
    )]
    async fn list_orders_v2014(
        &self,
        caller: BarbicanCaller,
        version: Path<VersionSegmentParam>,
        #[oai(name = "tenantId")] tenant_id: Path<TenantIdParam>,
        offset: Query<Option<OffsetParam>>,
        limit: Query<Option<LimitParam>>,
    ) -> ListOrdersV2014Response {
        let result = async {
            if version.0.0 != "v1" {
                return Err(BarbicanError::NotFound(String::new()));
            }
            let caller = caller.0?;
            // The tenant in the path must be the caller's own project.
            if caller.project_id != tenant_id.0.0 {
                return Err(BarbicanError::Unauthorized(super::auth::UNAUTHORIZED.into()));
            }
            caller
                .authorize(Action::ListOrders)
                .map_err(|e| BarbicanError::Unauthorized(e.body().description.0.unwrap_or_default()))?;
            let paging = clean_paging(limit.0.as_ref().map(|l| l.0.as_str()), offset.0.as_ref().map(|o| o.0.as_str()));
            let (orders, total) = self.state.orders.list(&caller, paging, None).await?;
            let (previous, next) = nav_links(&self.state.settings.public_url, paging, total, orders.len());
            let (previous, next) = (previous.map(Href), next.map(Href));
            let hrefs = self.hrefs();
            let orders = orders.iter().map(|o| OrderV2014View::new(o, &hrefs)).collect();
            Ok(OrderV2014ListView { total, orders, previous, next })
        };
        match result.await {
            Ok(page) => ListOrdersV2014Response::Ok(Json(page)),
            Err(e) => e.into(),
        }
    }

    /// A secret's metadata.
    #[oai(
        path = "/v1/secrets/:secret_id",
        method = "get",
        operation_id = "getSecret",
        tag = "ApiTags::BeyondReference"
    )]
    async fn get_secret(
        &self,
        caller: BarbicanCaller,
        secret_id: Path<IdParam>,
        #[oai(name = "OpenStack-API-Version")] microversion: Header<Option<MicroversionHeader>>,
    ) -> GetSecretResponse {
        let result = async {
            let caller = caller.0?;
            caller.authorize(Action::GetSecret)?;
            let secret = self.state.orders.secret(&caller, &secret_id.0.0, Action::GetSecret).await?;
            let negotiated = negotiate_microversion(microversion.0.as_ref().map(|m| m.0.as_str()));
            Ok::<_, BarbicanError>(SecretView::new(&secret, &self.hrefs(), negotiated == Ok(MAX_MICROVERSION)))
        };
        match result.await {
            Ok(view) => GetSecretResponse::Ok(Json(view), None, None),
            Err(e) => e.into(),
        }
    }

    /// A secret's payload.
    #[oai(
        path = "/v1/secrets/:secret_id/payload",
        method = "get",
        operation_id = "getSecretPayload",
        tag = "ApiTags::BeyondReference"
    )]
    async fn get_secret_payload(
        &self,
        req: &Request,
        caller: BarbicanCaller,
        secret_id: Path<IdParam>,
        #[oai(name = "OpenStack-API-Version")] _microversion: Header<Option<MicroversionHeader>>,
    ) -> GetSecretPayloadResponse {
        let result = async {
            let caller = caller.0?;
            caller.authorize(Action::GetSecretPayload)?;
            let secret = self.state.orders.secret(&caller, &secret_id.0.0, Action::GetSecretPayload).await?;
            let accept = req.headers().get(poem::http::header::ACCEPT).and_then(|v| v.to_str().ok());
            payload_as_accepted(secret.payload, accept)
        };
        match result.await {
            Ok(payload) => GetSecretPayloadResponse::Ok(payload, None, None),
            Err(e) => e.into(),
        }
    }

    /// A container.
    #[oai(
        path = "/v1/containers/:container_id",
        method = "get",
        operation_id = "getContainer",
        tag = "ApiTags::BeyondReference"
    )]
    async fn get_container(
        &self,
        caller: BarbicanCaller,
        container_id: Path<IdParam>,
        #[oai(name = "OpenStack-API-Version")] _microversion: Header<Option<MicroversionHeader>>,
    ) -> GetContainerResponse {
        let result = async {
            let caller = caller.0?;
            caller.authorize(Action::GetContainer)?;
            let container = self.state.orders.container(&caller, &container_id.0.0).await?;
            Ok::<_, BarbicanError>(ContainerView::new(&container, &self.hrefs()))
        };
        match result.await {
            Ok(view) => GetContainerResponse::Ok(Json(view), None, None),
            Err(e) => e.into(),
        }
    }
}
