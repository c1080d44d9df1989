//! Several standin instances on one PostgreSQL database (issue 11): what one instance acknowledges,
//! the other sees and acts on, and a lifecycle step runs once however many instances race for it.
//!
//! These need a PostgreSQL server: `ci/test` starts one and runs the whole suite a second time with
//! `STANDIN_TEST_DATABASE_URL` set. Without it (a plain `cargo test` on SQLite) each test says so
//! and returns: two instances cannot share an embedded SQLite database, by design.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use reqwest::Method;
use serde_json::{Value, json};
use standin::config::ApiKind;
use standin::storage::StorageLocation;

use crate::barbican::Barbican;
use crate::control::control;
use crate::harness::TestStandin;
use crate::orchestrator::{Orchestrator, TEMPLATE};

/// A schema of its own on the test PostgreSQL server, for two instances to share; `None` (and a note
/// in the output) without one.
fn shared_database(test: &str) -> Option<StorageLocation> {
    match std::env::var("STANDIN_TEST_DATABASE_URL") {
        Ok(url) if !url.is_empty() => {
            Some(StorageLocation::Postgres { url, schema: Some(format!("shared_{}", uuid::Uuid::new_v4().simple())) })
        }
        _ => {
            println!("{test}: not run: it needs STANDIN_TEST_DATABASE_URL (ci/test sets it for its PostgreSQL run)");
            None
        }
    }
}

/// Two instances on one database, each adjusted by `adjust`.
async fn two_instances(
    storage: StorageLocation,
    adjust: impl Fn(&mut standin::config::Config),
) -> (TestStandin, TestStandin) {
    let a = TestStandin::start_with(|c| {
        c.storage = storage.clone();
        adjust(c);
    })
    .await;
    let b = TestStandin::start_with(|c| {
        c.storage = storage.clone();
        adjust(c);
    })
    .await;
    (a, b)
}

async fn health(server: &TestStandin) -> Value {
    let (status, body) = control(server, ApiKind::Barbican, Method::GET, "/health", None).await;
    assert_eq!(status, 200, "{body}");
    body
}

#[tokio::test]
async fn an_order_created_through_one_instance_is_seen_advanced_and_deleted_through_the_other() {
    let Some(storage) = shared_database("orders across instances") else { return };
    let (a, b) = two_instances(storage, |c| c.barbican.lifecycle = standin::barbican::service::Lifecycle::Manual).await;
    let (ha, hb) = (health(&a).await, health(&b).await);
    assert_ne!(ha["instance"], hb["instance"], "two processes, two instance ids");
    assert_eq!((ha["database"].as_str(), hb["database"].as_str()), (Some("postgres"), Some("postgres")));

    let id = Barbican::new(&a, "p-shared").create_key("shared").await;
    let through_b = Barbican::new(&b, "p-shared");
    let (status, order) = through_b.get_json(&format!("/v1/orders/{id}")).await;
    assert_eq!((status, order["status"].as_str()), (200, Some("PENDING")), "{order}");
    let (status, list) = through_b.get_json("/v1/orders").await;
    assert_eq!((status, list["total"].as_i64()), (200, Some(1)), "the other instance counts it: {list}");

    let path = format!("/barbican/orders/{id}/advance");
    let (status, moved) = control(&b, ApiKind::Barbican, Method::POST, &path, Some(json!({"to": "ACTIVE"}))).await;
    assert_eq!(status, 200, "{moved}");
    let (status, order) = Barbican::new(&a, "p-shared").get_json(&format!("/v1/orders/{id}")).await;
    assert_eq!((status, order["status"].as_str()), (200, Some("ACTIVE")), "{order}");
    let secret = order["secret_ref"].as_str().expect("an ACTIVE key order has its secret").to_string();
    let (status, _) = through_b.get_json(&format!("/v1/secrets/{}", crate::harness::last_segment(&secret))).await;
    assert_eq!(status, 200, "the secret generated through b is read through b");

    let deleted = through_b.request(Method::DELETE, &format!("/v1/orders/{id}")).send().await.unwrap();
    assert_eq!(deleted.status().as_u16(), 204);
    let (status, _) = Barbican::new(&a, "p-shared").get_json(&format!("/v1/orders/{id}")).await;
    assert_eq!(status, 404, "deleted through b, gone through a");
    let (_, list) = Barbican::new(&a, "p-shared").get_json("/v1/orders").await;
    assert_eq!(list["total"], 0, "{list}");
}

