//! `POST /v1/orders`: the content-type rules, the body cap, every validation message with its
//! precedence, the 202, and what processing makes of the order.

use reqwest::Method;
use serde_json::{Value, json};

use super::{Barbican, error};
use crate::harness::{TestStandin, last_segment, status_json};

const SCHEMA_ORDER: &str = "Provided object does not match schema 'Order'";
const SCHEMA_SECRET: &str = "Provided object does not match schema 'Secret' within 'Order'";

async fn create_raw(b: &Barbican<'_>, content_type: Option<&str>, body: &str) -> (u16, Value) {
    let mut req = b.request(Method::POST, "/v1/orders").body(body.to_string());
    if let Some(ct) = content_type {
        req = req.header("Content-Type", ct);
    }
    status_json(req.send().await.unwrap()).await
}

#[tokio::test]
async fn accepted_with_order_ref_and_location() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let resp = b
        .post_json("/v1/orders", &json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 256}}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    assert_eq!(resp.headers()["content-type"], "application/json");
    let location = resp.headers()["location"].to_str().unwrap().to_string();
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body.as_object().unwrap().len(), 1, "only order_ref: {body}");
    assert_eq!(body["order_ref"], location);
    let id = last_segment(&location);
    assert!(location.starts_with("http://localhost:9311/v1/orders/"), "{location}");
    assert_eq!(uuid::Uuid::parse_str(id).unwrap().get_version_num(), 4);
}

#[tokio::test]
async fn content_type_must_be_exactly_application_json() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let body = r#"{"type": "key", "meta": {"algorithm": "aes", "bit_length": 256}}"#;
    let unsupported = error(
        415,
        "Unsupported Media Type",
        "Unexpected content type. Expected content types are: ['application/json']",
    );
    for ct in [None, Some("text/plain"), Some("Application/JSON"), Some("application/jsonx")] {
        assert_eq!(create_raw(&b, ct, body).await, (415, unsupported.clone()), "Content-Type {ct:?}");
    }
    for ct in ["application/json", "application/json; charset=utf-8", "application/json;charset=utf-8"] {
        assert_eq!(create_raw(&b, Some(ct), body).await.0, 202, "Content-Type {ct}");
    }
}

#[tokio::test]
async fn the_policy_is_checked_before_the_content_type() {
    let server = TestStandin::start().await;
    let audit = Barbican::new(&server, "p1").with_roles("audit");
    let (status, body) = create_raw(&audit, Some("text/plain"), "x").await;
    assert_eq!(
        (status, body),
        (
            403,
            error(403, "Forbidden", "Order creation attempt not allowed - please review your user/project privileges")
        )
    );
    let creator = Barbican::new(&server, "p1").with_roles("creator");
    creator.create_key("by-creator").await;
}

#[tokio::test]
async fn bodies_are_cut_at_25000_bytes() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let body_of = |len: usize| {
        let head = r#"{"type": "key", "meta": {"algorithm": "aes", "bit_length": 256}, "pad": ""#;
        let tail = r#""}"#;
        format!("{head}{}{tail}", "x".repeat(len - head.len() - tail.len()))
    };
    assert_eq!(create_raw(&b, Some("application/json"), &body_of(25_000)).await.0, 202);
    assert_eq!(
        create_raw(&b, Some("application/json"), &body_of(25_001)).await,
        (400, error(400, "Bad Request", "Malformed JSON"))
    );
    // A huge body is refused without being read whole.
    let (status, _) = create_raw(&b, Some("application/json"), &body_of(5_000_000)).await;
    assert_eq!(status, 400);
}

