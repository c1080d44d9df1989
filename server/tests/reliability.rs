//! Reliability of the `standin` binary itself (issue 10): slow clients are cut off and cannot
//! exhaust a listener, SIGTERM lets in-flight requests finish and exits 0, tokens and key material
//! never reach the logs, and the acknowledged creates of Barbican and the orchestrator survive SIGKILL mid-load,
//! their pending lifecycles resuming after the restart. Each test prints its figures.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Server {
    child: Child,
    barbican: String,
    marketplace: String,
    orchestrator: String,
    barbican_port: u16,
}

/// Start the binary; `log` gets its log (stderr) when given. Its stdout is the start banner, which
/// names the built-in development credentials on purpose (the landing page shows them too).
fn start(storage: &[&str], extra: &[&str], ports: Option<[u16; 3]>, log: Option<&Path>) -> Server {
    let [b, m, o] = ports.unwrap_or_else(|| [free_port(), free_port(), free_port()]);
    let (out, err) = match log {
        Some(path) => (Stdio::null(), Stdio::from(std::fs::File::create(path).unwrap())),
        None => (Stdio::null(), Stdio::null()),
    };
    let child = Command::new(env!("CARGO_BIN_EXE_standin"))
        .arg("serve")
        .args(storage)
        .args(["--barbican-listen", &format!("127.0.0.1:{b}")])
        .args(["--marketplace-listen", &format!("127.0.0.1:{m}")])
        .args(["--orchestrator-listen", &format!("127.0.0.1:{o}")])
        .args(extra)
        .stdout(out)
        .stderr(err)
        .spawn()
        .expect("standin starts");
    Server {
        child,
        barbican: format!("http://127.0.0.1:{b}"),
        marketplace: format!("http://127.0.0.1:{m}"),
        orchestrator: format!("http://127.0.0.1:{o}"),
        barbican_port: b,
    }
}

impl Server {
    fn ports(&self) -> [u16; 3] {
        let port = |u: &str| u.rsplit(':').next().unwrap().parse().unwrap();
        [port(&self.barbican), port(&self.marketplace), port(&self.orchestrator)]
    }

    fn signal(&self, name: &str) {
        let status = Command::new("kill").args([&format!("-{name}"), &self.child.id().to_string()]).status().unwrap();
        assert!(status.success(), "kill -{name}");
    }

    fn stop(mut self) {
        self.child.kill().ok();
        self.child.wait().ok();
    }
}

