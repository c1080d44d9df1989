//! What a client was told succeeded survives a crash: the `standin` binary is killed with SIGKILL
//! right after a burst of acknowledged creates, restarted on the same data directory, and every
//! acknowledged order is there, ACTIVE, with its secret.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

struct Server {
    child: Child,
    base: String,
}

fn start(data_dir: &std::path::Path, port: u16) -> Server {
    let child = Command::new(env!("CARGO_BIN_EXE_standin"))
        .args(["serve", "--data-dir"])
        .arg(data_dir)
        .args(["--barbican-listen", &format!("127.0.0.1:{port}")])
        .args(["--marketplace-listen", &format!("127.0.0.1:{}", free_port())])
        .args(["--orchestrator-listen", &format!("127.0.0.1:{}", free_port())])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("standin starts");
    Server { child, base: format!("http://127.0.0.1:{port}") }
}

async fn wait_ready(client: &reqwest::Client, base: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while client.get(format!("{base}/_standin/health")).send().await.is_err() {
        assert!(Instant::now() < deadline, "standin did not become ready");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn acknowledged_creates_survive_sigkill() {
    let dir = std::env::temp_dir().join(format!("standin-crash-{}", std::process::id()));
    let port = free_port();
    let client = reqwest::Client::new();
    let mut server = start(&dir, port);
    wait_ready(&client, &server.base).await;

    let mut acknowledged = Vec::new();
    for i in 0..25 {
        let resp = client
            .post(format!("{}/v1/orders", server.base))
            .header("X-Project-Id", "crash")
            .header("Content-Type", "application/json")
            .body(format!(r#"{{"type": "key", "meta": {{"name": "o{i}", "algorithm": "aes", "bit_length": 256}}}}"#))
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 202);
        let body: serde_json::Value = resp.json().await.unwrap();
        acknowledged.push(body["order_ref"].as_str().unwrap().rsplit('/').next().unwrap().to_string());
    }
    server.child.kill().expect("SIGKILL"); // no graceful shutdown: a crash
    server.child.wait().unwrap();

    let mut server = start(&dir, port);
    wait_ready(&client, &server.base).await;
    for id in &acknowledged {
        let resp =
            client.get(format!("{}/v1/orders/{id}", server.base)).header("X-Project-Id", "crash").send().await.unwrap();
        assert_eq!(resp.status(), 200, "order {id} was acknowledged before the crash");
        let order: serde_json::Value = resp.json().await.unwrap();
        assert_eq!(order["status"], "ACTIVE");
        assert!(order["secret_ref"].is_string());
    }
    println!("{} acknowledged orders, all present after SIGKILL and restart", acknowledged.len());
    server.child.kill().ok();
    server.child.wait().ok();
    std::fs::remove_dir_all(&dir).ok();
}
