//! The marketplace HTTP surface: one handler per operation of `openapi/marketplace.yaml`.
//!
//! Handlers only translate: they take the request's parameters, call the [`MarketplaceService`],
//! and turn the result into the operation's response enum, which lists every status the contract
//! documents (operations of the same shape share one). The token checks, rate limits, JSON-P,
//! ETags and CORS happen around the handlers, in [`super::pipeline`], which also sets the headers
//! the enums declare (so handlers pass `None`).
//!
//! [`MarketplaceService`]: super::service::MarketplaceService

use poem::Request;
use poem_openapi::param::{Header, Path, Query};
use poem_openapi::registry::{MetaOAuthFlow, MetaOAuthFlows, MetaSecurityScheme, Registry};
use poem_openapi::{ApiExtractor, ApiExtractorType, ApiResponse, ExtractParamOptions, OAuthScopes, OpenApi, Tags};

use super::MarketplaceState;
use super::auth::Caller;
use super::endpoints::Resource;
use super::error::marketplace_error_responses;
use super::paging::RawListQuery;
use super::params::{CallbackParam, IdParam, OrderByParam, OrderDirParam, PageParam, PerPageParam, StatusParam};
use super::views::error_schemas::{
    BadRequestError, ForbiddenError, MarketplaceErrorSchema, OAuth2ErrorSchema, ValidationErrorSchema,
};
use super::views::{
    CompanyServicePageView, CompanyServiceView, DataCenterListView, DataCenterRegionView, ErrorJson, OfficeListView,
    OfficeView, Success,
};

#[derive(Tags)]
enum ApiTags {
    /// Public clouds and the locations of their data centers.
    #[oai(rename = "Public Clouds")]
    PublicClouds,
    /// Private clouds and the locations of their data centers.
    #[oai(rename = "Private Clouds")]
    PrivateClouds,
    /// Consultants and the locations of their offices.
    Consultants,
}

/// The caller the pipeline authorised (its token checks ran before routing). Declares the
/// contract's `OAuth2` security scheme.
pub struct OAuth2Caller(pub Caller);

const SCHEME: &str = "OAuth2";
const AUTHORIZATION_URL: &str = "https://openstackid.org/oauth2/auth";
const TOKEN_URL: &str = "https://openstackid.org/oauth2/token";

/// The scopes of the documented resource server (with another `--marketplace-scope-base` the
/// endpoints require the same paths under that base; the spec shows the documented ones).
#[derive(OAuthScopes)]
enum MarketplaceReadScope {
    /// Read public clouds and their data centers.
    #[oai(rename = "https://openstackid-resources.org/public-clouds/read")]
    PublicClouds,
    /// Read private clouds and their data centers.
    #[oai(rename = "https://openstackid-resources.org/private-clouds/read")]
    PrivateClouds,
    /// Read consultants and their offices.
    #[oai(rename = "https://openstackid-resources.org/consultants/read")]
    Consultants,
}

impl<'a> ApiExtractor<'a> for OAuth2Caller {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::SecurityScheme];
    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        let flow = |authorization_url: Option<&'static str>, token_url: Option<&'static str>| MetaOAuthFlow {
            authorization_url,
            token_url,
            refresh_url: None,
            scopes: MarketplaceReadScope::meta(),
        };
        registry.create_security_scheme(
            SCHEME,
            MetaSecurityScheme {
                ty: "oauth2",
                description: Some("OAuth 2.0 bearer access tokens issued by OpenStackID."),
                name: None,
                key_in: None,
                scheme: None,
                bearer_format: None,
                flows: Some(MetaOAuthFlows {
                    implicit: Some(flow(Some(AUTHORIZATION_URL), None)),
                    password: None,
                    client_credentials: Some(flow(None, Some(TOKEN_URL))),
                    authorization_code: Some(flow(Some(AUTHORIZATION_URL), Some(TOKEN_URL))),
                }),
                openid_connect_url: None,
            },
        );
    }

    fn security_schemes() -> Vec<&'static str> {
        vec![SCHEME]
    }

    async fn from_request(
        request: &'a Request,
        _body: &mut poem::RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        request.extensions().get::<Caller>().cloned().map(OAuth2Caller).ok_or_else(|| {
            poem::Error::from_string("the request was not authorised", poem::http::StatusCode::UNAUTHORIZED)
        })
    }
}

