//! A fuzz target per create operation (issue 10), run for a bounded time: Barbican's createOrder
//! validation, the orchestrator's createDeployment validation and TOSCA parsing (and instantiation),
//! and the control plane's addFault and importState over HTTP. Inputs are the committed corpus in
//! `fuzz/corpus/<target>/`, mutated at random (bit flips, byte insertions and deletions, splices of
//! other corpus entries, JSON and YAML tokens, deep nesting, huge numbers, invalid UTF-8).
//!
//! libFuzzer (cargo-fuzz) is not used: it needs a nightly toolchain (sanitizer and coverage `-Z`
//! flags), which this project's machines do not have; see `docs/reliability.md`. This harness is
//! coverage-blind but dependency-free. `STANDIN_FUZZ_SECONDS` sets each target's budget (default 2;
//! `ci/fuzz` gives 20); `STANDIN_FUZZ_SEED` replays a run. A panic, a 5xx or a hang fails the test
//! and writes the input to `target/fuzz-failures/<target>/`.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

const TOKENS: &[&[u8]] = &[
    b"{",
    b"}",
    b"[",
    b"]",
    b"\"",
    b":",
    b",",
    b"null",
    b"true",
    b"-1",
    b"1e999",
    b"99999999999999999999999",
    b"\\u0000",
    b"\\ud800",
    b"\xff",
    b"\xc3\x28",
    b"\x00",
    b"\n",
    b"\r\n",
    b"  ",
    b"- ",
    b": ",
    b"&a",
    b"*a",
    b"!!binary",
    b"{ get_input: x }",
    b"[ vm, public_address, 0 ]",
    b"\"type\"",
    b"\"meta\"",
    b"\"template\"",
    b"\"api\"",
    b"\"barbican\"",
    b"\"orchestrator\"",
    b"\"key\"",
    b"\"asymmetric\"",
    b"tosca.nodes.indigo.Compute",
];

fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).parent().unwrap().to_path_buf()
}

fn corpus(target: &str) -> Vec<Vec<u8>> {
    let dir = repo_root().join("fuzz/corpus").join(target);
    let mut entries: Vec<_> = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())).collect();
    entries.sort_by_key(|e| e.as_ref().unwrap().path());
    let seeds: Vec<Vec<u8>> = entries.into_iter().map(|e| std::fs::read(e.unwrap().path()).unwrap()).collect();
    assert!(!seeds.is_empty(), "the {target} corpus is empty");
    seeds
}

fn mutate(rng: &mut StdRng, seeds: &[Vec<u8>]) -> Vec<u8> {
    let mut data = seeds[rng.random_range(0..seeds.len())].clone();
    for _ in 0..rng.random_range(1..=8) {
        let len = data.len();
        match rng.random_range(0..9) {
            0 if len > 0 => {
                let i = rng.random_range(0..len);
                data[i] ^= 1 << rng.random_range(0..8);
            }
            1 => {
                let i = rng.random_range(0..=len);
                data.insert(i, rng.random());
            }
            2 if len > 0 => {
                let i = rng.random_range(0..len);
                let n = rng.random_range(1..=(len - i).min(16));
                data.drain(i..i + n);
            }
            3 => {
                let i = rng.random_range(0..=len);
                let t = TOKENS[rng.random_range(0..TOKENS.len())];
                data.splice(i..i, t.iter().copied());
            }
            4 => {
                let other = &seeds[rng.random_range(0..seeds.len())];
                if !other.is_empty() {
                    let a = rng.random_range(0..other.len());
                    let b = rng.random_range(a..other.len());
                    let i = rng.random_range(0..=len);
                    data.splice(i..i, other[a..=b].iter().copied());
                }
            }
            5 if len > 1 => {
                let a = rng.random_range(0..len);
                let b = rng.random_range(a..len);
                data.truncate(b.max(1));
                let _ = a;
            }
            6 => {
                let depth = rng.random_range(1..2000);
                let i = rng.random_range(0..=len);
                let open = if rng.random() { b"[" } else { b"{" };
                data.splice(i..i, std::iter::repeat_n(open[0], depth));
            }
            7 if len > 0 => {
                // Replace a digit run with an extreme number.
                let i = rng.random_range(0..len);
                if data[i].is_ascii_digit() {
                    let t: &[u8] = if rng.random() { b"-9223372036854775809" } else { b"1.7976931348623157e309" };
                    data.splice(i..i + 1, t.iter().copied());
                }
            }
            _ => {}
        }
    }
    data
}

fn budget() -> Duration {
    let secs = std::env::var("STANDIN_FUZZ_SECONDS").ok().and_then(|s| s.parse::<f64>().ok()).unwrap_or(2.0);
    Duration::from_secs_f64(secs)
}

