//! The wire representations, serialised as the real service sent them: every non-null column a
//! JSON string (ids, the `Active` flag and coordinates included), `null` for null columns, keys in
//! the real column order, and the whole body written by [`super::php_json`] (`/` as `\/`).
//!
//! The types also declare the contract's schemas (patterns, lengths, enums), so the emitted spec
//! says what `openapi/marketplace.yaml` says. Two payload types carry them:
//! - [`Success`]: a 200, declared as `application/json` and as the `text/javascript` JSON-P body
//!   (the wrapping itself is done around the operations, see [`super::pipeline`]);
//! - [`ErrorJson`]: an error body from [`super::error::MarketplaceError::body`], declared with the
//!   schema of its form.

use std::borrow::Cow;
use std::marker::PhantomData;

use poem::{IntoResponse, Response};
use poem_openapi::registry::{MetaMediaType, MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{ToJSON, Type};
use poem_openapi::{Enum, Object, ResponseContent, payload::Payload};
use serde_json::Value;

use super::model::{CompanyService, DataCenterLocation, DataCenterRegion, Office, Page};
use super::php_json;
use crate::openapi_types::{Nullable, text_type};

text_type!(
    /// A database id (or foreign key) sent as a string of digits.
    pub DigitString,
    "string(digits)",
    MetaSchema { pattern: Some("^[0-9]+$".into()), ..MetaSchema::new("string") }
);

text_type!(
    /// A database timestamp, `YYYY-MM-DD HH:MM:SS`.
    pub TimestampText,
    "string(timestamp)",
    MetaSchema {
        pattern: Some("^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$".into()),
        ..MetaSchema::new("string")
    }
);

text_type!(
    /// A latitude or longitude, a decimal string with two decimals.
    pub CoordinateText,
    "string(coordinate)",
    MetaSchema { pattern: Some(r"^-?[0-9]{1,7}\.[0-9]{2}$".into()), ..MetaSchema::new("string") }
);

/// The `JsonpBody` schema: `/**/<callback>(<json>);`.
pub fn jsonp_body_schema() -> MetaSchemaRef {
    MetaSchemaRef::Inline(Box::new(MetaSchema {
        pattern: Some(r"^/\*\*/[$A-Za-z_][$0-9A-Za-z_]*(\.[$A-Za-z_][$0-9A-Za-z_]*)*\([\s\S]*\);$".into()),
        ..MetaSchema::new("string")
    }))
}

/// `Active`: `"1"` or `"0"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum)]
pub enum ActiveFlag {
    #[oai(rename = "0")]
    Inactive,
    #[oai(rename = "1")]
    Active,
}

/// A public cloud, private cloud or consultant.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "CompanyService")]
pub struct CompanyServiceView {
    #[oai(rename = "ID")]
    pub id: DigitString,
    #[oai(rename = "Created")]
    pub created: TimestampText,
    #[oai(rename = "LastEdited")]
    pub last_edited: TimestampText,
    #[oai(rename = "Name", validator(max_length = 255))]
    pub name: Nullable<String>,
    #[oai(rename = "Slug", validator(max_length = 255))]
    pub slug: Nullable<String>,
    #[oai(rename = "Overview")]
    pub overview: Nullable<String>,
    #[oai(rename = "Call2ActionUri")]
    pub call2action_uri: Nullable<String>,
    #[oai(rename = "Active")]
    pub active: ActiveFlag,
    #[oai(rename = "CompanyID")]
    pub company_id: DigitString,
}

impl From<&CompanyService> for CompanyServiceView {
    fn from(s: &CompanyService) -> Self {
        CompanyServiceView {
            id: DigitString(s.id.to_string()),
            created: TimestampText(s.created.clone()),
            last_edited: TimestampText(s.last_edited.clone()),
            name: s.name.clone().into(),
            slug: s.slug.clone().into(),
            overview: s.overview.clone().into(),
            call2action_uri: s.call2action_uri.clone().into(),
            active: if s.active { ActiveFlag::Active } else { ActiveFlag::Inactive },
            company_id: DigitString(s.company_id.to_string()),
        }
    }
}

/// One page of a list (Laravel 5.0's paginator, key order included).
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "CompanyServicePage")]
pub struct CompanyServicePageView {
    #[oai(validator(minimum(value = "0")))]
    pub total: i32,
    #[oai(validator(minimum(value = "10"), maximum(value = "100")))]
    pub per_page: i32,
    #[oai(validator(minimum(value = "1")))]
    pub current_page: i32,
    #[oai(validator(minimum(value = "0")))]
    pub last_page: i32,
    /// Always sent (null on the last page), as the real service does.
    pub next_page_url: Option<Nullable<String>>,
    /// Always sent (null on the first page).
    pub prev_page_url: Option<Nullable<String>>,
    #[oai(validator(minimum(value = "1")))]
    pub from: i32,
    #[oai(validator(minimum(value = "0")))]
    pub to: i32,
    #[oai(validator(max_items = 100))]
    pub data: Vec<CompanyServiceView>,
}