#[derive(ApiResponse)]
#[oai(bad_request_handler = "list_bad_request")]
pub enum ListResponse {
    /// No error; one page.
    #[oai(status = 200)]
    Ok(
        Success<CompanyServicePageView>,
        #[oai(header = "ETag")] Option<String>,
        #[oai(header = "X-RateLimit-Limit")] Option<i32>,
        #[oai(header = "X-RateLimit-Remaining")] Option<i32>,
        #[oai(header = "X-RateLimit-Reset")] Option<i64>,
    ),
    /// Not Modified: the first `If-None-Match` entry is the current ETag.
    #[oai(status = 304)]
    NotModified(#[oai(header = "ETag")] Option<String>),
    /// No or an empty token, or a refused `callback`.
    #[oai(status = 400)]
    BadRequest(ErrorJson<BadRequestError>, #[oai(header = "WWW-Authenticate")] Option<String>),
    /// An unknown, expired or foreign token.
    #[oai(status = 401)]
    Unauthorized(ErrorJson<OAuth2ErrorSchema>, #[oai(header = "WWW-Authenticate")] Option<String>),
    /// The token lacks the scope, or the rate limit is exceeded.
    #[oai(status = 403)]
    Forbidden(
        ErrorJson<ForbiddenError>,
        #[oai(header = "WWW-Authenticate")] Option<String>,
        #[oai(header = "X-RateLimit-Limit")] Option<i32>,
        #[oai(header = "X-RateLimit-Remaining")] Option<i32>,
        #[oai(header = "X-RateLimit-Reset")] Option<i64>,
    ),
    /// Invalid paging, filter or order parameters.
    #[oai(status = 412)]
    PreconditionFailed(
        ErrorJson<ValidationErrorSchema>,
        #[oai(header = "X-RateLimit-Limit")] Option<i32>,
        #[oai(header = "X-RateLimit-Remaining")] Option<i32>,
        #[oai(header = "X-RateLimit-Reset")] Option<i64>,
    ),
    /// Server error.
    #[oai(status = 500)]
    ServerError(ErrorJson<MarketplaceErrorSchema>),
}
marketplace_error_responses!(ListResponse, list_bad_request {
    400 => BadRequest(None),
    401 => Unauthorized(None),
    403 => Forbidden(None, None, None, None),
    412 => PreconditionFailed(None, None, None),
    500 => ServerError(),
});

/// Declare the response enum of an operation that answers one entity-like body `$body`, or 404.
macro_rules! entity_response {
    ($(#[$doc:meta])* $name:ident, $handler:ident, $handler_name:literal, $body:ty) => {
        $(#[$doc])*
        #[derive(ApiResponse)]
        #[oai(bad_request_handler = $handler_name)]
        pub enum $name {
            /// No error.
            #[oai(status = 200)]
            Ok(
                Success<$body>,
                #[oai(header = "ETag")] Option<String>,
                #[oai(header = "X-RateLimit-Limit")] Option<i32>,
                #[oai(header = "X-RateLimit-Remaining")] Option<i32>,
                #[oai(header = "X-RateLimit-Reset")] Option<i64>,
            ),
            /// Not Modified: the first `If-None-Match` entry is the current ETag.
            #[oai(status = 304)]
            NotModified(#[oai(header = "ETag")] Option<String>),
            /// No or an empty token, or a refused `callback`.
            #[oai(status = 400)]
            BadRequest(ErrorJson<BadRequestError>, #[oai(header = "WWW-Authenticate")] Option<String>),
            /// An unknown, expired or foreign token.
            #[oai(status = 401)]
            Unauthorized(ErrorJson<OAuth2ErrorSchema>, #[oai(header = "WWW-Authenticate")] Option<String>),
            /// The token lacks the scope, or the rate limit is exceeded.
            #[oai(status = 403)]
            Forbidden(
                ErrorJson<ForbiddenError>,
                #[oai(header = "WWW-Authenticate")] Option<String>,
                #[oai(header = "X-RateLimit-Limit")] Option<i32>,
                #[oai(header = "X-RateLimit-Remaining")] Option<i32>,
                #[oai(header = "X-RateLimit-Reset")] Option<i64>,
            ),
            /// No entity of this kind has the id.
            #[oai(status = 404)]
            NotFound(
                ErrorJson<MarketplaceErrorSchema>,
                #[oai(header = "X-RateLimit-Limit")] Option<i32>,
                #[oai(header = "X-RateLimit-Remaining")] Option<i32>,
                #[oai(header = "X-RateLimit-Reset")] Option<i64>,
            ),
            /// Server error.
            #[oai(status = 500)]
            ServerError(ErrorJson<MarketplaceErrorSchema>),
        }
        marketplace_error_responses!($name, $handler {
            400 => BadRequest(None),
            401 => Unauthorized(None),
            403 => Forbidden(None, None, None, None),
            404 => NotFound(None, None, None),
            500 => ServerError(),
        });
    };
}

entity_response!(
    /// The answer of the three "get by id" operations.
    EntityResponse,
    entity_bad_request,
    "entity_bad_request",
    CompanyServiceView
);
entity_response!(
    /// The answer of the two data-centers operations.
    DataCentersResponse,
    data_centers_bad_request,
    "data_centers_bad_request",
    DataCenterListView
);
entity_response!(
    /// The answer of the offices operation.
    OfficesResponse,
    offices_bad_request,
    "offices_bad_request",
    OfficeListView
);

/// The list URL the paginator's links start from: `http://<Host><path>`.
fn page_url(req: &Request) -> String {
    let host = req.headers().get(poem::http::header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost:8082");
    format!("http://{host}{}", req.uri().path())
}

/// The marketplace API.
pub struct MarketplaceApi {
    pub state: MarketplaceState,
}

/// The list parameters of a list operation, as sent.
struct ListParams {
    page: Query<Option<PageParam>>,
    per_page: Query<Option<PerPageParam>>,
    status: Query<Option<StatusParam>>,
    order_by: Query<Option<OrderByParam>>,
    order_dir: Query<Option<OrderDirParam>>,
}

impl MarketplaceApi {
    async fn list(&self, kind: Resource, req: &Request, params: ListParams) -> ListResponse {
        // A parameter sent more than once counts with its last value, as PHP reads a query string (the
        // extractors take the first one).
        let pairs: Vec<(String, String)> = req.params().unwrap_or_default();
        let last = |name: &str, first: Option<String>| {
            if pairs.iter().filter(|(k, _)| k == name).count() > 1 {
                pairs.iter().rev().find(|(k, _)| k == name).map(|(_, v)| v.clone())
            } else {
                first
            }
        };
        let raw_query = RawListQuery {
            page: last("page", params.page.0.map(|p| p.0)),
            per_page: last("per_page", params.per_page.0.map(|p| p.0)),
            status: last("status", params.status.0.map(|p| p.0)),
            order_by: last("order_by", params.order_by.0.map(|p| p.0)),
            order_dir: last("order_dir", params.order_dir.0.map(|p| p.0)),
        };
        match self.state.service.list(kind, &raw_query).await {
            Ok(page) => {
                ListResponse::Ok(Success(CompanyServicePageView::new(&page, &page_url(req))), None, None, None, None)
            }
            Err(err) => err.into(),
        }
    }

    async fn get(&self, kind: Resource, id: &str) -> EntityResponse {
        match self.state.service.get(kind, id).await {
            Ok(entity) => EntityResponse::Ok(Success(CompanyServiceView::from(&entity)), None, None, None, None),
            Err(err) => err.into(),
        }
    }

    async fn data_centers(&self, kind: Resource, id: &str) -> DataCentersResponse {
        match self.state.service.data_centers(kind, id).await {
            Ok(regions) => DataCentersResponse::Ok(
                Success(DataCenterListView { datacenters: regions.iter().map(DataCenterRegionView::from).collect() }),
                None,
                None,
                None,
                None,
            ),
            Err(err) => err.into(),
        }
    }
}

// `callback` and `If-None-Match` are declared on every operation and handled by the pipeline, so
// the handlers ignore them.
#[OpenApi]
#[allow(clippy::too_many_arguments)]
impl MarketplaceApi {
    /// List public clouds
    #[oai(
        path = "/api/v1/marketplace/public-clouds",
        method = "get",
        operation_id = "listPublicClouds",
        tag = "ApiTags::PublicClouds"
    )]
    async fn list_public_clouds(
        &self,
        req: &Request,
        #[oai(scope = "MarketplaceReadScope::PublicClouds")] _caller: OAuth2Caller,
        page: Query<Option<PageParam>>,
        per_page: Query<Option<PerPageParam>>,
        status: Query<Option<StatusParam>>,
        order_by: Query<Option<OrderByParam>>,
        order_dir: Query<Option<OrderDirParam>>,
        #[oai(name = "callback")] _callback: Query<Option<CallbackParam>>,
        #[oai(name = "If-None-Match")] _if_none_match: Header<Option<String>>,
    ) -> ListResponse {
        self.list(Resource::PublicClouds, req, ListParams { page, per_page, status, order_by, order_dir }).await
    }

    /// Get a public cloud
    #[oai(
        path = "/api/v1/marketplace/public-clouds/:id",
        method = "get",
        operation_id = "getPublicCloud",
        tag = "ApiTags::PublicClouds"
    )]
    async fn get_public_cloud(
        &self,
        #[oai(scope = "MarketplaceReadScope::PublicClouds")] _caller: OAuth2Caller,
        id: Path<IdParam>,
        #[oai(name = "callback")] _callback: Query<Option<CallbackParam>>,
        #[oai(name = "If-None-Match")] _if_none_match: Header<Option<String>>,
    ) -> EntityResponse {
        self.get(Resource::PublicClouds, &id.0.0).await
    }

    /// Get the data centers of a public cloud
    #[oai(
        path = "/api/v1/marketplace/public-clouds/:id/data-centers",
        method = "get",
        operation_id = "getPublicCloudDataCenters",
        tag = "ApiTags::PublicClouds"
    )]
    async fn get_public_cloud_data_centers(
        &self,
        #[oai(scope = "MarketplaceReadScope::PublicClouds")] _caller: OAuth2Caller,
        id: Path<IdParam>,
        #[oai(name = "callback")] _callback: Query<Option<CallbackParam>>,
        #[oai(name = "If-None-Match")] _if_none_match: Header<Option<String>>,
    ) -> DataCentersResponse {
        self.data_centers(Resource::PublicClouds, &id.0.0).await
    }

    /// List private clouds
    #[oai(
        path = "/api/v1/marketplace/private-clouds",
        method = "get",
        operation_id = "listPrivateClouds",
        tag = "ApiTags::PrivateClouds"
    )]
    async fn list_private_clouds(
        &self,
        req: &Request,
        #[oai(scope = "MarketplaceReadScope::PrivateClouds")] _caller: OAuth2Caller,
        page: Query<Option<PageParam>>,
        per_page: Query<Option<PerPageParam>>,
        status: Query<Option<StatusParam>>,
        order_by: Query<Option<OrderByParam>>,
        order_dir: Query<Option<OrderDirParam>>,
        #[oai(name = "callback")] _callback: Query<Option<CallbackParam>>,
        #[oai(name = "If-None-Match")] _if_none_match: Header<Option<String>>,
    ) -> ListResponse {
        self.list(Resource::PrivateClouds, req, ListParams { page, per_page, status, order_by, order_dir }).await
    }

    /// Get a private cloud
    #[oai(
        path = "/api/v1/marketplace/private-clouds/:id",
        method = "get",
        operation_id = "getPrivateCloud",
        tag = "ApiTags::PrivateClouds"
    )]
    async fn get_private_cloud(
        &self,
        #[oai(scope = "MarketplaceReadScope::PrivateClouds")] _caller: OAuth2Caller,
        id: Path<IdParam>,
        #[oai(name = "callback")] _callback: Query<Option<CallbackParam>>,
        #[oai(name = "If-None-Match")] _if_none_match: Header<Option<String>>,
    ) -> EntityResponse {
        self.get(Resource::PrivateClouds, &id.0.0).await
    }

    /// Get the data centers of a private cloud
    #[oai(
        path = "/api/v1/marketplace/private-clouds/:id/data-centers",
        method = "get",
        operation_id = "getPrivateCloudDataCenters",
        tag = "ApiTags::PrivateClouds"
    )]
    async fn get_private_cloud_data_centers(
        &self,
        #[oai(scope = "MarketplaceReadScope::PrivateClouds")] _caller: OAuth2Caller,
        id: Path<IdParam>,
        #[oai(name = "callback")] _callback: Query<Option<CallbackParam>>,
        #[oai(name = "If-None-Match")] _if_none_match: Header<Option<String>>,
    ) -> DataCentersResponse {
        self.data_centers(Resource::PrivateClouds, &id.0.0).await
    }

    /// List consultants
    #[oai(
        path = "/api/v1/marketplace/consultants",
        method = "get",
        operation_id = "listConsultants",
        tag = "ApiTags::Consultants"
    )]
    async fn list_consultants(
        &self,
        req: &Request,
        #[oai(scope = "MarketplaceReadScope::Consultants")] _caller: OAuth2Caller,
        page: Query<Option<PageParam>>,
        per_page: Query<Option<PerPageParam>>,
        status: Query<Option<StatusParam>>,
        order_by: Query<Option<OrderByParam>>,
        order_dir: Query<Option<OrderDirParam>>,
        #[oai(name = "callback")] _callback: Query<Option<CallbackParam>>,
        #[oai(name = "If-None-Match")] _if_none_match: Header<Option<String>>,
    ) -> ListResponse {
        self.list(Resource::Consultants, req, ListParams { page, per_page, status, order_by, order_dir }).await
    }

    /// Get a consultant
    #[oai(
        path = "/api/v1/marketplace/consultants/:id",
        method = "get",
        operation_id = "getConsultant",
        tag = "ApiTags::Consultants"
    )]
    async fn get_consultant(
        &self,
        #[oai(scope = "MarketplaceReadScope::Consultants")] _caller: OAuth2Caller,
        id: Path<IdParam>,
        #[oai(name = "callback")] _callback: Query<Option<CallbackParam>>,
        #[oai(name = "If-None-Match")] _if_none_match: Header<Option<String>>,
    ) -> EntityResponse {
        self.get(Resource::Consultants, &id.0.0).await
    }

    /// Get the offices of a consultant
    #[oai(
        path = "/api/v1/marketplace/consultants/:id/offices",
        method = "get",
        operation_id = "getConsultantOffices",
        tag = "ApiTags::Consultants"
    )]
    async fn get_consultant_offices(
        &self,
        #[oai(scope = "MarketplaceReadScope::Consultants")] _caller: OAuth2Caller,
        id: Path<IdParam>,
        #[oai(name = "callback")] _callback: Query<Option<CallbackParam>>,
        #[oai(name = "If-None-Match")] _if_none_match: Header<Option<String>>,
    ) -> OfficesResponse {
        match self.state.service.offices(&id.0.0).await {
            Ok(offices) => OfficesResponse::Ok(
                Success(OfficeListView { offices: offices.iter().map(OfficeView::from).collect() }),
                None,
                None,
                None,
                None,
            ),
            Err(err) => err.into(),
        }
    }
}
