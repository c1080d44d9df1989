//! Processing an order: what Barbican's default plugins (`store_crypto` + `simple_crypto`) decide
//! for each algorithm and bit length, and the real key material they produce.
//!
//! Outcomes follow `../shared/fidelity/barbican.md` §5, observed on Barbican 21.0.0: supported
//! combinations go ACTIVE with a secret (key orders: random bytes of the requested length) or a
//! container of PEM key pairs (asymmetric orders: real RSA or DSA keys); everything else goes
//! ERROR with the status code and reason Barbican records.

use chrono::NaiveDateTime;
use serde_json::Value;

use super::model::{Order, OrderType, Outcome};
use super::store::{Container, Secret};

/// Symmetric algorithms the simple crypto plugin generates (compared lower-cased). `3des` is not one
/// of them: Barbican 21.0.0 answers it "plugin not found" (observed).
const SYMMETRIC: [&str; 6] = ["aes", "des", "hmacsha1", "hmacsha256", "hmacsha384", "hmacsha512"];
/// Key lengths it generates for them.
const SYMMETRIC_BITS: [i64; 4] = [64, 128, 192, 256];
/// Algorithms Barbican knows but does not generate for a key order: "not supported" (observed).
const ASYMMETRIC: [&str; 5] = ["rsa", "dsa", "ec", "diffie_hellman", "desede"];
/// Asymmetric algorithms and lengths the simple crypto plugin generates.
const GENERATED_PAIRS: [&str; 2] = ["rsa", "dsa"];
const PAIR_BITS: [i64; 3] = [1024, 2048, 4096];

pub const GENERIC_FAILURE: &str = "Process TypeOrder failure seen - please contact site administrator.";
const NOT_SUPPORTED: &str = "Process TypeOrder issue seen - Requested algorithm is not supported.";
// The double dot is Barbican's: its message ends in "." and the wrapper adds another.
const NO_PLUGIN: &str = "Process TypeOrder issue seen - Secret generate supported plugin not found..";

/// What processing produced: the outcome and whatever must be stored with it.
#[derive(Debug)]
pub struct Processed {
    pub outcome: Outcome,
    pub secrets: Vec<Secret>,
    pub container: Option<Container>,
}

fn failed(status_code: &str, reason: &str) -> Processed {
    Processed {
        outcome: Outcome::Failed { status_code: status_code.into(), reason: reason.into() },
        secrets: Vec::new(),
        container: None,
    }
}

/// Process an order as Barbican's default plugins would. CPU-bound (key generation): call it from
/// a blocking task.
pub fn process(order: &Order, now: NaiveDateTime) -> Processed {
    let meta = &order.meta;
    let algorithm = meta.get("algorithm").and_then(Value::as_str).unwrap_or_default().to_lowercase();
    let bits = meta.get("bit_length").and_then(Value::as_f64).unwrap_or(0.0) as i64;
    let mode = meta.get("mode").and_then(Value::as_str).unwrap_or_default().to_lowercase();
    // The validator lets an explicit null through, but processing then fails on it.
    if meta.get("payload_content_type").is_some_and(Value::is_null) {
        return failed("500", GENERIC_FAILURE);
    }
    match order.order_type {
        OrderType::Key => {
            if SYMMETRIC.contains(&algorithm.as_str()) {
                let effective = if mode == "xts" { bits / 2 } else { bits };
                if SYMMETRIC_BITS.contains(&effective) {
                    generate_key(order, bits, now)
                } else {
                    failed("500", GENERIC_FAILURE)
                }
            } else if ASYMMETRIC.contains(&algorithm.as_str()) {
                failed("400", NOT_SUPPORTED)
            } else {
                failed("400", NO_PLUGIN)
            }
        }
        OrderType::Asymmetric => {
            if GENERATED_PAIRS.contains(&algorithm.as_str()) {
                if PAIR_BITS.contains(&bits) {
                    generate_pair(order, &algorithm, bits, now).unwrap_or_else(|e| {
                        tracing::error!(error = %e, "key pair generation failed");
                        failed("500", GENERIC_FAILURE)
                    })
                } else {
                    failed("500", GENERIC_FAILURE)
                }
            } else if SYMMETRIC.contains(&algorithm.as_str()) || ASYMMETRIC.contains(&algorithm.as_str()) {
                failed("400", NOT_SUPPORTED)
            } else {
                failed("400", NO_PLUGIN)
            }
        }
    }
}

fn meta_str(order: &Order, key: &str) -> Option<String> {
    order.meta.get(key).and_then(Value::as_str).map(str::to_string)
}

fn expiration(order: &Order) -> Option<NaiveDateTime> {
    meta_str(order, "expiration").and_then(|e| NaiveDateTime::parse_from_str(&e, "%Y-%m-%dT%H:%M:%S%.f").ok())
}

fn new_secret(order: &Order, secret_type: &str, content_type: &str, payload: Vec<u8>, now: NaiveDateTime) -> Secret {
    Secret {
        id: crate::determinism::uuid_v4(),
        project_id: order.project_id.clone(),
        name: meta_str(order, "name"),
        secret_type: secret_type.into(),
        algorithm: meta_str(order, "algorithm"),
        bit_length: order.meta.get("bit_length").and_then(Value::as_f64).map(|b| b as i64),
        mode: meta_str(order, "mode"),
        expiration: expiration(order),
        content_type: content_type.into(),
        creator_id: order.creator_id.clone(),
        created: now,
        updated: now,
        payload,
    }
}

