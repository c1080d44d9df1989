//! `GET /deployments`: who sees what (`createdBy`, `userGroup`, administrators), and paging (defaults, caps,
//! metadata, links in the real order).

use serde_json::{Value, json};
use standin::orchestrator::auth::{ADMIN_TOKEN, COLLEAGUE_TOKEN, OTHER_ORG_TOKEN};

use super::{Orchestrator, TEMPLATE, error};
use crate::harness::TestStandin;

fn ids(page: &Value) -> Vec<String> {
    page["content"].as_array().unwrap().iter().map(|d| d["uuid"].as_str().unwrap().to_string()).collect()
}

fn rels(page: &Value) -> Vec<String> {
    page["links"].as_array().unwrap().iter().map(|l| l["rel"].as_str().unwrap().to_string()).collect()
}

#[tokio::test]
async fn users_see_their_own_admins_see_the_organisation() {
    let server = TestStandin::start().await;
    let user = Orchestrator::new(&server);
    let colleague = Orchestrator::as_token(&server, COLLEAGUE_TOKEN);
    let mine = user.create_with(json!({"template": TEMPLATE, "userGroup": "beta"})).await;
    let theirs = colleague.create(TEMPLATE).await;
    Orchestrator::as_token(&server, OTHER_ORG_TOKEN).create(TEMPLATE).await;

    let (status, page) = user.get_json("/deployments").await;
    assert_eq!((status, ids(&page)), (200, vec![mine.clone()]));
    assert_eq!(ids(&user.get_json("/deployments?createdBy=me").await.1), vec![mine.clone()]);
    let admin = Orchestrator::as_token(&server, ADMIN_TOKEN);
    assert_eq!(ids(&admin.get_json("/deployments").await.1), vec![theirs.clone(), mine.clone()]);
    assert_eq!(
        ids(&admin.get_json("/deployments?createdBy=standin-colleague@https://iam.standin.local/").await.1),
        vec![theirs.clone()]
    );
    assert_eq!(ids(&admin.get_json("/deployments?userGroup=beta").await.1), vec![mine.clone()]);
    assert_eq!(ids(&user.get_json("/deployments?userGroup=other").await.1), Vec::<String>::new());

    let (status, body) = user.get_json("/deployments?createdBy=standin-colleague@https://iam.standin.local/").await;
    assert_eq!(
        (status, body),
        (
            403,
            error(
                403,
                "Forbidden",
                "Only admin can retrieve deployments for standin-colleague@https://iam.standin.local/"
            )
        )
    );
    let (status, body) = user.get_json("/deployments?createdBy=nobody").await;
    assert_eq!((status, body), (400, error(400, "Bad Request", "Value nobody for param createdBy is illegal")));
    // Own subject: allowed (only the subject is compared).
    let (status, page) = user.get_json("/deployments?createdBy=standin-user@https://iam.standin.local/").await;
    assert_eq!((status, ids(&page)), (200, vec![mine]));
}

#[tokio::test]
async fn a_middle_page_has_first_prev_self_next_last() {
    let server = TestStandin::start().await;
    let user = Orchestrator::new(&server);
    for _ in 0..5 {
        user.create(TEMPLATE).await;
    }
    let (status, page) = user.get_json("/deployments?page=1&size=2").await;
    assert_eq!(status, 200);
    assert_eq!(rels(&page), ["first", "prev", "self", "next", "last"]);
    let base = user.url("/deployments");
    let hrefs: Vec<&str> = page["links"].as_array().unwrap().iter().map(|l| l["href"].as_str().unwrap()).collect();
    assert_eq!(
        hrefs,
        [
            format!("{base}?page=0&size=2&sort=createdAt,desc"),
            format!("{base}?page=0&size=2&sort=createdAt,desc"),
            base.clone(),
            format!("{base}?page=2&size=2&sort=createdAt,desc"),
            format!("{base}?page=2&size=2&sort=createdAt,desc"),
        ]
    );
    assert_eq!(page["page"], json!({"size": 2, "totalElements": 5, "totalPages": 3, "number": 1}));
    assert_eq!(ids(&page).len(), 2);
}

#[tokio::test]
async fn paging_values_are_read_leniently_and_capped() {
    let server = TestStandin::start().await;
    let user = Orchestrator::new(&server);
    let first = user.create(TEMPLATE).await;
    let second = user.create(TEMPLATE).await;
    let (_, page) = user.get_json("/deployments?size=abc&page=-3").await;
    assert_eq!(page["page"], json!({"size": 10, "totalElements": 2, "totalPages": 1, "number": 0}));
    assert_eq!(rels(&page), ["self"]);
    let (_, page) = user.get_json("/deployments?size=5000").await;
    assert_eq!(page["page"]["size"], 2000);
    let (_, page) = user.get_json("/deployments?page=7").await;
    assert_eq!(page["page"], json!({"size": 10, "totalElements": 2, "totalPages": 1, "number": 7}));
    assert_eq!(ids(&page), Vec::<String>::new());
    assert_eq!(rels(&page), ["first", "prev", "self", "last"]);
    assert_eq!(ids(&user.get_json("/deployments").await.1), vec![second.clone(), first.clone()]);
    assert_eq!(ids(&user.get_json("/deployments?sort=createdAt,asc").await.1), vec![first.clone(), second.clone()]);
    assert_eq!(ids(&user.get_json("/deployments?sort=createdAt").await.1), vec![first, second]);
}

#[tokio::test]
async fn an_unknown_sort_property_is_400_or_the_real_500() {
    let server = TestStandin::start().await;
    let (status, body) = Orchestrator::new(&server).get_json("/deployments?sort=colour").await;
    assert_eq!((status, body), (400, error(400, "Bad Request", "No property colour found for type Deployment!")));
    let server = TestStandin::start_with(|c| c.orchestrator.real_500s = true).await;
    let (status, _) = Orchestrator::new(&server).get_json("/deployments?sort=colour").await;
    assert_eq!(status, 500);
}

#[tokio::test]
async fn without_a_token_401() {
    let server = TestStandin::start().await;
    let (status, body) = Orchestrator::anonymous(&server).get_json("/deployments").await;
    assert_eq!(
        (status, body),
        (401, error(401, "Unauthorized", "Full authentication is required to access this resource"))
    );
    // The `access_token` query parameter works as well.
    let resp = server
        .http
        .get(server.url(standin::config::ApiKind::Orchestrator, "/deployments?access_token=orchestrator-user-token"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 200);
}

#[tokio::test]
async fn totals_follow_creates_and_deletes() {
    let server = TestStandin::start().await;
    let user = Orchestrator::new(&server);
    let admin = Orchestrator::as_token(&server, ADMIN_TOKEN);
    let mut created = Vec::new();
    for _ in 0..3 {
        created.push(user.create(TEMPLATE).await);
    }
    admin.create(TEMPLATE).await;
    let (status, _) = user.call(reqwest::Method::DELETE, &format!("/deployments/{}", created[1]), &Value::Null).await;
    assert_eq!(status, 204);
    assert_eq!(user.get_json("/deployments").await.1["page"]["totalElements"], 2);
    assert_eq!(admin.get_json("/deployments").await.1["page"]["totalElements"], 3);
    assert_eq!(admin.get_json("/deployments?createdBy=me").await.1["page"]["totalElements"], 1);
    let (_, page) = user.get_json("/deployments?size=1").await;
    assert_eq!(page["page"], json!({"size": 1, "totalElements": 2, "totalPages": 2, "number": 0}));
    assert_eq!(ids(&page), vec![created[2].clone()]);
}