#[tokio::test]
async fn every_validation_message_and_its_precedence() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let order = |reason: &str, prop: &str| format!("{SCHEMA_ORDER}: {reason}. Invalid property: '{prop}'");
    let secret = |reason: &str, prop: &str| format!("{SCHEMA_SECRET}: {reason}. Invalid property: '{prop}'");
    let long = "a".repeat(256);
    let cases: Vec<(String, String)> = vec![
        ("{".into(), "Malformed JSON".into()),
        ("[]".into(), order("[] is not of type 'object'", "None")),
        ("\"abc\"".into(), order("'abc' is not of type 'object'", "None")),
        ("null".into(), order("None is not of type 'object'", "None")),
        ("true".into(), order("True is not of type 'object'", "None")),
        ("{}".into(), order("'type' is a required property", "type")),
        (r#"{"type": 123, "meta": {}}"#.into(), order("123 is not of type 'string'", "type")),
        (r#"{"type": null, "meta": {}}"#.into(), order("None is not of type 'string'", "type")),
        (r#"{"type": "KEY", "meta": {}}"#.into(), order("'KEY' is not one of ['key', 'asymmetric']", "type")),
        (r#"{"type": "foo", "meta": "x"}"#.into(), order("'foo' is not one of ['key', 'asymmetric']", "type")),
        (r#"{"type": "key"}"#.into(), order("'meta' is a required property", "meta")),
        (r#"{"type": "key", "meta": "x"}"#.into(), order("'x' is not of type 'object'", "meta")),
        (r#"{"type": "key", "meta": []}"#.into(), order("[] is not of type 'object'", "meta")),
        (r#"{"type": "key", "meta": {"name": 123}}"#.into(), secret("123 is not of type 'string', 'null'", "name")),
        (format!(r#"{{"type": "key", "meta": {{"name": "{long}"}}}}"#), secret(&format!("'{long}' is too long"), "name")),
        (r#"{"type": "key", "meta": {"algorithm": null}}"#.into(), secret("None is not of type 'string'", "algorithm")),
        (r#"{"type": "key", "meta": {"mode": 123}}"#.into(), secret("123 is not of type 'string'", "mode")),
        (r#"{"type": "key", "meta": {"bit_length": 0}}"#.into(), secret("0 is less than the minimum of 1", "bit_length")),
        (r#"{"type": "key", "meta": {"bit_length": 32768}}"#.into(), secret("32768 is greater than the maximum of 32767", "bit_length")),
        (r#"{"type": "key", "meta": {"bit_length": "256"}}"#.into(), secret("'256' is not of type 'integer'", "bit_length")),
        (r#"{"type": "key", "meta": {"bit_length": 256.5}}"#.into(), secret("256.5 is not of type 'integer'", "bit_length")),
        (r#"{"type": "key", "meta": {"bit_length": true}}"#.into(), secret("True is not of type 'integer'", "bit_length")),
        (r#"{"type": "key", "meta": {"bit_length": " "}}"#.into(), secret("'' is not of type 'integer'", "bit_length")),
        (r#"{"type": "key", "meta": {"expiration": null}}"#.into(), secret("None is not of type 'string'", "expiration")),
        (r#"{"type": "key", "meta": {"payload": ["array"]}}"#.into(), secret("['array'] is not of type 'string'", "payload")),
        (
            r#"{"type": "key", "meta": {"secret_type": "foo"}}"#.into(),
            secret("'foo' is not one of ['symmetric', 'passphrase', 'private', 'public', 'certificate', 'opaque']", "secret_type"),
        ),
        (
            r#"{"type": "key", "meta": {"payload_content_encoding": "hex"}}"#.into(),
            secret("'hex' is not one of ['base64']", "payload_content_encoding"),
        ),
        (
            r#"{"type": "key", "meta": {"transport_key_needed": "maybe"}}"#.into(),
            secret("'maybe' is not one of ['true', 'false']", "transport_key_needed"),
        ),
        // When several meta fields fail, the greatest field name wins.
        (r#"{"type": "key", "meta": {"algorithm": 1, "bit_length": "x"}}"#.into(), secret("'x' is not of type 'integer'", "bit_length")),
        (r#"{"type": "key", "meta": {"mode": 1, "name": 2}}"#.into(), secret("2 is not of type 'string', 'null'", "name")),
        (r#"{"type": "key", "meta": {"mode": 1, "bit_length": "x"}}"#.into(), secret("1 is not of type 'string'", "mode")),
        (
            r#"{"type": "key", "meta": {"name": 1, "transport_key_needed": "maybe"}}"#.into(),
            secret("'maybe' is not one of ['true', 'false']", "transport_key_needed"),
        ),
        // Post-schema checks, in order.
        (r#"{"type": "key", "meta": {"expiration": "garbage"}}"#.into(), secret("Invalid date for 'expiration'", "expiration")),
        (r#"{"type": "key", "meta": {"expiration": "2001-01-01T00:00:00"}}"#.into(), secret("'expiration' is before current time", "expiration")),
        (
            r#"{"type": "key", "meta": {"payload": "x"}}"#.into(),
            secret("If 'payload' is supplied, 'payload_content_type' must also be supplied.", "payload_content_type"),
        ),
        (
            r#"{"type": "key", "meta": {"payload": "x", "payload_content_type": "text"}}"#.into(),
            secret("payload_content_type is not one of ['text/plain', 'text/plain;charset=utf-8', 'text/plain; charset=utf-8', 'application/octet-stream', 'application/pkcs8']", "payload_content_type"),
        ),
        (
            r#"{"type": "key", "meta": {"payload_content_type": "text/plain; charset=latin1"}}"#.into(),
            secret("payload_content_type is not one of ['text/plain', 'text/plain;charset=utf-8', 'text/plain; charset=utf-8', 'application/octet-stream', 'application/pkcs8']", "payload_content_type"),
        ),
        (
            r#"{"type": "key", "meta": {"payload": "x", "payload_content_type": "text/plain", "payload_content_encoding": "base64"}}"#.into(),
            secret("payload_content_encoding is not one of None", "payload_content_encoding"),
        ),
        (
            r#"{"type": "key", "meta": {"payload": " ", "payload_content_type": "text/plain"}}"#.into(),
            secret("If 'payload' specified, must be non empty", "payload"),
        ),
        (
            r#"{"type": "key", "meta": {"payload": "%%%", "payload_content_type": "application/octet-stream", "payload_content_encoding": "base64"}}"#.into(),
            secret("Invalid payload for payload_content_encoding", "payload"),
        ),
        (
            r#"{"type": "key", "meta": {"payload": "x", "payload_content_type": "text/plain", "algorithm": "aes", "bit_length": 256}}"#.into(),
            order("'payload' not allowed for key type order", "meta"),
        ),
        (r#"{"type": "key", "meta": {"bit_length": 256}}"#.into(), order("'algorithm' is required field for key type order", "meta")),
        (r#"{"type": "key", "meta": {"algorithm": " ", "bit_length": 256}}"#.into(), order("'algorithm' is required field for key type order", "meta")),
        (r#"{"type": "asymmetric", "meta": {"bit_length": 2048}}"#.into(), order("'algorithm' is required field for asymmetric key type order", "meta")),
        (r#"{"type": "key", "meta": {"algorithm": "aes"}}"#.into(), order("'bit_length' is required field for key type order", "meta")),
        (r#"{"type": "asymmetric", "meta": {"algorithm": "rsa"}}"#.into(), order("'bit_length' is required field for asymmetric key type order", "meta")),
        (r#"{"type": "key", "meta": {"algorithm": "aes", "bit_length": 129}}"#.into(), "Provided field value is not supported".into()),
        (r#"{"type": "asymmetric", "meta": {"algorithm": "rsa", "bit_length": 2047}}"#.into(), "Provided field value is not supported".into()),
    ];
    for (body, message) in &cases {
        let got = create_raw(&b, Some("application/json"), body).await;
        assert_eq!(got, (400, error(400, "Bad Request", message)), "body: {body}");
    }
    println!("{} validation cases answered with Barbican's message", cases.len());
    // Nothing that was refused was stored.
    assert_eq!(b.get_json("/v1/orders").await.1["total"], 0);
}

#[tokio::test]
async fn a_payload_over_20000_bytes_is_a_413() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let body = json!({"type": "key", "meta": {"payload": "x".repeat(20_001), "payload_content_type": "text/plain"}});
    assert_eq!(
        status_json(b.post_json("/v1/orders", &body).send().await.unwrap()).await,
        (413, error(413, "Request Entity Too Large", "Provided information too large to process"))
    );
}

#[tokio::test]
async fn stored_meta_is_stripped_and_normalised() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let id = b
        .create(json!({"type": " key ", "meta": {"name": "  padded  ", "algorithm": "aes", "bit_length": 256,
                       "expiration": "2099-01-01T05:00:00+05:00", "foo": "kept"}, "ignored": true}))
        .await;
    let (status, order) = b.get_json(&format!("/v1/orders/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(order["type"], "key");
    assert_eq!(
        order["meta"],
        json!({"algorithm": "aes", "bit_length": 256, "expiration": "2099-01-01T00:00:00.000000", "foo": "kept", "name": "padded"})
    );
    let keys: Vec<&String> = order["meta"].as_object().unwrap().keys().collect();
    assert_eq!(keys, ["algorithm", "bit_length", "expiration", "foo", "name"], "meta keys come sorted");
}

#[tokio::test]
async fn processing_outcomes_follow_barbicans_plugins() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let generic = "Process TypeOrder failure seen - please contact site administrator.";
    let not_supported = "Process TypeOrder issue seen - Requested algorithm is not supported.";
    let no_plugin = "Process TypeOrder issue seen - Secret generate supported plugin not found..";
    let cases = [
        (json!({"type": "key", "meta": {"algorithm": "AES", "bit_length": 256}}), None),
        (json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 512, "mode": "xts"}}), None),
        (json!({"type": "key", "meta": {"algorithm": "hmacsha256", "bit_length": 128}}), None),
        (json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 8}}), Some(("500", generic))),
        (json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 1024}}), Some(("500", generic))),
        (json!({"type": "key", "meta": {"algorithm": "rsa", "bit_length": 2048}}), Some(("400", not_supported))),
        (json!({"type": "key", "meta": {"algorithm": "foo", "bit_length": 256}}), Some(("400", no_plugin))),
        (json!({"type": "key", "meta": {"algorithm": "3des", "bit_length": 192}}), Some(("400", no_plugin))),
        (json!({"type": "key", "meta": {"algorithm": "desede", "bit_length": 192}}), Some(("400", not_supported))),
        (json!({"type": "key", "meta": {"algorithm": "des", "bit_length": 256}}), None),
        (
            json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 256, "payload_content_type": null}}),
            Some(("500", generic)),
        ),
        (json!({"type": "asymmetric", "meta": {"algorithm": "rsa", "bit_length": 1024}}), None),
        (json!({"type": "asymmetric", "meta": {"algorithm": "rsa", "bit_length": 512}}), Some(("500", generic))),
        (json!({"type": "asymmetric", "meta": {"algorithm": "aes", "bit_length": 256}}), Some(("400", not_supported))),
        (json!({"type": "asymmetric", "meta": {"algorithm": "RSA", "bit_length": 1024}}), None),
        (json!({"type": "asymmetric", "meta": {"algorithm": "rsa", "bit_length": 3072}}), Some(("500", generic))),
        (json!({"type": "asymmetric", "meta": {"algorithm": "ec", "bit_length": 256}}), Some(("400", not_supported))),
        (json!({"type": "asymmetric", "meta": {"algorithm": "foo", "bit_length": 2048}}), Some(("400", no_plugin))),
    ];
    for (body, expected) in cases {
        let id = b.create(body.clone()).await;
        let (_, order) = b.get_json(&format!("/v1/orders/{id}")).await;
        match expected {
            None => {
                assert_eq!(order["status"], "ACTIVE", "{body} -> {order}");
                assert_eq!(order["sub_status"], "Unknown");
                assert_eq!(order["sub_status_message"], "Unknown");
                assert!(order.get("error_reason").is_none());
            }
            Some((code, reason)) => {
                assert_eq!(order["status"], "ERROR", "{body} -> {order}");
                assert_eq!(order["error_status_code"], code, "{body}");
                assert_eq!(order["error_reason"], reason, "{body}");
                for absent in ["sub_status", "sub_status_message", "secret_ref", "container_ref"] {
                    assert!(order.get(absent).is_none(), "{absent} on an ERROR order: {order}");
                }
            }
        }
    }
}
