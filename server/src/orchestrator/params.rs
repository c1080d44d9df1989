//! Query parameters and request bodies as the orchestrator reads them, declared with the contract's schemas.
//!
//! Spring reads `page` and `size` leniently (a non-number is the default, never a 400) and checks `createdBy`
//! in the service with its own message, so these types declare the contract's schema but accept any text;
//! the rules are applied in [`super::paging`] and [`super::service`]. Bodies are taken raw ([`JsonBody`]) and
//! validated by [`super::validate`], which gives Spring's messages; the schema types here only document them.

use std::borrow::Cow;
use std::marker::PhantomData;

use poem::Request;
use poem_openapi::registry::{MetaMediaType, MetaRequest, MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type};
use poem_openapi::{ApiExtractor, ApiExtractorType, ExtractParamOptions, Object};
use serde_json::Value;

use super::validate::RawBody;
use super::views::{AnyMap, DeploymentResetStatusView, ResourceActionTypeView};
use crate::openapi_types::text_type;

/// A query parameter taken as text, with a declared schema.
macro_rules! lenient_param {
    ($(#[$doc:meta])* $name:ident, $type_name:literal, $schema:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub String);

        impl Type for $name {
            const IS_REQUIRED: bool = true;
            type RawValueType = Self;
            type RawElementValueType = Self;

            fn name() -> Cow<'static, str> {
                $type_name.into()
            }

            fn schema_ref() -> MetaSchemaRef {
                MetaSchemaRef::Inline(Box::new($schema))
            }

            fn as_raw_value(&self) -> Option<&Self> {
                Some(self)
            }

            fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
                Box::new(std::iter::once(self))
            }
        }

        impl ParseFromParameter for $name {
            fn parse_from_parameter(value: &str) -> ParseResult<Self> {
                Ok($name(value.to_string()))
            }
        }

        impl ToJSON for $name {
            fn to_json(&self) -> Option<Value> {
                Some(Value::String(self.0.clone()))
            }
        }

        impl ParseFromJSON for $name {
            fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
                match value {
                    Some(Value::String(s)) => Ok($name(s)),
                    other => Err(ParseError::expected_type(other.unwrap_or_default())),
                }
            }
        }
    };
}

lenient_param!(
    /// `page`: zero-based, default 0 (non-numeric or negative values are read as 0).
    PageParam,
    "integer(page)",
    MetaSchema {
        format: Some("int32"),
        minimum: Some(0.0),
        default: Some(Value::from(0)),
        ..MetaSchema::new("integer")
    }
);

lenient_param!(
    /// `size`: 1 to 2000, default 10 (below 1 or non-numeric is 10, above 2000 is 2000).
    SizeParam,
    "integer(size)",
    MetaSchema {
        format: Some("int32"),
        minimum: Some(1.0),
        maximum: Some(2000.0),
        default: Some(Value::from(10)),
        ..MetaSchema::new("integer")
    }
);

text_type!(
    /// `createdBy`: `me` or `<subject>@<issuer>` (checked by the service, with the real message).
    pub CreatedByParam,
    "string(created-by)",
    MetaSchema { pattern: Some("^(me|[^@]+@[^@]+)$".into()), ..MetaSchema::new("string") }
);

/// `sort`: repeatable `property[,property...][,asc|desc]`, default `createdAt,desc`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SortParam(pub Vec<String>);

impl Type for SortParam {
    const IS_REQUIRED: bool = false;
    type RawValueType = Self;
    type RawElementValueType = Self;

    fn name() -> Cow<'static, str> {
        "array(sort)".into()
    }

    fn schema_ref() -> MetaSchemaRef {
        MetaSchemaRef::Inline(Box::new(MetaSchema {
            items: Some(Box::new(MetaSchemaRef::Inline(Box::new(MetaSchema::new("string"))))),
            default: Some(Value::from(vec!["createdAt,desc"])),
            ..MetaSchema::new("array")
        }))
    }

    fn as_raw_value(&self) -> Option<&Self> {
        Some(self)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self> + 'a> {
        Box::new(std::iter::once(self))
    }

    fn is_none(&self) -> bool {
        self.0.is_empty()
    }
}

impl ParseFromParameter for SortParam {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        Ok(SortParam(vec![value.to_string()]))
    }

    fn parse_from_parameters<I: IntoIterator<Item = A>, A: AsRef<str>>(iter: I) -> ParseResult<Self> {
        Ok(SortParam(iter.into_iter().map(|v| v.as_ref().to_string()).collect()))
    }
}

