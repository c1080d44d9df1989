//! `--fixtures docs`: the orders the reference documents show, so each documented request
//! returns the documented response.
//!
//! The documents cannot all hold in one project: the documented list (000/001) shows exactly two
//! orders, `total: 2`, while the documented GET shows a third. So the third lives in a second
//! project, reached with its own token ([`SECOND_TOKEN`]). The 2014 edition's orders (002) live in
//! tenant `12345`, the `X-Project-Id` of its curl example.
//!
//! Loading is idempotent: fixtures already present (by id) are left as they are.

use chrono::NaiveDateTime;
use serde_json::{Map, Value, json};
use uuid::Uuid;

use super::auth::{DEFAULT_PROJECT, DEFAULT_USER, TokenGrant, Tokens};
use super::model::{Order, OrderType, Outcome};
use super::store::{OrderStore, Secret};

/// The project of the documented GET example, and a token for it.
pub const SECOND_PROJECT: &str = "demo-project-2";
pub const SECOND_TOKEN: &str = "standin-barbican-token-2";
/// The tenant of the 2014 example.
pub const TENANT_2014: &str = "12345";

/// Tokens that reach every fixture project.
pub fn add_fixture_tokens(tokens: &mut Tokens) {
    tokens.tokens.entry(SECOND_TOKEN.into()).or_insert(TokenGrant {
        project_id: SECOND_PROJECT.into(),
        user_id: Some(DEFAULT_USER.into()),
        roles: vec!["admin".into()],
    });
}

struct DocOrder {
    project: &'static str,
    id: &'static str,
    secret: &'static str,
    created: &'static str,
    updated: &'static str,
    creator: Option<&'static str>,
    meta: Value,
}

fn current_meta() -> Value {
    json!({"name": "secretname", "algorithm": "AES", "bit_length": 256, "mode": "cbc",
           "payload_content_type": "application/octet-stream", "expiration": null})
}

fn meta_2014() -> Value {
    json!({"name": "secretname", "algorithm": "aes", "payload_content_type": "application/octet-stream",
           "expiration": null, "bit_length": 256, "mode": "cbc"})
}

fn documented_orders() -> Vec<DocOrder> {
    let current = |project, id, secret, at| DocOrder {
        project,
        id,
        secret,
        created: at,
        updated: at,
        creator: Some(DEFAULT_USER),
        meta: current_meta(),
    };
    let v2014 = |id, secret, created, updated| DocOrder {
        project: TENANT_2014,
        id,
        secret,
        created,
        updated,
        creator: None,
        meta: meta_2014(),
    };
    vec![
        // 000:38 / 001:47, the documented list.
        current(
            DEFAULT_PROJECT,
            "2284ba6f-f964-4de7-b61e-c413df5d1e47",
            "15dcf8e4-3138-4360-be9f-fc4bc2e64a19",
            "2015-10-20T18:38:44.000000",
        ),
        current(
            DEFAULT_PROJECT,
            "87b7169e-3aa2-4cb1-8800-b5aadf6babd1",
            "80183f4b-c0de-4a94-91ad-6d55251acee2",
            "2015-10-20T18:38:47.000000",
        ),
        // 000:241 / 001:245, the documented GET.
        current(
            SECOND_PROJECT,
            "5443d349-fe0c-4bfd-bd9d-99c4a9770638",
            "16f8d4f3-d3dd-4160-a5bd-8e5095a42613",
            "2015-10-20T18:49:02.000000",
        ),
        // 002:61, the 2014 list.
        v2014(
            "c8a154dc-5816-49ac-9016-6a9030fc2449",
            "15108db8-4505-4c5b-96b9-a9838951f28f",
            "2014-08-25T20:42:59.793193",
            "2014-08-25T20:43:01.563865",
        ),
        v2014(
            "240e7679-4178-43fd-b673-96fa73f33598",
            "f74a51d2-99a8-423a-8cea-2bf10b263584",
            "2014-08-25T21:18:33.484137",
            "2014-08-25T21:18:35.886867",
        ),
        v2014(
            "af64236a-ba34-4fa5-96ad-c112a662de65",
            "5fca3629-9f78-4e23-b5ab-15497043c867",
            "2014-08-25T21:31:07.395485",
            "2014-08-25T21:31:07.622288",
        ),
    ]
}

fn time(s: &str) -> NaiveDateTime {
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f").expect("fixture timestamps are valid")
}

/// Load the documented orders (and their secrets) into the store.
pub async fn load_docs(store: &OrderStore) -> anyhow::Result<usize> {
    let mut loaded = 0;
    for doc in documented_orders() {
        let id = Uuid::parse_str(doc.id)?;
        if store.exists(&id).await? {
            continue;
        }
        let meta: Map<String, Value> = doc.meta.as_object().cloned().unwrap_or_default();
        let created = time(doc.created);
        let updated = time(doc.updated);
        let order =
            Order::new_pending(id, doc.project, OrderType::Key, meta.clone(), doc.creator.map(str::to_string), created);
        let secret_id = Uuid::parse_str(doc.secret)?;
        // The documented secrets have no documented material; 32 deterministic bytes stand in.
        let payload = secret_id.as_bytes().iter().chain(id.as_bytes()).copied().collect();
        let text = |k: &str| meta.get(k).and_then(Value::as_str).map(str::to_string);
        let secret = Secret {
            id: secret_id,
            project_id: doc.project.into(),
            name: text("name"),
            secret_type: "symmetric".into(),
            algorithm: text("algorithm"),
            bit_length: Some(256),
            mode: text("mode"),
            expiration: None,
            content_type: "application/octet-stream".into(),
            creator_id: doc.creator.map(str::to_string),
            created,
            updated,
            payload,
        };
        store.insert(&order, None, None).await?;
        store.complete(&id, &Outcome::Secret(secret_id), &[secret], None, updated).await?;
        loaded += 1;
    }
    Ok(loaded)
}
