//! The marketplace's storage: the documented fixtures survive restarts without doubling, and (an
//! ignored measurement, `cargo test -p contract-tests --test it page_cost -- --ignored --nocapture`)
//! what a page costs as the store grows.

use std::time::Instant;

use standin::config::Fixtures;
use standin::marketplace::endpoints::Resource;
use standin::marketplace::model::CompanyService;
use standin::marketplace::paging::{ListQuery, SortKey, StatusFilter};
use standin::marketplace::store::MarketplaceStore;
use standin::storage::{StorageLocation, open};

use super::get;
use crate::harness::TestStandin;

#[tokio::test]
async fn fixtures_load_once_into_a_persistent_store() {
    let dir = std::env::temp_dir().join(format!("standin-marketplace-{}", uuid::Uuid::new_v4()));
    for _ in 0..2 {
        let server = TestStandin::start_with(|c| {
            c.fixtures = Fixtures::Docs;
            c.storage = StorageLocation::DataDir(dir.clone());
        })
        .await;
        assert_eq!(get(&server, "/public-clouds").await.json()["total"], 20);
        assert_eq!(
            get(&server, "/public-clouds/123456/data-centers").await.json()["datacenters"].as_array().unwrap().len(),
            1
        );
        server.standin.shutdown().await.unwrap();
    }
    std::fs::remove_dir_all(dir).ok();
}

fn entity(id: i64) -> CompanyService {
    CompanyService {
        kind: Resource::PublicClouds,
        id,
        created: format!("2015-01-01 00:{:02}:{:02}", (id / 60) % 60, id % 60),
        last_edited: "2015-01-01 00:00:00".into(),
        name: Some(format!("cloud {:06}", (id * 7919) % 1_000_003)),
        slug: None,
        overview: None,
        call2action_uri: None,
        active: id % 3 != 0,
        company_id: 0,
    }
}

async fn time_pages(store: &MarketplaceStore, total: i64) {
    for (label, query) in [
        (
            "page 1 by date",
            ListQuery { page: 1, per_page: 10, status: StatusFilter::All, sort: SortKey::Date, descending: false },
        ),
        (
            "page 1 active by name desc",
            ListQuery { page: 1, per_page: 10, status: StatusFilter::Active, sort: SortKey::Name, descending: true },
        ),
        (
            "last page by date",
            ListQuery {
                page: total / 10,
                per_page: 10,
                status: StatusFilter::All,
                sort: SortKey::Date,
                descending: false,
            },
        ),
        (
            "middle page inactive by name",
            ListQuery {
                page: total / 60,
                per_page: 10,
                status: StatusFilter::NonActive,
                sort: SortKey::Name,
                descending: false,
            },
        ),
    ] {
        let rounds = 200;
        let started = Instant::now();
        for _ in 0..rounds {
            store.count(Resource::PublicClouds, query.status).await.unwrap();
            store.page(Resource::PublicClouds, &query).await.unwrap();
        }
        println!(
            "{total:>7} entries, {label:<28}: {:>7.1} µs per page",
            started.elapsed().as_micros() as f64 / rounds as f64
        );
    }
}

#[tokio::test]
#[ignore = "a measurement, not a check: run it with --ignored --nocapture"]
async fn page_cost_as_the_store_grows() {
    let pool = open(&StorageLocation::Ephemeral).await.unwrap();
    let store = MarketplaceStore::new(pool);
    let mut loaded: i64 = 0;
    for target in [100, 10_000, 100_000] {
        let batch: Vec<CompanyService> = (loaded + 1..=target).map(entity).collect();
        store.insert_services(&batch).await.unwrap();
        loaded = target;
        time_pages(&store, target).await;
    }
}

/// Paging gives exactly the sorted list, for every filter, order and direction (ties broken by id
/// in the direction of the sort), with entries added in several batches.
#[tokio::test]
async fn pages_are_the_sorted_list() {
    // On whichever database the suite runs on (SQLite, or PostgreSQL in ci/test's second run).
    let pool = open(&standin::config::Config::ephemeral_for_tests().storage).await.unwrap();
    let store = MarketplaceStore::new(pool);
    let mut all: Vec<CompanyService> = (1..=137).map(entity).collect();
    // Ties: same `Created` and same name (different case) for some entries.
    all[5].created = all[6].created.clone();
    all[7].name = Some("Same".into());
    all[8].name = Some("same".into());
    all[9].name = None;
    store.insert_services(&all[..60]).await.unwrap();
    store.insert_services(&all[60..]).await.unwrap();
    for status in [StatusFilter::All, StatusFilter::Active, StatusFilter::NonActive] {
        for sort in [SortKey::Date, SortKey::Name] {
            for descending in [false, true] {
                let mut expected: Vec<&CompanyService> = all
                    .iter()
                    .filter(|e| match status {
                        StatusFilter::All => true,
                        StatusFilter::Active => e.active,
                        StatusFilter::NonActive => !e.active,
                    })
                    .collect();
                expected.sort_by(|a, b| {
                    // SQLite sorts a NULL name first, as `None < Some`.
                    let key = |e: &CompanyService| match sort {
                        SortKey::Date => Some(e.created.clone()),
                        SortKey::Name => e.name.as_ref().map(|n| n.to_lowercase()),
                    };
                    (key(a), a.id).cmp(&(key(b), b.id))
                });
                if descending {
                    expected.reverse();
                }
                let expected: Vec<i64> = expected.iter().map(|e| e.id).collect();
                let total = store.count(Resource::PublicClouds, status).await.unwrap();
                assert_eq!(total, expected.len() as i64);
                let mut paged = Vec::new();
                for page in 1..=(total / 10 + 2) {
                    let query = ListQuery { page, per_page: 10, status, sort, descending };
                    paged.extend(store.page(Resource::PublicClouds, &query).await.unwrap().iter().map(|e| e.id));
                }
                assert_eq!(paged, expected, "{status:?} {sort:?} descending={descending}");
            }
        }
    }
}