fn int32(n: i64) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

impl CompanyServicePageView {
    /// The page; `page_url` is the list's URL without query (`http://host:port/path`), to which the
    /// real service appends `/?page=N`, dropping every other parameter.
    pub fn new(page: &Page, page_url: &str) -> Self {
        let link = |n: Option<i64>| Some(Nullable(n.map(|n| format!("{page_url}/?page={n}"))));
        let p = page.position;
        CompanyServicePageView {
            total: int32(p.total),
            per_page: int32(p.per_page),
            current_page: int32(p.current_page),
            last_page: int32(p.last_page),
            next_page_url: link(page.next_page),
            prev_page_url: link(page.prev_page),
            from: int32(p.from),
            to: int32(p.to),
            data: page.items.iter().map(CompanyServiceView::from).collect(),
        }
    }
}

/// A data center location.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "DataCenterLocation")]
pub struct DataCenterLocationView {
    #[oai(rename = "ID")]
    pub id: DigitString,
    #[oai(rename = "Created")]
    pub created: TimestampText,
    #[oai(rename = "LastEdited")]
    pub last_edited: TimestampText,
    #[oai(rename = "City", validator(max_length = 125))]
    pub city: Nullable<String>,
    #[oai(rename = "State", validator(max_length = 50))]
    pub state: Nullable<String>,
    #[oai(rename = "Country", validator(max_length = 5))]
    pub country: Nullable<String>,
    #[oai(rename = "Lat")]
    pub lat: CoordinateText,
    #[oai(rename = "Lng")]
    pub lng: CoordinateText,
}

impl From<&DataCenterLocation> for DataCenterLocationView {
    fn from(l: &DataCenterLocation) -> Self {
        DataCenterLocationView {
            id: DigitString(l.id.to_string()),
            created: TimestampText(l.created.clone()),
            last_edited: TimestampText(l.last_edited.clone()),
            city: l.city.clone().into(),
            state: l.state.clone().into(),
            country: l.country.clone().into(),
            lat: CoordinateText(l.lat.clone()),
            lng: CoordinateText(l.lng.clone()),
        }
    }
}

/// A data center region with its locations.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "DataCenterRegion")]
pub struct DataCenterRegionView {
    #[oai(rename = "ID")]
    pub id: DigitString,
    #[oai(rename = "Created")]
    pub created: TimestampText,
    #[oai(rename = "LastEdited")]
    pub last_edited: TimestampText,
    #[oai(rename = "Name", validator(max_length = 100))]
    pub name: Nullable<String>,
    #[oai(rename = "Endpoint", validator(max_length = 512))]
    pub endpoint: Nullable<String>,
    #[oai(rename = "Color", validator(max_length = 6))]
    pub color: Nullable<String>,
    pub locations: Vec<DataCenterLocationView>,
}

impl From<&DataCenterRegion> for DataCenterRegionView {
    fn from(r: &DataCenterRegion) -> Self {
        DataCenterRegionView {
            id: DigitString(r.id.to_string()),
            created: TimestampText(r.created.clone()),
            last_edited: TimestampText(r.last_edited.clone()),
            name: r.name.clone().into(),
            endpoint: r.endpoint.clone().into(),
            color: r.color.clone().into(),
            locations: r.locations.iter().map(DataCenterLocationView::from).collect(),
        }
    }
}

/// `{"datacenters": [...]}`.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "DataCenterList")]
pub struct DataCenterListView {
    pub datacenters: Vec<DataCenterRegionView>,
}

/// An office of a consultant.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "Office")]
pub struct OfficeView {
    #[oai(rename = "ID")]
    pub id: DigitString,
    #[oai(rename = "Created")]
    pub created: TimestampText,
    #[oai(rename = "LastEdited")]
    pub last_edited: TimestampText,
    #[oai(rename = "Address")]
    pub address: Nullable<String>,
    #[oai(rename = "Address2")]
    pub address2: Nullable<String>,
    #[oai(rename = "State")]
    pub state: Nullable<String>,
    #[oai(rename = "ZipCode")]
    pub zip_code: Nullable<String>,
    #[oai(rename = "City")]
    pub city: Nullable<String>,
    #[oai(rename = "Country")]
    pub country: Nullable<String>,
    #[oai(rename = "Lat")]
    pub lat: CoordinateText,
    #[oai(rename = "Lng")]
    pub lng: CoordinateText,
}

