//! `standin serve --seed N`: two standins started with the same seed, asked the same requests,
//! give the same answers (ids, key material, timestamps); another seed gives other ones. Each runs
//! in its own process, as `standin serve` does (the seed is process-wide).

use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::{Value, json};

struct Served {
    child: Child,
    barbican: String,
    orchestrator: String,
}

impl Drop for Served {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

async fn serve(seed: u64, extra: &[&str]) -> Served {
    let ports = [free_port(), free_port(), free_port()];
    let child = Command::new(env!("CARGO_BIN_EXE_standin"))
        .args(["serve", "--ephemeral", "--orchestrator-public-url", "http://localhost:8080"])
        .args(["--barbican-listen", &format!("127.0.0.1:{}", ports[0])])
        .args(["--marketplace-listen", &format!("127.0.0.1:{}", ports[1])])
        .args(["--orchestrator-listen", &format!("127.0.0.1:{}", ports[2])])
        .args(extra)
        .env("STANDIN_SEED", seed.to_string())
        .env("STANDIN_LOG", "warn")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let served = Served {
        child,
        barbican: format!("http://127.0.0.1:{}", ports[0]),
        orchestrator: format!("http://127.0.0.1:{}", ports[2]),
    };
    for url in [&served.barbican, &served.orchestrator] {
        let health = format!("{url}/_standin/health");
        let mut ready = false;
        for _ in 0..300 {
            if reqwest::get(&health).await.is_ok_and(|r| r.status().is_success()) {
                ready = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        assert!(ready, "standin never answered {health}");
    }
    served
}

/// The same requests, in the same order (with a pause after the first one); every answer (status,
/// the header that carries an id, body).
async fn session(s: &Served, pause: Duration) -> Vec<Value> {
    let http = reqwest::Client::new();
    let mut answers = Vec::new();
    let mut record = async |resp: reqwest::Response| -> Value {
        let status = resp.status().as_u16();
        let request_id = resp.headers().get("x-openstack-request-id").map(|v| v.to_str().unwrap().to_string());
        let text = resp.text().await.unwrap();
        let body: Value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        let answer = json!({"status": status, "request_id": request_id, "body": body});
        answers.push(answer.clone());
        answer
    };
    let barbican = |method: reqwest::Method, path: &str| {
        http.request(method, format!("{}{path}", s.barbican)).header("X-Project-Id", "p1")
    };
    let key = json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 256}});
    let created = record(barbican(reqwest::Method::POST, "/v1/orders").json(&key).send().await.unwrap()).await;
    let order_id = created["body"]["order_ref"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    tokio::time::sleep(pause).await;
    let order = record(barbican(reqwest::Method::GET, &format!("/v1/orders/{order_id}")).send().await.unwrap()).await;
    let secret = order["body"]["secret_ref"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    record(barbican(reqwest::Method::GET, &format!("/v1/secrets/{secret}")).send().await.unwrap()).await;
    let material = format!("{}/_standin/barbican/secrets/{secret}/material", s.barbican);
    record(http.get(material).send().await.unwrap()).await;

    let token = standin::orchestrator::auth::USER_TOKEN;
    let template = "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    vm:\n      type: tosca.nodes.indigo.Compute\n";
    let resp = http
        .post(format!("{}/deployments", s.orchestrator))
        .bearer_auth(token)
        .json(&json!({"template": template}))
        .send()
        .await
        .unwrap();
    let created = record(resp).await;
    let id = created["body"]["uuid"].as_str().unwrap().to_string();
    for path in [format!("/deployments/{id}"), format!("/deployments/{id}/resources")] {
        let resp = http.get(format!("{}{path}", s.orchestrator)).bearer_auth(token).send().await.unwrap();
        record(resp).await;
    }
    answers
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_seed_gives_the_same_answers_run_after_run() {
    let (first, second, other) = (serve(42, &[]).await, serve(42, &[]).await, serve(43, &[]).await);
    let a = session(&first, Duration::ZERO).await;
    let b = session(&second, Duration::from_millis(1100)).await;
    let c = session(&other, Duration::ZERO).await;
    assert_eq!(a, b, "the same seed, the same answers, whatever the pace");
    let created_at = a[1]["body"]["created"].as_str().unwrap();
    assert!(created_at.starts_with("2025-"), "the seeded clock starts in 2025: {created_at}");
    assert_ne!(a[0]["body"]["order_ref"], c[0]["body"]["order_ref"], "another seed, other ids");
    assert_ne!(a[3]["body"]["payload_base64"], c[3]["body"]["payload_base64"], "and other key material");
}

#[tokio::test(flavor = "multi_thread")]
async fn deadlines_still_follow_real_time_under_a_seed() {
    let s = serve(7, &["--barbican-order-lifecycle", "after-seconds:0.3"]).await;
    let http = reqwest::Client::new();
    let key = json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 128}});
    let resp =
        http.post(format!("{}/v1/orders", s.barbican)).header("X-Project-Id", "p1").json(&key).send().await.unwrap();
    let order_ref = resp.json::<Value>().await.unwrap()["order_ref"].as_str().unwrap().to_string();
    let status = async || -> Value {
        let url = order_ref.replace("http://localhost:9311", &s.barbican);
        let resp = http.get(url).header("X-Project-Id", "p1").send().await.unwrap();
        resp.json::<Value>().await.unwrap()["status"].clone()
    };
    assert_eq!(status().await, "PENDING");
    tokio::time::sleep(Duration::from_millis(400)).await;
    assert_eq!(status().await, "ACTIVE", "due 0.3 real seconds later");
}

