//! Validation of `POST /v1/orders` bodies, with Barbican's exact messages and precedence.
//!
//! Barbican validates in stages, and the first failure wins: JSON parse (`Malformed JSON`), a
//! recursive whitespace strip, the top-level `Order` schema (`type` before `meta`), the `Secret`
//! meta schema (when several fields fail, the field whose *name sorts greatest* is reported, and a
//! type error beats a length or enum error), then the post-schema checks (`name` and `expiration`
//! normalisation, payload rules, and the order-level rules). The messages are Python jsonschema's,
//! with values quoted by Python `repr` ([`super::pyrepr`]). The tables and texts follow
//! `../shared/fidelity/barbican.md` §2, observed on Barbican 21.0.0.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};
use serde_json::{Map, Value};

use super::error::BarbicanError;
use super::model::OrderType;
use super::pyrepr::{repr, str_repr};

/// Bodies are cut at this size before parsing, as Barbican's `max_allowed_request_size_in_bytes`.
pub const MAX_BODY_BYTES: usize = 25_000;
/// A payload larger than this (UTF-8 bytes) is a 413.
const MAX_PAYLOAD_BYTES: usize = 20_000;

const ORDER_SCHEMA: &str = "Order";
/// Rendered inside quotes as `schema 'Secret' within 'Order'` (a quirk of Barbican's formatting).
const SECRET_SCHEMA: &str = "Secret' within 'Order";

const SECRET_TYPES: [&str; 6] = ["symmetric", "passphrase", "private", "public", "certificate", "opaque"];
const SUPPORTED_PAYLOAD_CONTENT_TYPES: [&str; 5] = [
    "text/plain",
    "text/plain;charset=utf-8",
    "text/plain; charset=utf-8",
    "application/octet-stream",
    "application/pkcs8",
];

/// A create request that passed every check: the order type and the meta to store.
#[derive(Debug, Clone, PartialEq)]
pub struct ValidOrderRequest {
    pub order_type: OrderType,
    /// Input keys in input order, strings stripped, `name` and `expiration` normalised (and
    /// appended when absent), unknown keys kept.
    pub meta: Map<String, Value>,
}

fn invalid(schema: &str, reason: &str, property: &str) -> BarbicanError {
    BarbicanError::BadRequest(format!(
        "Provided object does not match schema '{schema}': {reason}. Invalid property: '{property}'"
    ))
}

/// Validate a create-order body (already known to be `application/json`, at most
/// [`MAX_BODY_BYTES`] long or truncated to it). `now` decides whether an expiration is in the past.
pub fn validate_order_request(body: &[u8], now: DateTime<Utc>) -> Result<ValidOrderRequest, BarbicanError> {
    let body = &body[..body.len().min(MAX_BODY_BYTES)];
    let mut value: Value =
        serde_json::from_slice(body).map_err(|_| BarbicanError::BadRequest("Malformed JSON".into()))?;
    strip_strings(&mut value);

    // Top-level schema: an object with a string `type` from the enum, and an object `meta`.
    let Value::Object(mut top) = value else {
        return Err(invalid(ORDER_SCHEMA, &format!("{} is not of type 'object'", repr(&value)), "None"));
    };
    let order_type = match top.get("type") {
        None => return Err(invalid(ORDER_SCHEMA, "'type' is a required property", "type")),
        Some(Value::String(s)) => match OrderType::parse(s) {
            Some(t) => t,
            None => {
                return Err(invalid(
                    ORDER_SCHEMA,
                    &format!("{} is not one of ['key', 'asymmetric']", str_repr(s)),
                    "type",
                ));
            }
        },
        Some(other) => return Err(invalid(ORDER_SCHEMA, &format!("{} is not of type 'string'", repr(other)), "type")),
    };
    let mut meta = match top.remove("meta") {
        None => return Err(invalid(ORDER_SCHEMA, "'meta' is a required property", "meta")),
        Some(Value::Object(meta)) => meta,
        Some(other) => return Err(invalid(ORDER_SCHEMA, &format!("{} is not of type 'object'", repr(&other)), "meta")),
    };

    check_meta_schema(&meta)?;
    normalise_name(&mut meta);
    normalise_expiration(&mut meta, now)?;
    check_payload(&meta)?;
    check_order_rules(order_type, &meta)?;
    Ok(ValidOrderRequest { order_type, meta })
}

