//! `GET /v1/orders`: oldest first, `total`, cleaned paging values, `previous`/`next`, the `meta`
//! filter, project scoping and the policy.

use reqwest::Method;
use serde_json::Value;
use standin::config::ApiKind;

use super::{Barbican, error};
use crate::harness::{TestStandin, last_segment};

fn ids(page: &Value) -> Vec<String> {
    page["orders"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| last_segment(o["order_ref"].as_str().unwrap()).to_string())
        .collect()
}

#[tokio::test]
async fn pages_oldest_first_with_total_and_nav_links() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let mut created = Vec::new();
    for i in 0..15 {
        created.push(b.create_key(&format!("o{i:02}")).await);
    }
    let base = "http://localhost:9311/v1/orders";

    let (status, page) = b.get_json("/v1/orders?limit=5&offset=5").await;
    assert_eq!(status, 200);
    assert_eq!(ids(&page), created[5..10]);
    assert_eq!(page["total"], 15);
    assert_eq!(page["previous"], format!("{base}?limit=5&offset=0"));
    assert_eq!(page["next"], format!("{base}?limit=5&offset=10"));
    let keys: Vec<&String> = page.as_object().unwrap().keys().collect();
    assert_eq!(keys, ["next", "orders", "previous", "total"], "keys sorted, as the documents show");

    let (_, tail) = b.get_json("/v1/orders?limit=5&offset=12").await;
    assert_eq!(ids(&tail), created[12..]);
    assert_eq!(tail["previous"], format!("{base}?limit=5&offset=7"));
    assert!(tail.get("next").is_none());

    let (_, empty) = b.get_json("/v1/orders?offset=15").await;
    assert_eq!(empty, serde_json::json!({"orders": [], "total": 15}), "an empty page has no links");

    let (_, first) = b.get_json("/v1/orders").await;
    assert_eq!(ids(&first), created[..10], "default limit 10");
    assert!(first.get("previous").is_none());
    assert_eq!(first["next"], format!("{base}?limit=10&offset=10"));
}

#[tokio::test]
async fn unusable_paging_values_fall_back_instead_of_failing() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let mut created = Vec::new();
    for i in 0..12 {
        created.push(b.create_key(&format!("o{i}")).await);
    }
    let cases = [
        ("limit=0", 1, 0),
        ("limit=-3", 1, 0),
        ("limit=1000", 12, 0),
        ("limit=abc&offset=abc", 10, 0),
        ("limit=2.5&offset=1.5", 10, 0),
        ("limit=+03&offset=1_0", 2, 10),
        ("offset=-4&limit=4", 4, 0),
        ("offset=9223372036854775808", 10, 0),
    ];
    for (query, len, first_index) in cases {
        let (status, page) = b.get_json(&format!("/v1/orders?{query}")).await;
        assert_eq!(status, 200, "{query}");
        let got = ids(&page);
        assert_eq!(got.len(), len, "{query}");
        assert_eq!(got[0], created[first_index], "{query}");
    }
    let (_, page) = b.get_json("/v1/orders?limit=0").await;
    assert_eq!(page["next"], "http://localhost:9311/v1/orders?limit=1&offset=1", "links carry the cleaned values");
}

#[tokio::test]
async fn the_meta_filter_matches_a_json_string_anywhere_in_meta() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let o03 = b.create_key("o03").await;
    b.create_key("o04").await;
    let (_, page) = b.get_json("/v1/orders?meta=o03").await;
    assert_eq!(ids(&page), [o03]);
    assert_eq!(page["total"], 1, "total reflects the filter");
    assert_eq!(b.get_json("/v1/orders?meta=o0").await.1["total"], 0, "a partial string does not match");
    assert_eq!(b.get_json("/v1/orders?meta=aes").await.1["total"], 2);
}

#[tokio::test]
async fn another_projects_orders_are_invisible() {
    let server = TestStandin::start().await;
    Barbican::new(&server, "p1").create_key("mine").await;
    let (status, page) = Barbican::new(&server, "p2").get_json("/v1/orders").await;
    assert_eq!((status, page), (200, serde_json::json!({"orders": [], "total": 0})));
}

#[tokio::test]
async fn the_policy_decides_who_may_list() {
    let server = TestStandin::start().await;
    for role in ["admin", "creator", "observer", "creator,audit"] {
        assert_eq!(Barbican::new(&server, "p1").with_roles(role).get_json("/v1/orders").await.0, 200, "{role}");
    }
    for role in ["audit", "member", "reader"] {
        assert_eq!(
            Barbican::new(&server, "p1").with_roles(role).get_json("/v1/orders").await,
            (
                403,
                error(
                    403,
                    "Forbidden",
                    "Order(s) retrieval attempt not allowed - please review your user/project privileges"
                )
            ),
            "{role}"
        );
    }
}