fn default_provider_timeout() -> Option<i32> {
    Some(14400)
}

fn default_false() -> Option<bool> {
    Some(false)
}

fn default_empty() -> Option<String> {
    Some(String::new())
}

/// Documentation only: the body of a deployment create or update (validated by [`super::validate`]). The
/// optional fields are nullable: `null` counts as absent, as Jackson reads it.
#[derive(Object)]
#[oai(rename = "DeploymentRequest")]
pub struct DeploymentRequestSchema {
    template: String,
    parameters: Option<AnyMap>,
    #[oai(nullable, validator(pattern = "^(https?:.*)?$"))]
    callback: Option<String>,
    #[oai(rename = "timeoutMins", nullable, validator(minimum(value = "1")))]
    timeout_mins: Option<i32>,
    #[oai(
        rename = "providerTimeoutMins",
        nullable,
        validator(minimum(value = "1")),
        default = "default_provider_timeout"
    )]
    provider_timeout_mins: Option<i32>,
    #[oai(rename = "maxProvidersRetry", nullable, validator(minimum(value = "1")))]
    max_providers_retry: Option<i32>,
    #[oai(rename = "keepLastAttempt", nullable, default = "default_false")]
    keep_last_attempt: Option<bool>,
    #[oai(rename = "userGroup", nullable, default = "default_empty")]
    user_group: Option<String>,
}

/// Documentation only: the body of a schedule create.
#[derive(Object)]
#[oai(rename = "ScheduleRequest")]
pub struct ScheduleRequestSchema {
    template: String,
    parameters: Option<AnyMap>,
    #[oai(nullable, validator(pattern = "^(https?:.*)?$"))]
    callback: Option<String>,
    #[oai(rename = "timeoutMins", nullable, validator(minimum(value = "1")))]
    timeout_mins: Option<i32>,
    #[oai(
        rename = "providerTimeoutMins",
        nullable,
        validator(minimum(value = "1")),
        default = "default_provider_timeout"
    )]
    provider_timeout_mins: Option<i32>,
    #[oai(rename = "maxProvidersRetry", nullable, validator(minimum(value = "1")))]
    max_providers_retry: Option<i32>,
    #[oai(rename = "keepLastAttempt", nullable, default = "default_false")]
    keep_last_attempt: Option<bool>,
    #[oai(rename = "userGroup", nullable)]
    user_group: Option<String>,
    #[oai(rename = "fileExpression")]
    file_expression: String,
    #[oai(rename = "replicationExpression")]
    replication_expression: String,
    #[oai(rename = "numberOfReplicas")]
    number_of_replicas: i32,
}

/// Documentation only: the body of a status reset.
#[derive(Object)]
#[oai(rename = "DeploymentStatusReset")]
pub struct DeploymentStatusResetSchema {
    status: DeploymentResetStatusView,
}

/// Documentation only: the body of a resource action.
#[derive(Object)]
#[oai(rename = "ResourceActionRequest")]
pub struct ResourceActionRequestSchema {
    #[oai(rename = "type")]
    action: ResourceActionTypeView,
}

/// A JSON request body taken raw (validated by the service's rules), declared in the spec with schema `T`.
pub struct JsonBody<T> {
    pub raw: RawBody,
    schema: PhantomData<T>,
}

impl<'a, T: Type> ApiExtractor<'a> for JsonBody<T> {
    const TYPES: &'static [ApiExtractorType] = &[ApiExtractorType::RequestObject];
    type ParamType = ();
    type ParamRawType = ();

    fn register(registry: &mut Registry) {
        T::register(registry);
    }

    fn request_meta() -> Option<MetaRequest> {
        Some(MetaRequest {
            description: None,
            content: vec![MetaMediaType { content_type: "application/json", schema: T::schema_ref() }],
            required: true,
        })
    }

    async fn from_request(
        request: &'a Request,
        body: &mut poem::RequestBody,
        _param_opts: ExtractParamOptions<Self::ParamType>,
    ) -> poem::Result<Self> {
        let content_type =
            request.headers().get(poem::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_string);
        let bytes = match body.take() {
            Ok(b) => b.into_bytes_limit(8 * 1024 * 1024).await.map(|b| b.to_vec()).unwrap_or_default(),
            Err(_) => Vec::new(),
        };
        Ok(JsonBody { raw: RawBody { content_type, bytes }, schema: PhantomData })
    }
}
