//! Durability: what a client was told succeeded is still there after a restart.

use standin::config::Config;
use standin::storage::StorageLocation;

use super::Barbican;
use crate::harness::TestStandin;

#[tokio::test]
async fn acknowledged_orders_survive_a_restart() {
    let dir = std::env::temp_dir().join(format!("standin-test-{}", uuid::Uuid::new_v4()));
    let on_disk = |c: &mut Config| c.storage = StorageLocation::DataDir(dir.clone());
    let first = TestStandin::start_with(on_disk).await;
    let id = Barbican::new(&first, "p1").create_key("durable").await;
    Barbican::new(&first, "p1").create_key("deleted").await;
    first.standin.shutdown().await.unwrap();

    let second = TestStandin::start_with(on_disk).await;
    let b = Barbican::new(&second, "p1");
    let (status, order) = b.get_json(&format!("/v1/orders/{id}")).await;
    assert_eq!(status, 200);
    assert_eq!(order["meta"]["name"], "durable");
    assert_eq!(b.get_json("/v1/orders").await.1["total"], 2);
    std::fs::remove_dir_all(&dir).ok();
}