fn seed() -> u64 {
    std::env::var("STANDIN_FUZZ_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or_else(|| rand::rng().random())
}

fn save_failure(target: &str, input: &[u8]) -> PathBuf {
    let dir = repo_root().join("target/fuzz-failures").join(target);
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{:016x}", rand::rng().random::<u64>()));
    std::fs::write(&path, input).unwrap();
    path
}

/// Run `check` on mutated inputs for the budget; it returns an error text for a failure.
fn run_sync(target: &str, check: impl Fn(&[u8]) -> Result<(), String>) {
    let seeds = corpus(target);
    let seed = seed();
    let mut rng = StdRng::seed_from_u64(seed);
    let started = Instant::now();
    let mut runs = 0u64;
    for s in &seeds {
        check(s).unwrap_or_else(|e| panic!("{target}: a corpus entry fails: {e}"));
    }
    while started.elapsed() < budget() {
        let input = mutate(&mut rng, &seeds);
        runs += 1;
        let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| check(&input)));
        let failure = match outcome {
            Ok(Ok(())) => continue,
            Ok(Err(e)) => e,
            Err(_) => "panicked".to_string(),
        };
        let path = save_failure(target, &input);
        panic!("{target}: {failure} (seed {seed}, input saved to {})", path.display());
    }
    println!(
        "fuzz {target}: {runs} inputs in {:.1} s from {} corpus entries (seed {seed}), no panic",
        started.elapsed().as_secs_f64(),
        seeds.len()
    );
}

#[test]
fn fuzz_barbican_create_order() {
    run_sync("barbican_create_order", |input| {
        let _ = standin::barbican::validate::validate_order_request(input, chrono::Utc::now());
        Ok(())
    });
}

#[test]
fn fuzz_orchestrator_create_deployment() {
    use standin::orchestrator::validate::{BodyOf, RawBody, deployment_request};
    run_sync("orchestrator_create_deployment", |input| {
        let body = RawBody { content_type: Some("application/json".into()), bytes: input.to_vec() };
        if let Ok(request) = deployment_request(&body, BodyOf::CreateDeployment)
            && let Ok(template) = standin::orchestrator::tosca::parse_template(&request.template)
        {
            let _ = template.check_required_inputs(&request.parameters);
            let _ = template.instantiate(&request.parameters);
            let _ = template.deployment_type();
        }
        // The template on its own, as YAML text.
        if let Ok(text) = std::str::from_utf8(input) {
            let _ = standin::orchestrator::tosca::parse_template(text);
        }
        Ok(())
    });
}

/// The control plane's create operations, over HTTP against an in-process standin.
async fn run_http(target: &str, path: &str, method: reqwest::Method, extra_seed: Option<Vec<u8>>) {
    let mut seeds = corpus(target);
    let config = standin::config::Config::ephemeral_for_tests();
    let server = standin::serve::Standin::start(config).await.unwrap();
    let base = server.base_url(standin::config::ApiKind::Barbican);
    let http = reqwest::Client::new();
    if let Some(extra) = extra_seed {
        seeds.push(extra);
    }
    let seed = seed();
    let mut rng = StdRng::seed_from_u64(seed);
    let started = Instant::now();
    let mut runs = 0u64;
    let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
    let mut seed_statuses = Vec::new();
    while started.elapsed() < budget() {
        let input = if runs < seeds.len() as u64 { seeds[runs as usize].clone() } else { mutate(&mut rng, &seeds) };
        runs += 1;
        let sent = tokio::time::timeout(
            Duration::from_secs(10),
            http.request(method.clone(), format!("{base}{path}"))
                .header("Content-Type", "application/json")
                .body(input.clone())
                .send(),
        )
        .await;
        let status = match sent {
            Ok(Ok(resp)) => resp.status().as_u16(),
            Ok(Err(e)) => panic!("{target}: {e} (seed {seed}, input {})", save_failure(target, &input).display()),
            Err(_) => panic!("{target}: hung (seed {seed}, input {})", save_failure(target, &input).display()),
        };
        *statuses.entry(status).or_default() += 1;
        if runs <= seeds.len() as u64 {
            seed_statuses.push(status);
        }
        assert!(status < 500, "{target}: {status} (seed {seed}, input {})", save_failure(target, &input).display());
        if runs.is_multiple_of(50) {
            let _ = http.delete(format!("{base}/_standin/faults")).send().await;
        }
    }
    // The last seed is the valid one (a real export, or a valid fault rule): accepted.
    assert!(seed_statuses.last().is_some_and(|s| *s < 300), "{target}: corpus answered {seed_statuses:?}");
    let health = http.get(format!("{base}/_standin/health")).send().await.unwrap();
    assert_eq!(health.status(), 200);
    println!(
        "fuzz {target}: {runs} requests in {:.1} s from {} corpus entries (seed {seed}), statuses {statuses:?}, no 5xx",
        started.elapsed().as_secs_f64(),
        seeds.len()
    );
    server.shutdown().await.unwrap();
}

#[tokio::test]
async fn fuzz_control_add_fault() {
    run_http("control_add_fault", "/_standin/faults", reqwest::Method::POST, None).await;
}

#[tokio::test]
async fn fuzz_control_import_state() {
    // A real export joins the committed corpus: a standin with the documented data, exported.
    let mut config = standin::config::Config::ephemeral_for_tests();
    config.fixtures = standin::config::Fixtures::Docs;
    let docs = standin::serve::Standin::start(config).await.unwrap();
    let export = reqwest::get(format!("{}/_standin/state", docs.base_url(standin::config::ApiKind::Barbican)))
        .await
        .unwrap()
        .bytes()
        .await
        .unwrap()
        .to_vec();
    docs.shutdown().await.unwrap();
    run_http("control_import_state", "/_standin/state", reqwest::Method::PUT, Some(export)).await;
}