/// A key order: one symmetric secret of `bits / 8` random bytes.
fn generate_key(order: &Order, bits: i64, now: NaiveDateTime) -> Processed {
    let mut key = vec![0u8; (bits / 8) as usize];
    crate::determinism::fill_random(&mut key[..]);
    let content_type = meta_str(order, "payload_content_type").unwrap_or_else(|| "application/octet-stream".into());
    let secret = new_secret(order, "symmetric", &content_type, key, now);
    Processed { outcome: Outcome::Secret(secret.id), secrets: vec![secret], container: None }
}

/// An asymmetric order: a private and a public key secret (PEM), a passphrase secret when the meta
/// has `passphrase`, and a container holding them.
fn generate_pair(order: &Order, algorithm: &str, bits: i64, now: NaiveDateTime) -> anyhow::Result<Processed> {
    let passphrase = meta_str(order, "passphrase").filter(|p| !p.is_empty());
    let pair = super::keypairs::generate(algorithm, bits as u32, passphrase.as_deref())?;
    let (private_key, public_key) = (pair.private_key, pair.public_key);
    let content_type = "application/octet-stream";
    let private = new_secret(order, "private", content_type, private_key, now);
    let public = new_secret(order, "public", content_type, public_key, now);
    let mut refs = vec![("private_key".to_string(), private.id), ("public_key".to_string(), public.id)];
    let mut secrets = vec![private, public];
    if let Some(p) = passphrase {
        let secret = new_secret(order, "passphrase", "text/plain", p.into_bytes(), now);
        refs.push(("private_key_passphrase".to_string(), secret.id));
        secrets.push(secret);
    }
    let container = Container {
        id: crate::determinism::uuid_v4(),
        project_id: order.project_id.clone(),
        name: meta_str(order, "name"),
        container_type: algorithm.to_string(),
        creator_id: order.creator_id.clone(),
        created: now,
        updated: now,
        secret_refs: refs,
    };
    Ok(Processed { outcome: Outcome::Container(container.id), secrets, container: Some(container) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use openssl::pkey::PKey;
    use serde_json::json;
    use uuid::Uuid;

    fn order(order_type: OrderType, meta: Value) -> Order {
        let now = chrono::Utc::now().naive_utc();
        Order::new_pending(Uuid::new_v4(), "p", order_type, meta.as_object().unwrap().clone(), None, now)
    }

    fn outcome(order_type: OrderType, meta: Value) -> Outcome {
        process(&order(order_type, meta), chrono::Utc::now().naive_utc()).outcome
    }

    #[test]
    fn key_orders_follow_the_plugin_table() {
        let p = process(
            &order(OrderType::Key, json!({"algorithm": "AES", "bit_length": 256})),
            chrono::Utc::now().naive_utc(),
        );
        assert!(matches!(p.outcome, Outcome::Secret(_)));
        assert_eq!(p.secrets[0].payload.len(), 32);
        assert_eq!(p.secrets[0].content_type, "application/octet-stream");
        assert!(matches!(
            outcome(OrderType::Key, json!({"algorithm": "aes", "bit_length": 512, "mode": "xts"})),
            Outcome::Secret(_)
        ));
        let fail = |m: Value| match outcome(OrderType::Key, m) {
            Outcome::Failed { status_code, reason } => (status_code, reason),
            other => panic!("expected a failure, got {other:?}"),
        };
        assert_eq!(fail(json!({"algorithm": "aes", "bit_length": 1024})), ("500".into(), GENERIC_FAILURE.into()));
        assert_eq!(fail(json!({"algorithm": "rsa", "bit_length": 2048})), ("400".into(), NOT_SUPPORTED.into()));
        assert_eq!(fail(json!({"algorithm": "foo", "bit_length": 256})), ("400".into(), NO_PLUGIN.into()));
        assert_eq!(
            fail(json!({"algorithm": "aes", "bit_length": 256, "payload_content_type": null})),
            ("500".into(), GENERIC_FAILURE.into())
        );
    }

    #[test]
    fn asymmetric_orders_make_real_pem_key_pairs() {
        let p = process(
            &order(OrderType::Asymmetric, json!({"algorithm": "rsa", "bit_length": 1024, "name": "n"})),
            chrono::Utc::now().naive_utc(),
        );
        let container = p.container.expect("a container");
        assert_eq!(container.container_type, "rsa");
        assert_eq!(
            container.secret_refs.iter().map(|r| r.0.as_str()).collect::<Vec<_>>(),
            ["private_key", "public_key"]
        );
        let private = String::from_utf8(p.secrets[0].payload.clone()).unwrap();
        assert!(private.starts_with("-----BEGIN PRIVATE KEY-----"));
        let key = PKey::private_key_from_pem(private.as_bytes()).unwrap();
        assert_eq!(key.bits(), 1024);
        assert!(String::from_utf8(p.secrets[1].payload.clone()).unwrap().starts_with("-----BEGIN PUBLIC KEY-----"));
        assert!(matches!(
            outcome(OrderType::Asymmetric, json!({"algorithm": "rsa", "bit_length": 512})),
            Outcome::Failed { .. }
        ));
        assert!(matches!(
            outcome(OrderType::Asymmetric, json!({"algorithm": "aes", "bit_length": 256})),
            Outcome::Failed { .. }
        ));
    }
}