impl From<&Office> for OfficeView {
    fn from(o: &Office) -> Self {
        OfficeView {
            id: DigitString(o.id.to_string()),
            created: TimestampText(o.created.clone()),
            last_edited: TimestampText(o.last_edited.clone()),
            address: o.address.clone().into(),
            address2: o.address2.clone().into(),
            state: o.state.clone().into(),
            zip_code: o.zip_code.clone().into(),
            city: o.city.clone().into(),
            country: o.country.clone().into(),
            lat: CoordinateText(o.lat.clone()),
            lng: CoordinateText(o.lng.clone()),
        }
    }
}

/// `{"offices": [...]}`.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(rename = "OfficeList")]
pub struct OfficeListView {
    pub offices: Vec<OfficeView>,
}

/// A 200: `T` as PHP's JSON. Declared as `application/json` (`T`'s schema) and as the JSON-P
/// `text/javascript` body, which the pipeline makes of it when the request has a `callback`.
pub struct Success<T>(pub T);

impl<T: Type> ResponseContent for Success<T> {
    fn media_types() -> Vec<MetaMediaType> {
        vec![
            MetaMediaType { content_type: "application/json", schema: T::schema_ref() },
            MetaMediaType { content_type: "text/javascript", schema: jsonp_body_schema() },
        ]
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T: ToJSON> IntoResponse for Success<T> {
    fn into_response(self) -> Response {
        json_response(&self.0.to_json().unwrap_or(Value::Null))
    }
}

/// `application/json` with `value` written as PHP does.
pub fn json_response(value: &Value) -> Response {
    Response::builder().content_type("application/json").body(php_json::encode(value))
}

/// An error body (built by `MarketplaceError::body`), declared with the schema `S` of its form.
pub struct ErrorJson<S> {
    body: Value,
    schema: PhantomData<fn() -> S>,
}

impl<S> ErrorJson<S> {
    pub fn new(body: Value) -> Self {
        ErrorJson { body, schema: PhantomData }
    }
}

impl<S: Type> Payload for ErrorJson<S> {
    const CONTENT_TYPE: &'static str = "application/json";

    fn schema_ref() -> MetaSchemaRef {
        S::schema_ref()
    }

    fn register(registry: &mut Registry) {
        S::register(registry);
    }
}

impl<S> IntoResponse for ErrorJson<S> {
    fn into_response(self) -> Response {
        json_response(&self.body)
    }
}

/// Documentation of the error forms (schemas only; bodies are built by `MarketplaceError::body`).
pub mod error_schemas {
    use super::*;

    /// `{"message": ...}`.
    #[derive(Object)]
    #[oai(rename = "MarketplaceError")]
    pub struct MarketplaceErrorSchema {
        pub message: String,
    }

    #[derive(Enum)]
    #[oai(rename = "ValidationFailedMessage")]
    pub enum ValidationFailedMessage {
        #[oai(rename = "Validation Failed")]
        ValidationFailed,
    }

    #[derive(Enum)]
    pub enum PageValidationMessage {
        #[oai(rename = "The page must be an integer.")]
        NotAnInteger,
        #[oai(rename = "The page must be at least 1.")]
        BelowMinimum,
    }

    #[derive(Enum)]
    pub enum PerPageValidationMessage {
        #[oai(rename = "The per page field is required when page is present.")]
        RequiredWithPage,
        #[oai(rename = "The per page must be an integer.")]
        NotAnInteger,
        #[oai(rename = "The per page must be at least 10.")]
        BelowMinimum,
        #[oai(rename = "The per page may not be greater than 100.")]
        AboveMaximum,
    }

    #[derive(Enum)]
    pub enum StatusValidationMessage {
        #[oai(rename = "The status field is does not has a valid value (all, active, non_active).")]
        InvalidValue,
    }

    #[derive(Enum)]
    pub enum OrderByValidationMessage {
        #[oai(rename = "The order by field is does not has a valid value (date, name).")]
        InvalidValue,
    }

    #[derive(Enum)]
    pub enum OrderDirValidationMessage {
        #[oai(rename = "The order dir field is required when order by is present.")]
        RequiredWithOrderBy,
        #[oai(rename = "The order dir field is does not has a valid value (desc, asc).")]
        InvalidValue,
    }

    #[derive(Object)]
    #[oai(rename = "ValidationErrorsProperties")]
    pub struct ValidationErrorsProperties {
        #[oai(validator(min_items = 1))]
        pub page: Option<Vec<PageValidationMessage>>,
        #[oai(validator(min_items = 1))]
        pub per_page: Option<Vec<PerPageValidationMessage>>,
        #[oai(validator(min_items = 1))]
        pub status: Option<Vec<StatusValidationMessage>>,
        #[oai(validator(min_items = 1))]
        pub order_by: Option<Vec<OrderByValidationMessage>>,
        #[oai(validator(min_items = 1))]
        pub order_dir: Option<Vec<OrderDirValidationMessage>>,
    }

    /// The 412 body.
    #[derive(Object)]
    #[oai(rename = "ValidationError")]
    pub struct ValidationErrorSchema {
        pub message: ValidationFailedMessage,
        pub errors: ValidationErrors,
    }

    #[derive(Enum)]
    #[oai(rename = "OAuth2ErrorCode", rename_all = "snake_case")]
    pub enum OAuth2ErrorCodeSchema {
        InvalidRequest,
        InvalidToken,
        UnauthorizedClient,
        InsufficientScope,
    }

    /// `{"error": ..., "error_description": ...}`.
    #[derive(Object)]
    #[oai(rename = "OAuth2Error")]
    pub struct OAuth2ErrorSchema {
        pub error: OAuth2ErrorCodeSchema,
        pub error_description: String,
    }

    #[derive(Object)]
    #[oai(rename = "BadRequestErrorProperties")]
    pub struct BadRequestErrorProperties {
        pub message: Option<String>,
        pub error: Option<OAuth2ErrorCodeSchema>,
        pub error_description: Option<String>,
    }

    #[derive(Object)]
    #[oai(rename = "ForbiddenErrorProperties")]
    pub struct ForbiddenErrorProperties {
        pub message: Option<String>,
        pub error: Option<OAuth2ErrorCodeSchema>,
        pub error_description: Option<String>,
        pub scope: Option<String>,
    }

    /// An object schema `$properties` with `minProperties: 1` (poem's `Object` cannot say it),
    /// registered under `$name` in place of the properties' own schema.
    macro_rules! at_least_one_property {
        ($(#[$doc:meta])* $outer:ident, $properties:ty, $name:literal) => {
            $(#[$doc])*
            pub struct $outer;

            impl Type for $outer {
                const IS_REQUIRED: bool = true;
                type RawValueType = Self;
                type RawElementValueType = Self;

                fn name() -> Cow<'static, str> {
                    $name.into()
                }

                fn schema_ref() -> MetaSchemaRef {
                    MetaSchemaRef::Reference($name.into())
                }

                fn register(registry: &mut Registry) {
                    registry.create_schema::<Self, _>($name.into(), |registry| {
                        <$properties as Type>::register(registry);
                        let inner = <$properties as Type>::name();
                        let mut schema = registry.schemas.remove(inner.as_ref()).expect("just registered");
                        schema.min_properties = Some(1);
                        schema.title = None;
                        schema
                    });
                }

                fn as_raw_value(&self) -> Option<&Self::RawValueType> {
                    Some(self)
                }

                fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
                    Box::new(std::iter::once(self))
                }
            }

            // Documentation only: never sent or parsed (bodies are `MarketplaceError::body`).
            impl ToJSON for $outer {
                fn to_json(&self) -> Option<Value> {
                    None
                }
            }

            impl poem_openapi::types::ParseFromJSON for $outer {
                fn parse_from_json(value: Option<Value>) -> poem_openapi::types::ParseResult<Self> {
                    Err(poem_openapi::types::ParseError::expected_type(value.unwrap_or_default()))
                }
            }
        };
    }

    at_least_one_property!(
        /// The 412 `errors`: at least one failing parameter.
        ValidationErrors, ValidationErrorsProperties, "ValidationErrors"
    );
    at_least_one_property!(
        /// A 400 body: an OAuth 2.0 request error or the API's message.
        BadRequestError, BadRequestErrorProperties, "BadRequestError"
    );
    at_least_one_property!(
        /// A 403 body: an OAuth 2.0 error or the rate-limit message.
        ForbiddenError, ForbiddenErrorProperties, "ForbiddenError"
    );
}