async fn wait_ready(client: &reqwest::Client, server: &Server) {
    let deadline = Instant::now() + Duration::from_secs(30);
    for base in [&server.barbican, &server.marketplace, &server.orchestrator] {
        while client.get(format!("{base}/_standin/health")).send().await.is_err() {
            assert!(Instant::now() < deadline, "standin did not become ready");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("standin-{name}-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Read until the peer closes (or errors); how long that took and what was read.
async fn read_until_closed(stream: &mut TcpStream, limit: Duration) -> (Duration, Vec<u8>, bool) {
    let started = Instant::now();
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    let closed = tokio::time::timeout(limit, async {
        loop {
            match stream.read(&mut chunk).await {
                Ok(0) | Err(_) => break,
                Ok(n) => buf.extend_from_slice(&chunk[..n]),
            }
        }
    })
    .await
    .is_ok();
    (started.elapsed(), buf, closed)
}

#[tokio::test]
async fn slow_clients_are_cut_off_and_cannot_exhaust_a_listener() {
    let server = start(
        &["--ephemeral"],
        &["--header-read-timeout", "1", "--body-read-timeout", "1", "--max-connections", "4"],
        None,
        None,
    );
    let client = reqwest::Client::builder().pool_max_idle_per_host(0).build().unwrap();
    wait_ready(&client, &server).await;
    let addr = format!("127.0.0.1:{}", server.barbican_port);

    // A slow-loris trickling its request head a byte every 100 ms is closed at the header deadline.
    let mut loris = TcpStream::connect(&addr).await.unwrap();
    let started = Instant::now();
    let head = b"GET /v1/orders HTTP/1.1\r\nHost: x\r\nX-Project-Id: p\r\nX-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
    let mut cut_after = None;
    for byte in head {
        if loris.write_all(&[*byte]).await.is_err() {
            cut_after = Some(started.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut probe = [0u8; 1];
        if let Ok(Ok(0)) = tokio::time::timeout(Duration::from_millis(1), loris.read(&mut probe)).await {
            cut_after = Some(started.elapsed());
            break;
        }
    }
    let cut_after = cut_after.expect("the trickling client was cut off");
    assert!(cut_after < Duration::from_secs(3), "cut off after {cut_after:?}");
    println!(
        "slow-loris trickling 1 byte/100 ms: closed after {:.2} s (header read timeout 1 s)",
        cut_after.as_secs_f64()
    );

    // The same on a keep-alive connection, for its second request: the deadline starts again at
    // the next request's first byte.
    let mut keep_alive = TcpStream::connect(&addr).await.unwrap();
    keep_alive.write_all(b"GET /_standin/health HTTP/1.1\r\nHost: x\r\n\r\n").await.unwrap();
    let mut first = [0u8; 1024];
    let n = tokio::time::timeout(Duration::from_secs(5), keep_alive.read(&mut first)).await.unwrap().unwrap();
    assert!(first[..n].starts_with(b"HTTP/1.1 200"), "{}", String::from_utf8_lossy(&first[..n]));
    tokio::time::sleep(Duration::from_millis(1500)).await; // idle between requests: not a slow head
    let started = Instant::now();
    let mut second_cut = None;
    for byte in head {
        if keep_alive.write_all(&[*byte]).await.is_err() {
            second_cut = Some(started.elapsed());
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut probe = [0u8; 1];
        if let Ok(Ok(0)) = tokio::time::timeout(Duration::from_millis(1), keep_alive.read(&mut probe)).await {
            second_cut = Some(started.elapsed());
            break;
        }
    }
    let second_cut = second_cut.expect("the trickled second request was cut off");
    assert!(second_cut < Duration::from_secs(3), "cut off after {second_cut:?}");
    println!(
        "keep-alive, second request trickled after 1.5 s idle: closed {:.2} s after its first byte",
        second_cut.as_secs_f64()
    );

    // A body that stops arriving: the API's own error answer once the body read timeout passes.
    let mut slow_body = TcpStream::connect(&addr).await.unwrap();
    slow_body
        .write_all(b"POST /v1/orders HTTP/1.1\r\nHost: x\r\nX-Project-Id: p\r\nContent-Type: application/json\r\nContent-Length: 100\r\nConnection: close\r\n\r\n{\"type\":")
        .await
        .unwrap();
    let (took, answer, _) = read_until_closed(&mut slow_body, Duration::from_secs(10)).await;
    let answer = String::from_utf8_lossy(&answer);
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("Malformed JSON"), "{answer}");
    println!("stalled body: Barbican's 400 Malformed JSON after {:.2} s (body read timeout 1 s)", took.as_secs_f64());

    // Four connections (the limit) held open sending nothing: a fifth waits for a slot, and is
    // answered once the header deadline frees one; nothing is exhausted for good.
    let mut holders = Vec::new();
    for _ in 0..4 {
        holders.push(TcpStream::connect(&addr).await.unwrap());
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    let started = Instant::now();
    let resp = client.get(format!("{}/_standin/health", server.barbican)).send().await.unwrap();
    let waited = started.elapsed();
    assert_eq!(resp.status(), 200);
    assert!(waited >= Duration::from_millis(500), "the fifth connection was served at once ({waited:?}): no limit");
    assert!(waited < Duration::from_secs(5), "{waited:?}");
    println!("connection limit 4: the 5th connection waited {:.2} s, then was answered", waited.as_secs_f64());
    for mut h in holders {
        let (_, _, closed) = read_until_closed(&mut h, Duration::from_secs(3)).await;
        assert!(closed, "an idle holder was closed at the header deadline");
    }
    // A request that takes longer than the header deadline is not cut: the deadline ends with the head.
    let fault = client
        .post(format!("{}/_standin/faults", server.barbican))
        .json(&json!({"api": "barbican", "delay_ms": 1500, "times": 1}))
        .send()
        .await
        .unwrap();
    assert!(fault.status().is_success());
    let slow = client.get(format!("{}/v1/orders", server.barbican)).header("X-Project-Id", "p").send().await.unwrap();
    assert_eq!(slow.status(), 200);
    println!("a 1.5 s request under a 1 s header deadline: answered 200");
    // Normal traffic still works, on every listener.
    for base in [&server.barbican, &server.marketplace, &server.orchestrator] {
        assert_eq!(client.get(format!("{base}/_standin/health")).send().await.unwrap().status(), 200);
    }
    server.stop();
}

#[tokio::test]
async fn sigterm_lets_in_flight_requests_finish_then_exits_0() {
    let mut server = start(&["--ephemeral"], &[], None, None);
    let client = reqwest::Client::new();
    wait_ready(&client, &server).await;
    let fault = client
        .post(format!("{}/_standin/faults", server.barbican))
        .json(&json!({"api": "barbican", "delay_ms": 1500}))
        .send()
        .await
        .unwrap();
    assert!(fault.status().is_success(), "{:?}", fault.text().await);
    let url = format!("{}/v1/orders", server.barbican);
    let in_flight = tokio::spawn({
        let client = client.clone();
        async move { client.get(url).header("X-Project-Id", "p").send().await.map(|r| r.status().as_u16()) }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let signalled = Instant::now();
    server.signal("TERM");
    let status = in_flight.await.unwrap().expect("the in-flight request was answered");
    assert_eq!(status, 200);
    let exit = tokio::task::spawn_blocking(move || server.child.wait().unwrap()).await.unwrap();
    assert_eq!(exit.code(), Some(0), "{exit:?}");
    println!(
        "SIGTERM during a 1.5 s request: answered 200, exit code 0 after {:.2} s",
        signalled.elapsed().as_secs_f64()
    );
}

#[tokio::test]
async fn tokens_and_key_material_never_reach_the_logs() {
    let dir = temp_dir("secrets");
    let log = dir.join("standin.log");
    let server = start(&["--ephemeral"], &["--log", "trace"], None, Some(&log));
    let client = reqwest::Client::new();
    wait_ready(&client, &server).await;

    let barbican_token = standin::barbican::auth::DEFAULT_TOKEN;
    let resp = client
        .post(format!("{}/v1/orders", server.barbican))
        .header("X-Auth-Token", barbican_token)
        .json(&json!({"type": "key", "meta": {"name": "k", "algorithm": "aes", "bit_length": 256}}))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 202);
    let order: Value = resp.json().await.unwrap();
    let order_id = order["order_ref"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
    let order: Value = client
        .get(format!("{}/v1/orders/{order_id}", server.barbican))
        .header("X-Auth-Token", barbican_token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let secret_id = order["secret_ref"].as_str().expect("secret_ref").rsplit('/').next().unwrap().to_string();
    let payload = client
        .get(format!("{}/v1/secrets/{secret_id}/payload", server.barbican))
        .header("X-Auth-Token", barbican_token)
        .header("Accept", "application/octet-stream")
        .send()
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap();
    let material: Value = client
        .get(format!("{}/_standin/barbican/secrets/{secret_id}/material", server.barbican))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let mut secrets: Vec<String> = vec![
        barbican_token.into(),
        standin::orchestrator::auth::USER_TOKEN.into(),
        standin::marketplace::auth::DEFAULT_TOKEN.into(),
    ];
    use base64::Engine as _;
    secrets.push(base64::engine::general_purpose::STANDARD.encode(&payload));
    for (k, v) in material.as_object().into_iter().flat_map(|m| m.iter()) {
        if k.ends_with("_id") || k.ends_with("type") {
            continue;
        }
        if let Some(s) = v.as_str().filter(|s| s.len() >= 16) {
            secrets.push(s.to_string());
        }
    }
    client
        .get(format!("{}/deployments", server.orchestrator))
        .bearer_auth(standin::orchestrator::auth::USER_TOKEN)
        .send()
        .await
        .unwrap();
    client
        .get(format!("{}/api/v1/marketplace/public-clouds", server.marketplace))
        .bearer_auth(standin::marketplace::auth::DEFAULT_TOKEN)
        .send()
        .await
        .unwrap();
    // A token in the query string (the Marketplace's access_token) is not logged either.
    client
        .get(format!(
            "{}/api/v1/marketplace/consultants?access_token={}",
            server.marketplace,
            standin::marketplace::auth::DEFAULT_TOKEN
        ))
        .send()
        .await
        .unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    server.stop();
    let text = std::fs::read_to_string(&log).unwrap();
    let lines = text.lines().count();
    assert!(text.contains("request"), "the log has request lines:\n{text}");
    let leaked: Vec<&String> = secrets.iter().filter(|s| text.contains(s.as_str())).collect();
    assert!(leaked.is_empty(), "secrets in the log: {leaked:?}");
    println!(
        "{} secrets (3 tokens, the payload, its key material) absent from {lines} log lines at trace level",
        secrets.len()
    );
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn orchestrator_creates_survive_sigkill_mid_load_and_lifecycles_resume() {
    let dir = temp_dir("orchestrator-crash");
    let data = dir.join("data");
    let data = data.to_str().unwrap();
    let lifecycle = ["--orchestrator-lifecycle", "after-seconds:2"];
    let server = start(&["--data-dir", data], &lifecycle, None, None);
    let client = reqwest::Client::new();
    wait_ready(&client, &server).await;
    let template = "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    vm:\n      type: tosca.nodes.indigo.Compute\n";
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..16 {
        let (client, stop, base) = (client.clone(), stop.clone(), server.orchestrator.clone());
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            let mut i = 0;
            while !stop.load(Ordering::Relaxed) {
                i += 1;
                let sent = client
                    .post(format!("{base}/deployments"))
                    .bearer_auth(standin::orchestrator::auth::USER_TOKEN)
                    .json(&json!({"template": template, "parameters": {"writer": w, "n": i}}))
                    .send()
                    .await;
                let Ok(resp) = sent else { break };
                if resp.status() != 201 {
                    break;
                }
                let Ok(body) = resp.json::<Value>().await else { break };
                acknowledged.push((body["uuid"].as_str().unwrap().to_string(), w, i));
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let ports = server.ports();
    let mut server = server;
    server.child.kill().expect("SIGKILL"); // mid-load: the writers are still sending
    server.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for w in writers {
        acknowledged.extend(w.await.unwrap());
    }
    assert!(acknowledged.len() >= 16, "only {} creates acknowledged before the kill", acknowledged.len());

    let server = start(&["--data-dir", data], &lifecycle, Some(ports), None);
    wait_ready(&client, &server).await;
    let mut ids = std::collections::HashSet::new();
    for (id, w, i) in &acknowledged {
        assert!(ids.insert(id.clone()), "duplicate id {id}");
        let resp = client
            .get(format!("{}/deployments/{id}", server.orchestrator))
            .bearer_auth(standin::orchestrator::auth::USER_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "deployment {id} was acknowledged before the crash");
        let d: Value = resp.json().await.unwrap();
        assert_eq!(d["uuid"], id.as_str());
        assert!(d["status"].is_string(), "{d}");
        let template = client
            .get(format!("{}/deployments/{id}/template", server.orchestrator))
            .bearer_auth(standin::orchestrator::auth::USER_TOKEN)
            .send()
            .await
            .unwrap();
        assert_eq!(template.status(), 200);
        assert!(template.text().await.unwrap().contains("tosca.nodes.indigo.Compute"), "{w}/{i}: half-written");
    }
    // Everything listed is whole (no half-written rows): the list and the reads agree.
    let listed: Value = client
        .get(format!("{}/deployments?size=1000", server.orchestrator))
        .bearer_auth(standin::orchestrator::auth::USER_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let total = listed["page"]["totalElements"].as_u64().unwrap_or(0) as usize;
    assert!(total >= acknowledged.len(), "{total} listed, {} acknowledged", acknowledged.len());

    // Pending lifecycles resume: every acknowledged create completes after the restart.
    tokio::time::sleep(Duration::from_millis(2200)).await;
    let mut complete = 0;
    for (id, _, _) in &acknowledged {
        let d: Value = client
            .get(format!("{}/deployments/{id}", server.orchestrator))
            .bearer_auth(standin::orchestrator::auth::USER_TOKEN)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if d["status"] == "CREATE_COMPLETE" {
            complete += 1;
        }
    }
    assert_eq!(complete, acknowledged.len(), "pending creates resumed after the restart");
    println!(
        "orchestrator: 16 concurrent writers, SIGKILL mid-load: {} acknowledged creates, all present and whole after restart ({total} stored), 0 duplicate ids, {complete} resumed to CREATE_COMPLETE",
        acknowledged.len()
    );
    server.stop();
    std::fs::remove_dir_all(&dir).ok();
}

#[tokio::test]
async fn barbican_orders_survive_sigkill_mid_load_and_pending_orders_resume() {
    let dir = temp_dir("barbican-crash");
    let data = dir.join("data");
    let data = data.to_str().unwrap();
    let lifecycle = ["--barbican-order-lifecycle", "after-seconds:2"];
    let server = start(&["--data-dir", data], &lifecycle, None, None);
    let client = reqwest::Client::new();
    wait_ready(&client, &server).await;
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..16 {
        let (client, stop, base) = (client.clone(), stop.clone(), server.barbican.clone());
        writers.push(tokio::spawn(async move {
            let mut acknowledged = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let sent = client
                    .post(format!("{base}/v1/orders"))
                    .header("X-Project-Id", format!("writer-{w}"))
                    .json(&json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 256}}))
                    .send()
                    .await;
                let Ok(resp) = sent else { break };
                if resp.status() != 202 {
                    break;
                }
                let Ok(body) = resp.json::<Value>().await else { break };
                let id = body["order_ref"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
                acknowledged.push((id, w));
            }
            acknowledged
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let ports = server.ports();
    let mut server = server;
    server.child.kill().expect("SIGKILL"); // mid-load
    server.child.wait().unwrap();
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for w in writers {
        acknowledged.extend(w.await.unwrap());
    }
    assert!(acknowledged.len() >= 16, "only {} orders acknowledged before the kill", acknowledged.len());
    let server = start(&["--data-dir", data], &lifecycle, Some(ports), None);
    wait_ready(&client, &server).await;
    let mut ids = std::collections::HashSet::new();
    let mut pending_after_restart = 0;
    for (id, w) in &acknowledged {
        assert!(ids.insert(id.clone()), "duplicate id {id}");
        let resp = client
            .get(format!("{}/v1/orders/{id}", server.barbican))
            .header("X-Project-Id", format!("writer-{w}"))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 200, "order {id} was acknowledged before the crash");
        let order: Value = resp.json().await.unwrap();
        if order["status"] == "PENDING" {
            pending_after_restart += 1;
        }
    }
    tokio::time::sleep(Duration::from_millis(2200)).await;
    for (id, w) in &acknowledged {
        let order: Value = client
            .get(format!("{}/v1/orders/{id}", server.barbican))
            .header("X-Project-Id", format!("writer-{w}"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(order["status"], "ACTIVE", "{order}");
        assert!(order["secret_ref"].is_string(), "{order}");
    }
    println!(
        "barbican: 16 concurrent writers, SIGKILL mid-load: {} acknowledged orders, all present after restart ({pending_after_restart} still PENDING), 0 duplicate ids, all ACTIVE with a secret 2 s later",
        acknowledged.len()
    );
    server.stop();
    std::fs::remove_dir_all(&dir).ok();
}

/// Issue 11: two instances on one PostgreSQL database, writers spread over both; one is killed
/// (SIGKILL) mid-load and the writers fail over to the other, as behind a load balancer. Every
/// acknowledged order and deployment is then read through the survivor, and every pending
/// lifecycle, whichever instance started it, finishes there. Needs `STANDIN_TEST_DATABASE_URL`
/// (`ci/test` sets it for its PostgreSQL run); without it the test says so and returns, as two
/// instances cannot share an embedded SQLite database.
#[tokio::test]
async fn killing_one_of_two_instances_mid_load_loses_no_acknowledged_write_and_stalls_no_lifecycle() {
    let Some(url) = std::env::var("STANDIN_TEST_DATABASE_URL").ok().filter(|u| !u.is_empty()) else {
        println!("two instances, one killed: not run: it needs STANDIN_TEST_DATABASE_URL (set by ci/test)");
        return;
    };
    let schema = format!("kill_{}", std::process::id());
    let storage = ["--database-url", url.as_str(), "--database-schema", schema.as_str()];
    let lifecycle = ["--barbican-order-lifecycle", "after-seconds:1", "--orchestrator-lifecycle", "after-seconds:1"];
    let victim = start(&storage, &lifecycle, None, None);
    let survivor = start(&storage, &lifecycle, None, None);
    let client = reqwest::Client::new();
    wait_ready(&client, &victim).await;
    wait_ready(&client, &survivor).await;
    let template = "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    vm:\n      type: tosca.nodes.indigo.Compute\n";
    let stop = Arc::new(AtomicBool::new(false));
    let bases = Arc::new([
        (victim.barbican.clone(), victim.orchestrator.clone()),
        (survivor.barbican.clone(), survivor.orchestrator.clone()),
    ]);
    let mut writers = Vec::new();
    for w in 0..16usize {
        let (client, stop, bases) = (client.clone(), stop.clone(), bases.clone());
        writers.push(tokio::spawn(async move {
            // (is a deployment, id); requests alternate between the instances while both answer.
            let mut acknowledged: Vec<(bool, String)> = Vec::new();
            let mut failed_over = false;
            let mut n = w;
            while !stop.load(Ordering::Relaxed) {
                n += 1;
                let (barbican, orchestrator) = if failed_over { &bases[1] } else { &bases[n % 2] };
                let deployment = n % 3 == 0;
                let sent = if deployment {
                    client
                        .post(format!("{orchestrator}/deployments"))
                        .bearer_auth(standin::orchestrator::auth::USER_TOKEN)
                        .json(&json!({"template": template, "parameters": {"writer": w, "n": n}}))
                        .send()
                        .await
                } else {
                    client
                        .post(format!("{barbican}/v1/orders"))
                        .header("X-Project-Id", format!("writer-{w}"))
                        .json(&json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 256}}))
                        .send()
                        .await
                };
                // A refused connection or a cut answer: that instance is gone, use the other.
                let Ok(resp) = sent else {
                    failed_over = true;
                    continue;
                };
                let status = resp.status().as_u16();
                let Ok(body) = resp.json::<Value>().await else {
                    failed_over = true;
                    continue;
                };
                match (deployment, status) {
                    (true, 201) => acknowledged.push((true, body["uuid"].as_str().unwrap().to_string())),
                    (false, 202) => {
                        let id = body["order_ref"].as_str().unwrap().rsplit('/').next().unwrap().to_string();
                        acknowledged.push((false, id));
                    }
                    other => panic!("writer {w}: unexpected answer {other:?}: {body}"),
                }
            }
            (w, acknowledged)
        }));
    }
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut victim = victim;
    victim.child.kill().expect("SIGKILL"); // mid-load: the writers are still sending to it
    victim.child.wait().unwrap();
    tokio::time::sleep(Duration::from_millis(1000)).await; // the survivor carries the load alone
    stop.store(true, Ordering::Relaxed);
    let mut acknowledged = Vec::new();
    for writer in writers {
        let (w, acks) = writer.await.unwrap();
        acknowledged.extend(acks.into_iter().map(|(d, id)| (w, d, id)));
    }
    let deployments = acknowledged.iter().filter(|(_, d, _)| *d).count();
    let orders = acknowledged.len() - deployments;
    assert!(orders >= 16 && deployments >= 16, "only {orders} orders and {deployments} deployments acknowledged");

    let read = |w: usize, deployment: bool, id: &str| {
        let request = if deployment {
            client
                .get(format!("{}/deployments/{id}", survivor.orchestrator))
                .bearer_auth(standin::orchestrator::auth::USER_TOKEN)
        } else {
            client.get(format!("{}/v1/orders/{id}", survivor.barbican)).header("X-Project-Id", format!("writer-{w}"))
        };
        async move {
            let resp = request.send().await.unwrap();
            let status = resp.status().as_u16();
            (status, resp.json::<Value>().await.unwrap())
        }
    };
    let mut ids = std::collections::HashSet::new();
    for (w, deployment, id) in &acknowledged {
        assert!(ids.insert(id.clone()), "duplicate id {id}");
        let (status, body) = read(*w, *deployment, id).await;
        assert_eq!(status, 200, "{id} was acknowledged before the kill: {body}");
    }
    // Every lifecycle was due a second after its create; none may stay behind (an order the victim
    // had claimed is taken over once its claim runs out).
    let started = Instant::now();
    let mut waiting: Vec<&(usize, bool, String)> = acknowledged.iter().collect();
    while !waiting.is_empty() {
        assert!(
            started.elapsed() < Duration::from_secs(30),
            "{} lifecycles stalled: {:?}",
            waiting.len(),
            &waiting[..1]
        );
        let mut still = Vec::new();
        for item in waiting {
            let (w, deployment, id) = item;
            let (_, body) = read(*w, *deployment, id).await;
            let done = if *deployment { body["status"] == "CREATE_COMPLETE" } else { body["status"] == "ACTIVE" };
            if !done {
                still.push(item);
            }
        }
        waiting = still;
        if !waiting.is_empty() {
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }
    println!(
        "two instances on PostgreSQL, one SIGKILLed mid-load: {orders} acknowledged orders and {deployments} acknowledged deployments, all present through the survivor, 0 duplicate ids; every lifecycle finished {:.2} s after the check began",
        started.elapsed().as_secs_f64()
    );
    survivor.stop();
}