#[tokio::test]
async fn an_accept_header_that_refuses_json_is_a_406() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let resp = b.request(reqwest::Method::GET, "/v1/orders").header("Accept", "text/html").send().await.unwrap();
    assert_eq!(resp.status(), 406);
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body, serde_json::json!({"code": 406, "title": "Not Acceptable", "description": null}));
    for accept in ["application/json", "*/*", "application/*"] {
        let resp = b.request(reqwest::Method::GET, "/v1/orders").header("Accept", accept).send().await.unwrap();
        assert_eq!(resp.status(), 200, "{accept}");
    }
}

/// Pages are served from a cache of finished bodies: every change in between must still show.
#[tokio::test]
async fn a_page_read_again_shows_every_change_made_in_between() {
    let server = TestStandin::start().await;
    let b = Barbican::new(&server, "p1");
    let total = |page: &Value| page["total"].as_i64().unwrap();
    let first = b.create_key("a").await;
    let (_, page) = b.get_json("/v1/orders?limit=5").await;
    assert_eq!((total(&page), ids(&page)), (1, vec![first.clone()]));
    assert_eq!(b.get_json("/v1/orders?limit=5").await.1, page, "the same page twice");

    let second = b.create_key("b").await;
    let (_, page) = b.get_json("/v1/orders?limit=5").await;
    assert_eq!((total(&page), ids(&page)), (2, vec![first.clone(), second.clone()]), "a create shows");

    assert_eq!(b.request(Method::DELETE, &format!("/v1/orders/{first}")).send().await.unwrap().status(), 204);
    let (_, page) = b.get_json("/v1/orders?limit=5").await;
    assert_eq!(ids(&page), vec![second.clone()], "a delete shows");

    let snapshot: Value =
        server.http.get(server.url(ApiKind::Barbican, "/_standin/state")).send().await.unwrap().json().await.unwrap();
    let reset =
        server.http.post(server.url(ApiKind::Barbican, "/_standin/reset")).json(&serde_json::json!({})).send().await;
    assert_eq!(reset.unwrap().status(), 200);
    assert_eq!(total(&b.get_json("/v1/orders?limit=5").await.1), 0, "a reset shows");
    let load = server.http.put(server.url(ApiKind::Barbican, "/_standin/state")).json(&snapshot).send().await;
    assert_eq!(load.unwrap().status(), 200);
    assert_eq!(ids(&b.get_json("/v1/orders?limit=5").await.1), vec![second.clone()], "a snapshot load shows");
    let empty = serde_json::json!({"document": {"format": "standin-state/1", "tables": {}}});
    let load = server.http.post(server.url(ApiKind::Barbican, "/_standin/fixtures")).json(&empty).send().await;
    assert_eq!(load.unwrap().status(), 200);
    assert_eq!(total(&b.get_json("/v1/orders?limit=5").await.1), 0, "a fixtures document load shows");
}

/// A PENDING order moves when a list reads it, so its page is never served from the cache.
#[tokio::test]
async fn pages_with_pending_orders_are_read_afresh() {
    let server =
        TestStandin::start_with(|c| c.barbican.lifecycle = standin::barbican::service::Lifecycle::AfterPolls(1)).await;
    let b = Barbican::new(&server, "p1");
    b.create_key("a").await;
    let statuses =
        |page: Value| page["orders"].as_array().unwrap().iter().map(|o| o["status"].clone()).collect::<Vec<_>>();
    assert_eq!(statuses(b.get_json("/v1/orders").await.1), ["PENDING"], "the first read counts as the poll");
    assert_eq!(statuses(b.get_json("/v1/orders").await.1), ["ACTIVE"], "the next read sees it done");
}

/// `--barbican-list-cache false` reads the database every time and answers the same.
#[tokio::test]
async fn without_the_cache_the_answers_are_the_same() {
    let cached = TestStandin::start().await;
    let uncached = TestStandin::start_with(|c| c.barbican.list_cache = false).await;
    for server in [&cached, &uncached] {
        let b = Barbican::new(server, "p1");
        b.create_key("a").await;
        b.get_json("/v1/orders").await;
        b.create_key("b").await;
    }
    let strip = |mut page: Value| {
        for order in page["orders"].as_array_mut().unwrap() {
            for key in ["created", "updated", "order_ref", "secret_ref"] {
                order[key] = Value::Null;
            }
        }
        page
    };
    let (a, b) = (
        Barbican::new(&cached, "p1").get_json("/v1/orders").await,
        Barbican::new(&uncached, "p1").get_json("/v1/orders").await,
    );
    assert_eq!(a.0, b.0);
    assert_eq!(a.1["total"], 2);
    assert_eq!(strip(a.1), strip(b.1));
}