/// An asymmetric order's key pair: the private and the public key as stored (the material endpoint).
async fn key_pair(s: &Served, algorithm: &str, bits: u32) -> (Vec<u8>, Vec<u8>) {
    use base64::Engine as _;
    let http = reqwest::Client::new();
    let order = json!({"type": "asymmetric", "meta": {"algorithm": algorithm, "bit_length": bits}});
    let resp =
        http.post(format!("{}/v1/orders", s.barbican)).header("X-Project-Id", "p1").json(&order).send().await.unwrap();
    assert_eq!(resp.status(), 202);
    let get = async |href: &str| -> Value {
        let url = href.replace("http://localhost:9311", &s.barbican);
        http.get(url).header("X-Project-Id", "p1").send().await.unwrap().json::<Value>().await.unwrap()
    };
    let order = get(resp.json::<Value>().await.unwrap()["order_ref"].as_str().unwrap()).await;
    assert_eq!(order["status"], "ACTIVE", "{order}");
    let container = get(order["container_ref"].as_str().unwrap()).await;
    let mut keys = Vec::new();
    for name in ["private_key", "public_key"] {
        let secret_ref = container["secret_refs"].as_array().unwrap().iter().find(|r| r["name"] == name).unwrap();
        let id = secret_ref["secret_ref"].as_str().unwrap().rsplit('/').next().unwrap();
        let material = format!("{}/_standin/barbican/secrets/{id}/material", s.barbican);
        let material = http.get(material).send().await.unwrap().json::<Value>().await.unwrap();
        let payload = material["payload_base64"].as_str().unwrap();
        keys.push(base64::engine::general_purpose::STANDARD.decode(payload).unwrap());
    }
    let public = keys.pop().unwrap();
    (keys.pop().unwrap(), public)
}

#[tokio::test(flavor = "multi_thread")]
async fn the_same_seed_gives_the_same_rsa_and_dsa_key_pairs() {
    use openssl::pkey::PKey;
    let (first, second, other) = (serve(42, &[]).await, serve(42, &[]).await, serve(43, &[]).await);
    for (algorithm, bits) in [("rsa", 2048), ("dsa", 2048)] {
        let a = key_pair(&first, algorithm, bits).await;
        let b = key_pair(&second, algorithm, bits).await;
        let c = key_pair(&other, algorithm, bits).await;
        assert_eq!(a, b, "{algorithm}: the same seed, byte for byte the same private and public keys");
        assert_ne!(a.0, c.0, "{algorithm}: another seed, another private key");
        assert_ne!(a.1, c.1, "{algorithm}: and another public key");
        // A real pair of the requested size, in Barbican's format: PKCS#8 and SubjectPublicKeyInfo,
        // PEM for RSA, DER for DSA.
        let (private, public) = if algorithm == "rsa" {
            assert!(a.0.starts_with(b"-----BEGIN PRIVATE KEY-----\n"));
            assert!(a.1.starts_with(b"-----BEGIN PUBLIC KEY-----\n"));
            (PKey::private_key_from_pem(&a.0).unwrap(), PKey::public_key_from_pem(&a.1).unwrap())
        } else {
            (PKey::private_key_from_pkcs8(&a.0).unwrap(), PKey::public_key_from_der(&a.1).unwrap())
        };
        assert_eq!(private.bits(), bits, "{algorithm}");
        assert!(private.public_eq(&public), "{algorithm}: the public key is the private key's");
        if algorithm == "rsa" {
            assert!(private.rsa().unwrap().check_key().unwrap());
        }
    }
}
