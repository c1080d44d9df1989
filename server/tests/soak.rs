//! Load (issue 10): mixed traffic on every API at 64 connections for `STANDIN_SOAK_SECONDS`
//! (default 20; `ci/soak` runs several minutes), against the `standin` binary on a data directory.
//! No request may fail, and the server's resident memory must stay flat: the mean of the last
//! quarter of the run at most 25% (plus 16 MiB) above the mean of the second quarter (the first is
//! warm-up). Prints requests, throughput, latency percentiles and the memory samples.
//!
//! Ignored by `cargo test` (it is long); `ci/soak` runs it.

use std::net::TcpListener;
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use serde_json::{Value, json};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

fn rss_kib(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.split_whitespace().next())
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

const TEMPLATE: &str = "tosca_definitions_version: tosca_simple_yaml_1_0\ntopology_template:\n  node_templates:\n    vm:\n      type: tosca.nodes.indigo.Compute\n";

/// One round of mixed traffic; the statuses that are not what they should be.
async fn round(http: &reqwest::Client, b: &str, m: &str, o: &str, failures: &mut Vec<String>) -> u64 {
    let mut n = 0;
    let mut expect = |what: &str, got: Result<reqwest::Response, reqwest::Error>, want: u16| -> Option<Value> {
        n += 1;
        match got {
            Ok(r) if r.status().as_u16() == want => Some(Value::Null),
            Ok(r) => {
                failures.push(format!("{what}: {}", r.status()));
                None
            }
            Err(e) => {
                failures.push(format!("{what}: {e}"));
                None
            }
        }
    };
    let user = standin::orchestrator::auth::USER_TOKEN;
    // Barbican: create, read, list, delete an order.
    let created = http
        .post(format!("{b}/v1/orders"))
        .header("X-Project-Id", "soak")
        .json(&json!({"type": "key", "meta": {"algorithm": "aes", "bit_length": 256}}))
        .send()
        .await;
    let order = match created {
        Ok(r) if r.status() == 202 => r.json::<Value>().await.ok(),
        other => {
            expect("create order", other, 202);
            None
        }
    };
    let _ = expect("list orders", http.get(format!("{b}/v1/orders")).header("X-Project-Id", "soak").send().await, 200);
    if let Some(href) = order.as_ref().and_then(|o| o["order_ref"].as_str()) {
        let id = href.rsplit('/').next().unwrap();
        let url = format!("{b}/v1/orders/{id}");
        let _ = expect("get order", http.get(&url).header("X-Project-Id", "soak").send().await, 200);
        let _ = expect("delete order", http.delete(&url).header("X-Project-Id", "soak").send().await, 204);
    }
    // Orchestrator: create, read (completes it), list, delete, read (gone).
    let created =
        http.post(format!("{o}/deployments")).bearer_auth(user).json(&json!({"template": TEMPLATE})).send().await;
    let deployment = match created {
        Ok(r) if r.status() == 201 => r.json::<Value>().await.ok(),
        other => {
            expect("create deployment", other, 201);
            None
        }
    };
    if let Some(id) = deployment.as_ref().and_then(|d| d["uuid"].as_str()) {
        let url = format!("{o}/deployments/{id}");
        let _ = expect("get deployment", http.get(&url).bearer_auth(user).send().await, 200);
        let _ = expect("delete deployment", http.delete(&url).bearer_auth(user).send().await, 204);
        let _ = expect("get deleted deployment", http.get(&url).bearer_auth(user).send().await, 404);
    }
    let _ = expect("list deployments", http.get(format!("{o}/deployments")).bearer_auth(user).send().await, 200);
    // Marketplace: a list, and the control plane's health.
    let _ = expect(
        "list public clouds",
        http.get(format!("{m}/api/v1/marketplace/public-clouds"))
            .bearer_auth(standin::marketplace::auth::DEFAULT_TOKEN)
            .send()
            .await,
        200,
    );
    let _ = expect("health", http.get(format!("{b}/_standin/health")).send().await, 200);
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "long: run by ci/soak"]
async fn mixed_traffic_at_64_connections_without_error_and_with_flat_memory() {
    let seconds: f64 = std::env::var("STANDIN_SOAK_SECONDS").ok().and_then(|s| s.parse().ok()).unwrap_or(20.0);
    let dir = std::env::temp_dir().join(format!("standin-soak-{}", std::process::id()));
    std::fs::remove_dir_all(&dir).ok();
    let (bp, mp, op) = (free_port(), free_port(), free_port());
    let mut child = Command::new(env!("CARGO_BIN_EXE_standin"))
        .args(["serve", "--data-dir"])
        .arg(&dir)
        .args(["--barbican-listen", &format!("127.0.0.1:{bp}")])
        .args(["--marketplace-listen", &format!("127.0.0.1:{mp}")])
        .args(["--orchestrator-listen", &format!("127.0.0.1:{op}")])
        .args(["--log", "warn"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let (b, m, o) =
        (format!("http://127.0.0.1:{bp}"), format!("http://127.0.0.1:{mp}"), format!("http://127.0.0.1:{op}"));
    let http = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
    let deadline = Instant::now() + Duration::from_secs(30);
    for base in [&b, &m, &o] {
        while http.get(format!("{base}/_standin/health")).send().await.is_err() {
            assert!(Instant::now() < deadline, "standin did not start");
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
    let stop = Arc::new(AtomicBool::new(false));
    let requests = Arc::new(AtomicU64::new(0));
    let mut workers = Vec::new();
    for _ in 0..64 {
        let (http, b, m, o, stop, requests) =
            (http.clone(), b.clone(), m.clone(), o.clone(), stop.clone(), requests.clone());
        workers.push(tokio::spawn(async move {
            let mut failures = Vec::new();
            let mut latencies = Vec::new();
            while !stop.load(Ordering::Relaxed) {
                let started = Instant::now();
                let n = round(&http, &b, &m, &o, &mut failures).await;
                latencies.push(started.elapsed().as_secs_f64() * 1000.0 / n as f64);
                requests.fetch_add(n, Ordering::Relaxed);
            }
            (failures, latencies)
        }));
    }
    let pid = child.id();
    let started = Instant::now();
    let mut samples = Vec::new();
    while started.elapsed().as_secs_f64() < seconds {
        tokio::time::sleep(Duration::from_secs_f64((seconds / 40.0).max(0.25))).await;
        samples.push(rss_kib(pid));
    }
    stop.store(true, Ordering::Relaxed);
    let mut failures = Vec::new();
    let mut latencies = Vec::new();
    for w in workers {
        let (f, l) = w.await.unwrap();
        failures.extend(f);
        latencies.extend(l);
    }
    let elapsed = started.elapsed().as_secs_f64();
    let total = requests.load(Ordering::Relaxed);
    child.kill().ok();
    child.wait().ok();
    std::fs::remove_dir_all(&dir).ok();

    latencies.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| latencies.get(((latencies.len() as f64 - 1.0) * p) as usize).copied().unwrap_or(0.0);
    let q = samples.len() / 4;
    let mean = |s: &[u64]| s.iter().sum::<u64>() as f64 / s.len().max(1) as f64;
    let (second, last) = (mean(&samples[q..2 * q]), mean(&samples[samples.len() - q..]));
    println!(
        "soak: {elapsed:.0} s at 64 connections: {total} requests ({:.0}/s), {} errors; mean latency per request p50 {:.1} ms, p99 {:.1} ms; RSS MiB second quarter {:.1}, last quarter {:.1}, peak {:.1}",
        total as f64 / elapsed,
        failures.len(),
        pct(0.5),
        pct(0.99),
        second / 1024.0,
        last / 1024.0,
        samples.iter().max().copied().unwrap_or(0) as f64 / 1024.0
    );
    println!("soak: RSS samples (MiB): {:?}", samples.iter().map(|s| s / 1024).collect::<Vec<_>>());
    assert!(failures.is_empty(), "{} failures, e.g. {:?}", failures.len(), &failures[..failures.len().min(10)]);
    assert!(last <= second * 1.25 + 16.0 * 1024.0, "memory grew: {second:.0} KiB -> {last:.0} KiB");
}
