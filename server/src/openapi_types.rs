//! Small poem-openapi types that let a server declare what its hand-written contract says without
//! changing what goes on the wire.
//!
//! poem-openapi derives a schema from each Rust type, and some of what the contracts say has no Rust
//! type of its own: a string that is a URI, a property that is always present but may be `null`
//! (poem's `Option<T>` is *absent* when unset, and never `nullable`), a string with a pattern. The
//! types here carry such a schema and serialise exactly like the plain value they wrap.

use std::borrow::Cow;

use poem_openapi::registry::{MetaSchema, MetaSchemaRef, Registry};
use poem_openapi::types::{ParseError, ParseFromJSON, ParseFromParameter, ParseResult, ToJSON, Type};
use serde_json::Value;

/// A string newtype whose schema is `$schema`. It serialises as the bare string and parses any string
/// (the schema documents the value; it does not validate it).
macro_rules! text_type {
    ($(#[$doc:meta])* $vis:vis $name:ident, $type_name:literal, $schema:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        $vis struct $name(pub String);

        impl ::poem_openapi::types::Type for $name {
            const IS_REQUIRED: bool = true;
            type RawValueType = String;
            type RawElementValueType = String;

            fn name() -> ::std::borrow::Cow<'static, str> {
                $type_name.into()
            }

            fn schema_ref() -> ::poem_openapi::registry::MetaSchemaRef {
                ::poem_openapi::registry::MetaSchemaRef::Inline(Box::new($schema))
            }

            fn as_raw_value(&self) -> Option<&Self::RawValueType> {
                Some(&self.0)
            }

            fn raw_element_iter<'a>(
                &'a self,
            ) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
                Box::new(::std::iter::once(&self.0))
            }
        }

        impl ::poem_openapi::types::ToJSON for $name {
            fn to_json(&self) -> Option<::serde_json::Value> {
                Some(::serde_json::Value::String(self.0.clone()))
            }
        }

        impl ::poem_openapi::types::ParseFromJSON for $name {
            fn parse_from_json(value: Option<::serde_json::Value>) -> ::poem_openapi::types::ParseResult<Self> {
                match value {
                    Some(::serde_json::Value::String(s)) => Ok($name(s)),
                    other => Err(::poem_openapi::types::ParseError::expected_type(other.unwrap_or_default())),
                }
            }
        }

        impl ::poem_openapi::types::ParseFromParameter for $name {
            fn parse_from_parameter(value: &str) -> ::poem_openapi::types::ParseResult<Self> {
                Ok($name(value.to_string()))
            }
        }

        impl From<String> for $name {
            fn from(s: String) -> Self {
                $name(s)
            }
        }
    };
}

pub(crate) use text_type;

text_type!(
    /// An absolute URL: `type: string, format: uri`.
    pub Href,
    "string(uri)",
    MetaSchema { format: Some("uri"), ..MetaSchema::new("string") }
);

text_type!(
    /// An RFC 3339 date-time as the client wrote it: `type: string, format: date-time`.
    pub DateTimeText,
    "string(date-time)",
    MetaSchema { format: Some("date-time"), ..MetaSchema::new("string") }
);

/// A property that is always present and may be `null`: required, with `T`'s schema plus
/// `nullable: true`. `None` is sent as `null`. (poem's `Option<T>` is a property that may be absent,
/// and its schema is not nullable.)
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Nullable<T>(pub Option<T>);

impl<T> From<Option<T>> for Nullable<T> {
    fn from(value: Option<T>) -> Self {
        Nullable(value)
    }
}

impl<T: Type> Type for Nullable<T> {
    const IS_REQUIRED: bool = true;
    type RawValueType = T::RawValueType;
    type RawElementValueType = T::RawElementValueType;

