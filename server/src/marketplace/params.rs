//! Parameters that the handlers take as the raw text sent.
//!
//! The list parameters have the real service's own validation (a 412 with Laravel's messages, see
//! [`super::paging`]), a malformed id is a 404, and a refused `callback` is a 400 only where the
//! answer would have been a 200. poem-openapi would reject such values itself, before the handler,
//! with its own 400; so these types declare the contract's schema while accepting any text.

use poem_openapi::registry::MetaSchema;
use serde_json::Value;

use crate::openapi_types::text_type;

fn enum_schema(values: &[&str], default: &str) -> MetaSchema {
    MetaSchema {
        enum_items: values.iter().map(|v| Value::from(*v)).collect(),
        default: Some(Value::from(default)),
        ..MetaSchema::new("string")
    }
}

text_type!(
    /// `page`: an integer from 1 (default 1).
    pub PageParam,
    "integer(page)",
    MetaSchema {
        format: Some("int32"),
        minimum: Some(1.0),
        maximum: Some(2147483647.0),
        default: Some(1.into()),
        ..MetaSchema::new("integer")
    }
);

text_type!(
    /// `per_page`: an integer from 10 to 100 (default 10).
    pub PerPageParam,
    "integer(per_page)",
    MetaSchema {
        format: Some("int32"),
        minimum: Some(10.0),
        maximum: Some(100.0),
        default: Some(10.into()),
        ..MetaSchema::new("integer")
    }
);

text_type!(
    /// `status`: `all` (default), `active` or `non_active`.
    pub StatusParam,
    "string(status)",
    enum_schema(&["all", "active", "non_active"], "all")
);

text_type!(
    /// `order_by`: `date` (default) or `name`.
    pub OrderByParam,
    "string(order_by)",
    enum_schema(&["date", "name"], "date")
);

text_type!(
    /// `order_dir`: `asc` (default) or `desc`.
    pub OrderDirParam,
    "string(order_dir)",
    enum_schema(&["asc", "desc"], "asc")
);

text_type!(
    /// `callback`: a JavaScript identifier path, or empty.
    pub CallbackParam,
    "string(callback)",
    MetaSchema {
        pattern: Some(r"^(\s*|[$A-Za-z_][$0-9A-Za-z_]*(\.[$A-Za-z_][$0-9A-Za-z_]*)*)$".into()),
        ..MetaSchema::new("string")
    }
);

text_type!(
    /// An entity id in a path: an integer from 1; anything else names no entity (404).
    pub IdParam,
    "integer(id)",
    MetaSchema {
        format: Some("int32"),
        minimum: Some(1.0),
        maximum: Some(2147483647.0),
        ..MetaSchema::new("integer")
    }
);
