//! `GET /api/v1/marketplace/public-clouds`: paging with Laravel's rules and clamping, the status
//! filter, ordering, the 412s, tokens and the rate limit.

use serde_json::{Value, json};
use standin::marketplace::auth::{EXPIRED_TOKEN, INVALID_TOKEN, MISSING_TOKEN};
use standin::marketplace::fixtures::{ENTRIES_PER_KIND, INACTIVE_PER_KIND};
use standin::marketplace::rate_limit::DOCUMENTED_MESSAGE;

use super::{PREFIX, get, oauth2_error, response_example, send, www_authenticate};
use crate::harness::TestStandin;

fn ids(page: &Value) -> Vec<String> {
    page["data"].as_array().unwrap().iter().map(|e| e["ID"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn the_first_page_is_the_documented_page() {
    let server = TestStandin::with_docs_fixtures().await;
    let answer = get(&server, "/public-clouds").await;
    assert_eq!(answer.status, 200);
    assert_eq!(answer.header("content-type"), Some("application/json"));
    let page = answer.json();
    for (key, value) in
        [("total", 20), ("per_page", 10), ("current_page", 1), ("last_page", 2), ("from", 1), ("to", 10)]
    {
        assert_eq!(page[key], json!(value), "{key}");
    }
    let keys: Vec<&String> = page.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        ["total", "per_page", "current_page", "last_page", "next_page_url", "prev_page_url", "from", "to", "data"]
    );
    assert_eq!(page["data"].as_array().unwrap().len(), 10);
    assert_eq!(page["data"][0]["Name"], "Next-Generation AgileCLOUD");
    // Laravel 5.0's links: a slash before `?`, only `page` kept, slashes escaped on the wire.
    let host = server.standin.addr(standin::config::ApiKind::Marketplace);
    assert_eq!(page["next_page_url"], format!("http://{host}{PREFIX}/public-clouds/?page=2"));
    assert_eq!(page["prev_page_url"], Value::Null);
    assert!(answer.text.contains(r#""next_page_url":"http:\/\/"#), "{}", answer.text);
}

#[tokio::test]
async fn paging_through_every_public_cloud() {
    let server = TestStandin::with_docs_fixtures().await;
    let first = get(&server, "/public-clouds?page=1&per_page=10").await.json();
    let second = get(&server, "/public-clouds?page=2&per_page=10").await.json();
    assert_eq!(
        (second["current_page"].clone(), second["from"].clone(), second["to"].clone()),
        (json!(2), json!(11), json!(20))
    );
    assert_eq!(second["next_page_url"], Value::Null);
    assert!(second["prev_page_url"].as_str().unwrap().ends_with("/public-clouds/?page=1"));
    let mut all = ids(&first);
    all.extend(ids(&second));
    let whole = get(&server, "/public-clouds?page=1&per_page=100").await.json();
    assert_eq!(all, ids(&whole));
    assert_eq!(all.len() as i64, ENTRIES_PER_KIND);
    // Oldest first; the documented two share `Created`, and the id breaks the tie.
    assert_eq!(&all[..2], ["1", "123456"]);
}

#[tokio::test]
async fn a_page_beyond_the_last_is_clamped_and_empty() {
    let server = TestStandin::with_docs_fixtures().await;
    let page = get(&server, "/public-clouds?page=5&per_page=10").await.json();
    assert_eq!(page["current_page"], 2);
    assert_eq!(page["last_page"], 2);
    assert_eq!((page["from"].clone(), page["to"].clone()), (json!(11), json!(10)));
    assert_eq!(page["data"], json!([]));
    assert_eq!(page["next_page_url"], Value::Null);
}

#[tokio::test]
async fn an_empty_list_is_byte_for_byte_the_real_empty_page() {
    let server = TestStandin::start().await;
    let answer = get(&server, "/public-clouds").await;
    assert_eq!(
        answer.text,
        r#"{"total":0,"per_page":10,"current_page":1,"last_page":0,"next_page_url":null,"prev_page_url":null,"from":1,"to":0,"data":[]}"#
    );
    assert_eq!(answer.header("etag"), Some("\"aa5fbcb7715e5b9ca841e146b0d2a922\""));
    let wrapped = get(&server, "/public-clouds?callback=cb").await;
    assert_eq!(wrapped.header("content-type"), Some("text/javascript; charset=UTF-8"));
    assert_eq!(wrapped.header("etag"), Some("\"135ea265ffce51af6cc976addbf9f315\""));
}

#[tokio::test]
async fn per_page_without_page_and_order_dir_without_order_by_are_validated_then_ignored() {
    let server = TestStandin::with_docs_fixtures().await;
    let page = get(&server, "/public-clouds?per_page=50&order_dir=desc").await.json();
    assert_eq!(page["per_page"], 10);
    assert_eq!(ids(&page)[0], "1");
    let answer = get(&server, "/public-clouds?per_page=5").await;
    assert_eq!(answer.status, 412);
    assert_eq!(answer.json()["errors"], json!({"per_page": ["The per page must be at least 10."]}));
    // Empty values count as absent.
    assert_eq!(get(&server, "/public-clouds?page=&status=&order_by=").await.status, 200);
}

#[tokio::test]
async fn the_documented_412s() {
    let server = TestStandin::with_docs_fixtures().await;
    for (query, example) in [
        ("page=2", "pageWithoutPerPage"),
        ("order_by=name", "orderByWithoutDir"),
        ("page=1&per_page=abc", "perPageNotANumber"),
        ("page=0&per_page=500&status=on&order_by=price&order_dir=up", "severalInvalid"),
    ] {
        let answer = get(&server, &format!("/public-clouds?{query}")).await;
        assert_eq!(answer.status, 412, "{query}");
        assert_eq!(answer.header("content-type"), Some("application/json"));
        assert_eq!(answer.header("etag"), None, "a 412 has no ETag");
        let body = answer.json();
        assert_eq!(
            serde_json::to_string(&body).unwrap(),
            serde_json::to_string(&response_example("PreconditionFailed", example)).unwrap(),
            "{query} (key order included)"
        );
    }
}

#[tokio::test]
async fn laravel_integers_and_sizes() {
    let server = TestStandin::with_docs_fixtures().await;
    assert_eq!(get(&server, "/public-clouds?page=%2B2&per_page=10").await.json()["current_page"], 2);
    let errors = |q: &'static str| {
        let server = &server;
        async move { get(server, &format!("/public-clouds?{q}")).await.json()["errors"].clone() }
    };
    assert_eq!(errors("page=abc&per_page=10").await, json!({"page": ["The page must be an integer."]}));
    assert_eq!(errors("page=010&per_page=10").await, json!({"page": ["The page must be an integer."]}));
    assert_eq!(
        errors("page=1&per_page=1e1").await,
        json!({"per_page": ["The per page must be an integer."]}),
        "1e1 is numeric (10), so only `integer` fails"
    );
    assert_eq!(
        errors("status=Active").await,
        json!({"status": ["The status field is does not has a valid value (all, active, non_active)."]})
    );
    assert_eq!(
        errors("order_dir=up").await,
        json!({"order_dir": ["The order dir field is does not has a valid value (desc, asc)."]})
    );
}

#[tokio::test]
async fn the_status_filter() {
    let server = TestStandin::with_docs_fixtures().await;
    let active = get(&server, "/public-clouds?status=active&page=1&per_page=100").await.json();
    assert_eq!(active["total"], ENTRIES_PER_KIND - INACTIVE_PER_KIND);
    assert!(active["data"].as_array().unwrap().iter().all(|e| e["Active"] == "1"));
    let inactive = get(&server, "/public-clouds?status=non_active").await.json();
    assert_eq!(inactive["total"], INACTIVE_PER_KIND);
    assert!(inactive["data"].as_array().unwrap().iter().all(|e| e["Active"] == "0"));
    assert_eq!(get(&server, "/public-clouds?status=all").await.json()["total"], ENTRIES_PER_KIND);
}

#[tokio::test]
async fn ordering_by_name_and_date_both_ways() {
    let server = TestStandin::with_docs_fixtures().await;
    let names = |page: Value| -> Vec<String> {
        page["data"].as_array().unwrap().iter().map(|e| e["Name"].as_str().unwrap().to_lowercase()).collect()
    };
    let asc = names(get(&server, "/public-clouds?page=1&per_page=100&order_by=name&order_dir=asc").await.json());
    let mut sorted = asc.clone();
    sorted.sort();
    assert_eq!(asc, sorted);
    let desc = names(get(&server, "/public-clouds?page=1&per_page=100&order_by=name&order_dir=desc").await.json());
    assert_eq!(desc, asc.iter().rev().cloned().collect::<Vec<_>>());
    let newest = get(&server, "/public-clouds?order_by=date&order_dir=desc").await.json();
    assert_eq!(newest["data"][0]["Created"], "2014-05-18 09:00:00");
}

#[tokio::test]
async fn tokens_missing_expired_or_sent_as_a_query_parameter() {
    let server = TestStandin::with_docs_fixtures().await;
    let missing = send(&server, reqwest::Method::GET, "/public-clouds", &[]).await;
    assert_eq!(missing.status, 400);
    assert_eq!(missing.json(), oauth2_error("invalid_request", MISSING_TOKEN));
    assert_eq!(missing.header("www-authenticate"), Some(www_authenticate("invalid_request", MISSING_TOKEN).as_str()));

    let expired = super::get_with_token(&server, "/public-clouds", EXPIRED_TOKEN).await;
    assert_eq!(expired.status, 401);
    assert_eq!(expired.json(), oauth2_error("invalid_token", INVALID_TOKEN));
    assert_eq!(expired.header("www-authenticate"), Some(www_authenticate("invalid_token", INVALID_TOKEN).as_str()));
    assert_eq!(expired.header("etag"), None);

    let unknown = super::get_with_token(&server, "/public-clouds", "no-such-token").await;
    assert_eq!(unknown.status, 401);

    let by_query = send(&server, reqwest::Method::GET, "/public-clouds?access_token=marketplace-token", &[]).await;
    assert_eq!(by_query.status, 200);
    let empty = send(&server, reqwest::Method::GET, "/public-clouds", &[("Authorization", "Bearer ")]).await;
    assert_eq!((empty.status, empty.json()), (400, oauth2_error("invalid_request", "invalid request")));
}

#[tokio::test]
async fn rate_limited_with_the_documented_headers_and_403() {
    let server = TestStandin::start_with(|c| {
        c.fixtures = standin::config::Fixtures::Docs;
        c.marketplace.rate_limits = vec!["listPublicClouds=2".parse().unwrap()];
    })
    .await;
    let first = get(&server, "/public-clouds").await;
    assert_eq!(first.status, 200);
    assert_eq!(first.header("x-ratelimit-limit"), Some("2"));
    assert_eq!(first.header("x-ratelimit-remaining"), Some("1"));
    let reset: u64 = first.header("x-ratelimit-reset").unwrap().parse().unwrap();
    assert!((3590..=3600).contains(&reset), "{reset}");

    // A 304 is neither counted nor given the headers.
    let etag = first.header("etag").unwrap().to_string();
    let not_modified = send(
        &server,
        reqwest::Method::GET,
        "/public-clouds",
        &[("Authorization", "Bearer marketplace-token"), ("If-None-Match", &etag)],
    )
    .await;
    assert_eq!(not_modified.status, 304);
    assert_eq!(not_modified.header("x-ratelimit-limit"), None);

    assert_eq!(get(&server, "/public-clouds").await.header("x-ratelimit-remaining"), Some("0"));
    let over = get(&server, "/public-clouds").await;
    assert_eq!(over.status, 403);
    assert_eq!(over.json(), json!({"message": DOCUMENTED_MESSAGE}));
    assert_eq!(over.header("x-ratelimit-remaining"), Some("0"));
    assert_eq!(over.header("etag"), None);
    // Each query string has its own counter, and other endpoints have no limit.
    assert_eq!(get(&server, "/public-clouds?status=all").await.status, 200);
    assert_eq!(get(&server, "/public-clouds/1").await.header("x-ratelimit-limit"), None);
    // Without a limit configured, no headers at all.
    let unlimited = TestStandin::with_docs_fixtures().await;
    assert_eq!(get(&unlimited, "/public-clouds").await.header("x-ratelimit-limit"), None);
}

#[tokio::test]
async fn the_real_rate_limit_message_only_behind_its_switch() {
    let server = TestStandin::start_with(|c| {
        c.marketplace.rate_limits = vec!["*=1".parse().unwrap()];
        c.marketplace.real_bugs = vec![standin::marketplace::RealBug::RateLimitWhitespace];
    })
    .await;
    get(&server, "/public-clouds").await;
    let over = get(&server, "/public-clouds").await;
    assert_eq!(over.status, 403);
    assert_eq!(over.json()["message"], standin::marketplace::rate_limit::R1_MESSAGE);
}