#[tokio::test]
async fn a_deployment_created_through_one_instance_is_moved_and_deleted_through_the_other() {
    let Some(storage) = shared_database("deployments across instances") else { return };
    let (a, b) =
        two_instances(storage, |c| c.orchestrator.lifecycle = standin::orchestrator::lifecycle::Lifecycle::Manual)
            .await;
    let id = Orchestrator::new(&a).create(TEMPLATE).await;
    assert_eq!(Orchestrator::new(&b).deployment(&id).await["status"], "CREATE_IN_PROGRESS");
    let path = format!("/orchestrator/deployments/{id}/advance");
    let (status, moved) = control(&b, ApiKind::Orchestrator, Method::POST, &path, Some(json!({"to": "next"}))).await;
    assert_eq!((status, moved["status"].as_str()), (200, Some("CREATE_COMPLETE")), "{moved}");
    assert_eq!(Orchestrator::new(&a).deployment(&id).await["status"], "CREATE_COMPLETE");
    let (status, _) = Orchestrator::new(&b).call(Method::DELETE, &format!("/deployments/{id}"), &Value::Null).await;
    assert_eq!(status, 204);
    // The undeployment is held too; moved on through a, it is gone through b.
    let (status, _) = control(&a, ApiKind::Orchestrator, Method::POST, &path, Some(json!({"to": "next"}))).await;
    assert_eq!(status, 200);
    let (status, _) = Orchestrator::new(&b).get_json(&format!("/deployments/{id}")).await;
    assert_eq!(status, 404);
}

/// A callback endpoint that counts the notifications it receives per deployment.
async fn counting_callbacks() -> (String, Arc<Mutex<HashMap<String, u32>>>) {
    use poem::web::Json;
    use poem::{EndpointExt, handler, post};
    let seen: Arc<Mutex<HashMap<String, u32>>> = Arc::default();
    #[handler]
    fn notified(Json(body): Json<Value>, seen: poem::web::Data<&Arc<Mutex<HashMap<String, u32>>>>) {
        let id = body["uuid"].as_str().unwrap_or_default().to_string();
        *seen.lock().unwrap().entry(id).or_default() += 1;
    }
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    drop(listener);
    let app = poem::Route::new().at("/callback", post(notified)).data(seen.clone());
    let acceptor = poem::listener::Listener::into_acceptor(poem::listener::TcpListener::bind(addr)).await.unwrap();
    tokio::spawn(poem::Server::new_with_acceptor(acceptor).run(app));
    (format!("http://{addr}/callback"), seen)
}

#[tokio::test]
async fn a_lifecycle_step_runs_once_when_both_instances_race_for_it() {
    const N: usize = 24;
    let Some(storage) = shared_database("racing lifecycle steps") else { return };
    let (a, b) = two_instances(storage, |c| {
        c.barbican.lifecycle = standin::barbican::service::Lifecycle::AfterSeconds(0.5);
        c.orchestrator.lifecycle = standin::orchestrator::lifecycle::Lifecycle::AfterSeconds(0.5);
    })
    .await;
    let (callback, notified) = counting_callbacks().await;
    let mut orders = Vec::new();
    let mut deployments = Vec::new();
    for i in 0..N {
        orders.push(Barbican::new(&a, "p-race").create_key(&format!("k{i}")).await);
        deployments.push(Orchestrator::new(&a).create_with(json!({"template": TEMPLATE, "callback": callback})).await);
    }
    // Every step is due in half a second; then each instance reads every resource several times at once.
    tokio::time::sleep(std::time::Duration::from_millis(600)).await;
    let mut reads = Vec::new();
    for _ in 0..3 {
        for server in [&a, &b] {
            for id in &orders {
                let url = server.url(ApiKind::Barbican, &format!("/v1/orders/{id}"));
                let req = server.http.get(url).header("X-Project-Id", "p-race");
                reads.push(tokio::spawn(async move { req.send().await.map(|r| r.status().as_u16()) }));
            }
            for id in &deployments {
                let url = server.url(ApiKind::Orchestrator, &format!("/deployments/{id}"));
                let req = server.http.get(url).bearer_auth("orchestrator-user-token");
                reads.push(tokio::spawn(async move { req.send().await.map(|r| r.status().as_u16()) }));
            }
        }
    }
    for read in reads {
        assert_eq!(read.await.unwrap().unwrap(), 200);
    }
    for id in &orders {
        let (_, order) = Barbican::new(&b, "p-race").get_json(&format!("/v1/orders/{id}")).await;
        assert_eq!(order["status"], "ACTIVE", "{order}");
    }
    for id in &deployments {
        assert_eq!(Orchestrator::new(&b).deployment(id).await["status"], "CREATE_COMPLETE");
    }
    let (ha, hb) = (health(&a).await, health(&b).await);
    let steps = |h: &Value, kind: &str| h["lifecycle_steps"][kind].as_u64().unwrap();
    println!(
        "racing steps: orders processed by a {} and b {}, deployment steps stored by a {} and b {}",
        steps(&ha, "orders"),
        steps(&hb, "orders"),
        steps(&ha, "deployments"),
        steps(&hb, "deployments")
    );
    assert_eq!(steps(&ha, "orders") + steps(&hb, "orders"), N as u64, "each order processed once");
    assert_eq!(steps(&ha, "deployments") + steps(&hb, "deployments"), N as u64, "each deployment stepped once");
    // Callbacks are sent after the step is stored, in the background: wait until all arrived, then
    // give duplicates the time to show up.
    let deadline = tokio::time::Instant::now() + std::time::Duration::from_secs(10);
    while notified.lock().unwrap().len() < N && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    let seen = notified.lock().unwrap().clone();
    assert_eq!(seen.len(), N, "every deployment's callback came: {seen:?}");
    assert!(seen.values().all(|&n| n == 1), "no callback twice: {seen:?}");
}