/// Python's `str.strip()` on every string, recursively through objects and arrays.
fn strip_strings(value: &mut Value) {
    match value {
        Value::String(s) => {
            let trimmed = s.trim();
            if trimmed.len() != s.len() {
                *s = trimmed.to_string();
            }
        }
        Value::Array(items) => items.iter_mut().for_each(strip_strings),
        Value::Object(map) => map.values_mut().for_each(strip_strings),
        _ => {}
    }
}

/// The JSON types a meta field accepts.
#[derive(Clone, Copy)]
enum FieldType {
    String,
    StringOrNull,
    Integer,
}

struct FieldRule {
    name: &'static str,
    ty: FieldType,
    max_length: Option<usize>,
    one_of: Option<&'static [&'static str]>,
    /// Inclusive integer bounds.
    range: Option<(i64, i64)>,
}

const fn rule(name: &'static str, ty: FieldType) -> FieldRule {
    FieldRule { name, ty, max_length: None, one_of: None, range: None }
}

/// The meta schema, sorted by field name *descending*: the first failing field is the one Barbican reports.
const META_RULES: [FieldRule; 11] = [
    rule("transport_key_needed", FieldType::String).with_enum(&["true", "false"]),
    rule("transport_key_id", FieldType::String),
    FieldRule { max_length: Some(80), ..rule("secret_type", FieldType::String) }.with_enum(&SECRET_TYPES),
    FieldRule { max_length: Some(255), ..rule("payload_content_type", FieldType::StringOrNull) },
    rule("payload_content_encoding", FieldType::String).with_enum(&["base64"]),
    rule("payload", FieldType::String),
    FieldRule { max_length: Some(255), ..rule("name", FieldType::StringOrNull) },
    FieldRule { max_length: Some(255), ..rule("mode", FieldType::String) },
    FieldRule { max_length: Some(255), ..rule("expiration", FieldType::String) },
    FieldRule { range: Some((1, 32767)), ..rule("bit_length", FieldType::Integer) },
    FieldRule { max_length: Some(255), ..rule("algorithm", FieldType::String) },
];

impl FieldRule {
    const fn with_enum(self, values: &'static [&'static str]) -> Self {
        FieldRule { one_of: Some(values), ..self }
    }

    /// The jsonschema message for `value`, if it breaks this rule (type errors first).
    fn violation(&self, value: &Value) -> Option<String> {
        let type_ok = match (self.ty, value) {
            (FieldType::String, Value::String(_)) => true,
            (FieldType::StringOrNull, Value::String(_) | Value::Null) => true,
            // jsonschema's integer accepts floats with no fractional part (256.0), never booleans.
            (FieldType::Integer, Value::Number(n)) => {
                n.is_i64() || n.is_u64() || n.as_f64().is_some_and(|f| f.fract() == 0.0)
            }
            _ => false,
        };
        if !type_ok {
            let expected = match self.ty {
                FieldType::String => "'string'",
                FieldType::StringOrNull => "'string', 'null'",
                FieldType::Integer => "'integer'",
            };
            return Some(format!("{} is not of type {expected}", repr(value)));
        }
        if let (Some(max), Value::String(s)) = (self.max_length, value)
            && s.chars().count() > max
        {
            return Some(format!("{} is too long", str_repr(s)));
        }
        if let (Some(allowed), Value::String(s)) = (self.one_of, value)
            && !allowed.contains(&s.as_str())
        {
            let list = allowed.iter().map(|a| str_repr(a)).collect::<Vec<_>>().join(", ");
            return Some(format!("{} is not one of [{list}]", str_repr(s)));
        }
        if let (Some((min, max)), Value::Number(n)) = (self.range, value) {
            let f = n.as_f64().unwrap_or(0.0);
            if f < min as f64 {
                return Some(format!("{} is less than the minimum of {min}", repr(value)));
            }
            if f > max as f64 {
                return Some(format!("{} is greater than the maximum of {max}", repr(value)));
            }
        }
        None
    }
}