    fn name() -> Cow<'static, str> {
        format!("nullable_{}", T::name()).into()
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref().merge(MetaSchema { nullable: true, ..MetaSchema::ANY })
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }

    fn as_raw_value(&self) -> Option<&Self::RawValueType> {
        self.0.as_ref().and_then(Type::as_raw_value)
    }

    fn raw_element_iter<'a>(&'a self) -> Box<dyn Iterator<Item = &'a Self::RawElementValueType> + 'a> {
        match &self.0 {
            Some(value) => value.raw_element_iter(),
            None => Box::new(std::iter::empty()),
        }
    }
}

impl<T: ToJSON> ToJSON for Nullable<T> {
    fn to_json(&self) -> Option<Value> {
        match &self.0 {
            Some(value) => value.to_json(),
            None => Some(Value::Null),
        }
    }
}

impl<T: ParseFromJSON> ParseFromJSON for Nullable<T> {
    fn parse_from_json(value: Option<Value>) -> ParseResult<Self> {
        match value.unwrap_or_default() {
            Value::Null => Ok(Nullable(None)),
            value => T::parse_from_json(Some(value)).map(|v| Nullable(Some(v))).map_err(ParseError::propagate),
        }
    }
}

impl<T: ParseFromParameter> ParseFromParameter for Nullable<T> {
    fn parse_from_parameter(value: &str) -> ParseResult<Self> {
        T::parse_from_parameter(value).map(|v| Nullable(Some(v))).map_err(ParseError::propagate)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nullable_is_required_nullable_and_sends_null() {
        const { assert!(<Nullable<String> as Type>::IS_REQUIRED) };
        let MetaSchemaRef::Inline(schema) = Nullable::<String>::schema_ref() else { panic!("inline") };
        assert!(schema.nullable);
        assert_eq!(schema.ty, "string");
        assert_eq!(Nullable::<String>(None).to_json(), Some(Value::Null));
        assert_eq!(Nullable(Some("x".to_string())).to_json(), Some(Value::from("x")));
        assert_eq!(Nullable::<String>::parse_from_json(Some(Value::Null)).unwrap(), Nullable(None));
    }

    #[test]
    fn href_is_a_uri_string_sent_as_is() {
        let MetaSchemaRef::Inline(schema) = Href::schema_ref() else { panic!("inline") };
        assert_eq!((schema.ty, schema.format), ("string", Some("uri")));
        assert_eq!(Href("http://h/v1".into()).to_json(), Some(Value::from("http://h/v1")));
    }
}

/// A JSON answer serialized once and sent as is, documented as `T` (so the emitted spec is the
/// same as for `Json<T>`). It lets a handler answer from a cache of finished bodies: cloning one
/// is a reference-count increment, where `Json<T>` would rebuild a JSON tree and write it out for
/// every request.
#[derive(Debug, Clone)]
pub struct SerializedJson<T> {
    body: bytes::Bytes,
    _documents: std::marker::PhantomData<fn() -> T>,
}

impl<T: ToJSON> SerializedJson<T> {
    /// Serialize `value` as `Json<T>` would.
    pub fn new(value: &T) -> Self {
        let text = value.to_json().map(|v| v.to_string()).unwrap_or_else(|| "null".to_string());
        SerializedJson { body: bytes::Bytes::from(text), _documents: std::marker::PhantomData }
    }
}

impl<T: Type> poem_openapi::payload::Payload for SerializedJson<T> {
    const CONTENT_TYPE: &'static str = "application/json; charset=utf-8";

    fn check_content_type(content_type: &str) -> bool {
        <poem_openapi::payload::Json<T> as poem_openapi::payload::Payload>::check_content_type(content_type)
    }

    fn schema_ref() -> MetaSchemaRef {
        T::schema_ref()
    }

    fn register(registry: &mut Registry) {
        T::register(registry);
    }
}

impl<T> poem::IntoResponse for SerializedJson<T> {
    fn into_response(self) -> poem::Response {
        poem::Response::builder()
            .content_type("application/json; charset=utf-8")
            .body(poem::Body::from_bytes(self.body))
    }
}
