//! `GET /deployments/{id}/template`: the template as sent, text/plain; readable by the organisation.

use standin::orchestrator::auth::{COLLEAGUE_TOKEN, OTHER_ORG_TOKEN};

use super::{Orchestrator, TEMPLATE};
use crate::harness::TestStandin;

#[tokio::test]
async fn the_template_comes_back_verbatim() {
    let server = TestStandin::start().await;
    let o = Orchestrator::new(&server);
    let id = o.create(TEMPLATE).await;
    let path = format!("/deployments/{id}/template");
    let resp =
        Orchestrator::as_token(&server, COLLEAGUE_TOKEN).request(reqwest::Method::GET, &path).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 200);
    assert_eq!(resp.headers()["content-type"], "text/plain;charset=UTF-8");
    assert_eq!(resp.text().await.unwrap(), TEMPLATE);
    assert_eq!(Orchestrator::as_token(&server, OTHER_ORG_TOKEN).get_json(&path).await.0, 404);
}