fn check_meta_schema(meta: &Map<String, Value>) -> Result<(), BarbicanError> {
    for rule in &META_RULES {
        if let Some(value) = meta.get(rule.name)
            && let Some(reason) = rule.violation(value)
        {
            return Err(invalid(SECRET_SCHEMA, &reason, rule.name));
        }
    }
    Ok(())
}

/// `name` is always written back: the (stripped) string, or null for anything else or when absent.
fn normalise_name(meta: &mut Map<String, Value>) {
    let name = match meta.get("name") {
        Some(Value::String(s)) => Value::String(s.clone()),
        _ => Value::Null,
    };
    meta.insert("name".into(), name);
}

/// `expiration` is always written back: null when absent or blank, otherwise the instant in naive
/// UTC with microseconds. It must parse as ISO 8601 and lie in the future.
fn normalise_expiration(meta: &mut Map<String, Value>, now: DateTime<Utc>) -> Result<(), BarbicanError> {
    let normalised = match meta.get("expiration") {
        Some(Value::String(s)) if !s.is_empty() => {
            let when = parse_isotime(s)
                .ok_or_else(|| invalid(SECRET_SCHEMA, "Invalid date for 'expiration'", "expiration"))?;
            if when <= now {
                return Err(invalid(SECRET_SCHEMA, "'expiration' is before current time", "expiration"));
            }
            Value::String(when.naive_utc().format("%Y-%m-%dT%H:%M:%S%.6f").to_string())
        }
        _ => Value::Null,
    };
    meta.insert("expiration".into(), normalised);
    Ok(())
}

/// ISO 8601 as Python's `iso8601.parse_date` reads it: `YYYY-MM-DD` or `YYYYMMDD`, optionally `T` or a
/// space and `hh:mm[:ss[.frac]]`, optionally `Z` or `±hh[[:]mm]`; a naive value is UTC.
pub fn parse_isotime(s: &str) -> Option<DateTime<Utc>> {
    let (date_part, rest) = if s.len() >= 10 && s.as_bytes().get(4) == Some(&b'-') {
        (NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?, &s[10..])
    } else {
        (NaiveDate::parse_from_str(s.get(..8)?, "%Y%m%d").ok()?, s.get(8..)?)
    };
    if rest.is_empty() {
        return Some(Utc.from_utc_datetime(&date_part.and_hms_opt(0, 0, 0)?));
    }
    let rest = rest.strip_prefix(['T', ' '])?;
    let tz_start = rest.find(['Z', 'z', '+', '-']).unwrap_or(rest.len());
    let (time_text, tz_text) = rest.split_at(tz_start);
    let time = parse_time(time_text)?;
    let naive = NaiveDateTime::new(date_part, time);
    let offset = match tz_text {
        "" | "Z" | "z" => FixedOffset::east_opt(0)?,
        tz => {
            let sign = if tz.starts_with('-') { -1 } else { 1 };
            let digits = tz[1..].replace(':', "");
            if !digits.bytes().all(|b| b.is_ascii_digit()) || !(digits.len() == 2 || digits.len() == 4) {
                return None;
            }
            let hours: i32 = digits[..2].parse().ok()?;
            let minutes: i32 = if digits.len() == 4 { digits[2..].parse().ok()? } else { 0 };
            FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))?
        }
    };
    Some(offset.from_local_datetime(&naive).single()?.with_timezone(&Utc))
}

fn parse_time(text: &str) -> Option<NaiveTime> {
    let (hms, frac) = match text.split_once(['.', ',']) {
        Some((hms, frac)) => (hms, Some(frac)),
        None => (text, None),
    };
    let parts: Vec<&str> = hms.split(':').collect();
    let num =
        |p: &str| -> Option<u32> { (p.len() == 2 && p.bytes().all(|b| b.is_ascii_digit())).then(|| p.parse().ok())? };
    let (h, m, s) = match parts.as_slice() {
        [h, m] => (num(h)?, num(m)?, 0),
        [h, m, s] => (num(h)?, num(m)?, num(s)?),
        _ => return None,
    };
    let micros = match frac {
        None => 0,
        Some(f) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => {
            let padded = format!("{f:0<6}");
            padded[..6].parse().ok()?
        }
        Some(_) => return None,
    };
    NaiveTime::from_hms_micro_opt(h, m, s, micros)
}

