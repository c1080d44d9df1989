//! Parameters that Barbican never rejects.
//!
//! Barbican reads `limit` and `offset` leniently (`abc` means the default, `1000` means 100) and
//! answers a malformed id with 404, not 400. poem-openapi would reject such values before the
//! handler ran, so these types declare the contract's schema (an integer with its bounds, a uuid)
//! while accepting any text, which the domain then cleans exactly as Barbican does.

use std::borrow::Cow;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef};
use poem_openapi::types::{ParseFromParameter, ParseResult, Type};

macro_rules! lenient_text_param {
    ($(#[$doc:meta])* $name:ident, $type_name:literal, $schema:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name(pub String);

        impl Type for $name {
            const IS_REQUIRED: bool = true;
            type RawValueType = String;
            type RawElementValueType = String;

            fn name() -> Cow<'static, str> {
                $type_name.into()
            }

            fn schema_ref() -> MetaSchemaRef {
                MetaSchemaRef::Inline(Box::new($schema))
            }

            fn as_raw_value(&self) -> Option<&Self::RawValueType> {
                Some(&self.0)
            }

            fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
                Box::new(std::iter::once(&self.0))
            }
        }

        impl ParseFromParameter for $name {
            fn parse_from_parameter(value: &str) -> ParseResult<Self> {
                Ok($name(value.to_string()))
            }
        }
    };
}

lenient_text_param!(
    /// `offset`: documented as an integer from 0 (default 0); anything unusable means 0.
    OffsetParam,
    "integer(int64)",
    MetaSchema {
        format: Some("int64"),
        default: Some(0.into()),
        minimum: Some(0.0),
        maximum: Some(i64::MAX as f64),
        ..MetaSchema::new("integer")
    }
);

lenient_text_param!(
    /// `limit`: documented as an integer up to 100 (default 10); Barbican clamps what is outside.
    LimitParam,
    "integer(int32)",
    MetaSchema {
        format: Some("int32"),
        default: Some(10.into()),
        minimum: Some(0.0),
        maximum: Some(100.0),
        ..MetaSchema::new("integer")
    }
);

lenient_text_param!(
    /// An order, secret or container id: a UUID; anything else is simply not found.
    IdParam,
    "string(uuid)",
    MetaSchema { format: Some("uuid"), ..MetaSchema::new("string") }
);

use crate::openapi_types::text_type;

text_type!(
    /// `OpenStack-API-Version`: any text, as Barbican takes it. `headers::negotiate_microversion` reads
    /// it (entries of other services are ignored) and refuses a malformed or unsupported `key-manager`
    /// version with 400 or 406.
    pub MicroversionHeader,
    "string(microversion)",
    MetaSchema::new("string")
);

text_type!(
    /// `meta`, the list filter: documented up to 255 characters; Barbican filters with whatever it gets.
    pub MetaFilterParam,
    "string(meta-filter)",
    MetaSchema { max_length: Some(255), ..MetaSchema::new("string") }
);

text_type!(
    /// The 2014 route's `{version}` segment (`v1`); any other value is a 404 from the handler, not a 400.
    pub VersionSegmentParam,
    "string(version-segment)",
    MetaSchema { pattern: Some("^v[0-9]+$".into()), max_length: Some(8), ..MetaSchema::new("string") }
);

text_type!(
    /// The 2014 route's `{tenantId}`: a project id; one that is not the caller's is a 401 from the handler.
    pub TenantIdParam,
    "string(tenant-id)",
    MetaSchema { min_length: Some(1), max_length: Some(255), ..MetaSchema::new("string") }
);