/// The payload rules (§2.6 step 3), which apply when `payload` is present, and the content-type rule
/// that applies on its own when only `payload_content_type` is given.
fn check_payload(meta: &Map<String, Value>) -> Result<(), BarbicanError> {
    let content_type = meta.get("payload_content_type").and_then(Value::as_str);
    let unsupported_type = || {
        let list = SUPPORTED_PAYLOAD_CONTENT_TYPES.iter().map(|t| str_repr(t)).collect::<Vec<_>>().join(", ");
        invalid(SECRET_SCHEMA, &format!("payload_content_type is not one of [{list}]"), "payload_content_type")
    };
    let Some(payload) = meta.get("payload") else {
        return match content_type {
            Some(ct) if !ct.is_empty() && normalise_content_type(ct).is_none() => Err(unsupported_type()),
            _ => Ok(()),
        };
    };
    let Some(ct) = content_type else {
        return Err(invalid(
            SECRET_SCHEMA,
            "If 'payload' is supplied, 'payload_content_type' must also be supplied.",
            "payload_content_type",
        ));
    };
    let media = normalise_content_type(ct).ok_or_else(unsupported_type)?;
    let encoding = meta.get("payload_content_encoding").and_then(Value::as_str);
    let allowed_encodings: Option<&[&str]> = match media {
        "text/plain" => None,
        _ => Some(&["base64"]),
    };
    if let Some(enc) = encoding
        && !allowed_encodings.is_some_and(|allowed| allowed.contains(&enc))
    {
        let list = match allowed_encodings {
            None => "None".to_string(),
            Some(a) => format!("[{}]", a.iter().map(|e| str_repr(e)).collect::<Vec<_>>().join(", ")),
        };
        return Err(invalid(
            SECRET_SCHEMA,
            &format!("payload_content_encoding is not one of {list}"),
            "payload_content_encoding",
        ));
    }
    let payload_text = payload.as_str().unwrap_or_default();
    if payload_text.len() > MAX_PAYLOAD_BYTES {
        return Err(BarbicanError::PayloadTooLarge);
    }
    if payload_text.trim().is_empty() {
        return Err(invalid(SECRET_SCHEMA, "If 'payload' specified, must be non empty", "payload"));
    }
    if encoding == Some("base64") {
        use base64::Engine;
        if base64::engine::general_purpose::STANDARD.decode(payload_text).is_err() {
            return Err(invalid(SECRET_SCHEMA, "Invalid payload for payload_content_encoding", "payload"));
        }
    }
    Ok(())
}

/// The canonical media type for a supported payload content type: case-insensitive, and a
/// `text/plain` charset parameter is accepted only when it is UTF-8.
fn normalise_content_type(ct: &str) -> Option<&'static str> {
    let lower = ct.to_ascii_lowercase();
    let (media, params) = match lower.split_once(';') {
        Some((m, p)) => (m.trim().to_string(), Some(p.trim().to_string())),
        None => (lower.trim().to_string(), None),
    };
    match (media.as_str(), params.as_deref()) {
        ("text/plain", None) => Some("text/plain"),
        ("text/plain", Some(p)) if p.replace(' ', "") == "charset=utf-8" => Some("text/plain"),
        ("application/octet-stream", None) => Some("application/octet-stream"),
        ("application/pkcs8", None) => Some("application/pkcs8"),
        _ => None,
    }
}

/// The order-level rules (§2.6 step 4).
fn check_order_rules(order_type: OrderType, meta: &Map<String, Value>) -> Result<(), BarbicanError> {
    let (kind, kind_long) = match order_type {
        OrderType::Key => ("key", "key"),
        OrderType::Asymmetric => ("asymmetric", "asymmetric key"),
    };
    if meta.get("payload").is_some_and(|p| !p.is_null()) {
        return Err(invalid(ORDER_SCHEMA, &format!("'payload' not allowed for {kind} type order"), "meta"));
    }
    if !meta.get("algorithm").is_some_and(is_truthy) {
        return Err(invalid(
            ORDER_SCHEMA,
            &format!("'algorithm' is required field for {kind_long} type order"),
            "meta",
        ));
    }
    let bit_length = meta.get("bit_length").filter(|v| is_truthy(v));
    let Some(bit_length) = bit_length else {
        return Err(invalid(
            ORDER_SCHEMA,
            &format!("'bit_length' is required field for {kind_long} type order"),
            "meta",
        ));
    };
    let bits = bit_length.as_f64().unwrap_or(0.0) as i64;
    if bits % 8 != 0 {
        return Err(BarbicanError::BadRequest("Provided field value is not supported".into()));
    }
    Ok(())
}

/// Python truthiness of a decoded JSON value.
fn is_truthy(value: &Value) -> bool {
    match value {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 22, 12, 0, 0).unwrap()
    }

    fn message(body: &str) -> String {
        match validate_order_request(body.as_bytes(), now()) {
            Err(BarbicanError::BadRequest(m)) => m,
            other => panic!("expected a 400 for {body}, got {other:?}"),
        }
    }

    #[test]
    fn parse_isotime_reads_what_python_iso8601_reads() {
        let t = |s: &str| parse_isotime(s).map(|d| d.naive_utc().format("%Y-%m-%dT%H:%M:%S%.6f").to_string());
        assert_eq!(t("2099-01-01").as_deref(), Some("2099-01-01T00:00:00.000000"));
        assert_eq!(t("2099-01-01T05:00:00+05:00").as_deref(), Some("2099-01-01T00:00:00.000000"));
        assert_eq!(t("2099-01-01T00:00:00-01").as_deref(), Some("2099-01-01T01:00:00.000000"));
        assert_eq!(t("2099-01-01T00:00:00.123456Z").as_deref(), Some("2099-01-01T00:00:00.123456"));
        assert_eq!(t("garbage"), None);
        assert_eq!(t("2099-01-01T00:00:00-5:00"), None);
    }

    #[test]
    fn stored_meta_appends_name_and_expiration() {
        let ok =
            validate_order_request(br#"{"type": " key ", "meta": {"algorithm": "aes", "bit_length": 256}}"#, now())
                .unwrap();
        assert_eq!(ok.order_type, OrderType::Key);
        assert_eq!(
            serde_json::to_string(&ok.meta).unwrap(),
            r#"{"algorithm":"aes","bit_length":256,"name":null,"expiration":null}"#
        );
    }

    #[test]
    fn messages_and_precedence_match_barbican() {
        assert_eq!(message("{"), "Malformed JSON");
        assert_eq!(
            message("[]"),
            "Provided object does not match schema 'Order': [] is not of type 'object'. Invalid property: 'None'"
        );
        assert_eq!(
            message("{}"),
            "Provided object does not match schema 'Order': 'type' is a required property. Invalid property: 'type'"
        );
        assert_eq!(
            message(r#"{"type": "foo", "meta": "x"}"#),
            "Provided object does not match schema 'Order': 'foo' is not one of ['key', 'asymmetric']. Invalid property: 'type'"
        );
        assert_eq!(
            message(r#"{"type": "key", "meta": {"algorithm": 1, "bit_length": "256"}}"#),
            "Provided object does not match schema 'Secret' within 'Order': '256' is not of type 'integer'. Invalid property: 'bit_length'"
        );
        assert_eq!(
            message(r#"{"type": "key", "meta": {"bit_length": " "}}"#),
            "Provided object does not match schema 'Secret' within 'Order': '' is not of type 'integer'. Invalid property: 'bit_length'"
        );
        assert_eq!(
            message(r#"{"type": "key", "meta": {"payload": "x"}}"#),
            "Provided object does not match schema 'Secret' within 'Order': If 'payload' is supplied, 'payload_content_type' must also be supplied.. Invalid property: 'payload_content_type'"
        );
        assert_eq!(
            message(r#"{"type": "asymmetric", "meta": {"bit_length": 2048}}"#),
            "Provided object does not match schema 'Order': 'algorithm' is required field for asymmetric key type order. Invalid property: 'meta'"
        );
        assert_eq!(
            message(r#"{"type": "key", "meta": {"algorithm": "aes", "bit_length": 129}}"#),
            "Provided field value is not supported"
        );
        assert_eq!(
            message(r#"{"type": "key", "meta": {"algorithm": "aes", "bit_length": 256, "expiration": "2001-01-01"}}"#),
            "Provided object does not match schema 'Secret' within 'Order': 'expiration' is before current time. Invalid property: 'expiration'"
        );
    }
}
