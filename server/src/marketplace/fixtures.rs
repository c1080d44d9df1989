//! `--fixtures docs`: the data behind every example of the reference document (003), so each
//! documented request gets the documented answer.
//!
//! - 20 entries of each kind, so the first page of each list is the documented page (`total` 20,
//!   `per_page` 10, `last_page` 2, `from` 1, `to` 10). Its first entry is the documented one, with
//!   id 1 for the document's `YYYY` and company 1 for `XXX` (as the contract's examples, M1 to M3):
//!   it shares its `Created` with entity 123456 and the id breaks the tie.
//! - Entity 123456 of each kind, as the "get" examples show it.
//! - The documented region 72 with location 109 for clouds 123456 (public and private), and the
//!   documented office 45 for consultant 123456. Entity 1 of each kind has none, which gives the
//!   contract's `{"datacenters":[]}` and `{"offices":[]}` JSON-P examples.
//!
//! Loading is idempotent: what is already there is kept.

use super::endpoints::Resource;
use super::model::{CompanyService, DataCenterLocation, DataCenterRegion, Office};
use super::store::MarketplaceStore;

/// The id of the documented entity of each kind.
pub const DOCUMENTED_ID: i64 = 123456;
/// The id standing for the document's `YYYY` placeholder in the list examples.
pub const FIRST_LISTED_ID: i64 = 1;
/// How many entries of each kind the fixtures hold.
pub const ENTRIES_PER_KIND: i64 = 20;

/// The undocumented entries of each kind have ids from these plus 1 (so an id names one kind only).
pub const PUBLIC_CLOUD_IDS: i64 = 1000;
pub const PRIVATE_CLOUD_IDS: i64 = 2000;
pub const CONSULTANT_IDS: i64 = 3000;
/// How many entries of each kind are inactive (every sixth undocumented one).
pub const INACTIVE_PER_KIND: i64 = 3;

const CREATED: &str = "2014-04-23 05:36:10";
const LAST_EDITED: &str = "2015-02-04 11:13:58";

struct Documented {
    kind: Resource,
    /// The list example's entry: name, slug.
    listed: (&'static str, &'static str),
    /// The get example's entry: name, slug, call-to-action.
    item: (&'static str, &'static str, &'static str),
}

const DOCUMENTED: [Documented; 3] = [
    Documented {
        kind: Resource::PublicClouds,
        listed: ("Next-Generation AgileCLOUD", "next-generation-agilecloud"),
        item: ("test public cloud", "test-public-cloud", "http://.../"),
    },
    Documented {
        kind: Resource::PrivateClouds,
        listed: ("test private cloud", "test-private-cloud"),
        item: ("test private cloud", "test-private-cloud", "http://.."),
    },
    Documented {
        kind: Resource::Consultants,
        listed: ("Consultant Name", "consultant-name"),
        item: ("Consultant Name", "consultant_name", "http://..."),
    },
];

/// An active entity; `texts` are its name, slug, overview and call-to-action.
fn service(kind: Resource, id: i64, created: &str, texts: [&str; 4], company_id: i64) -> CompanyService {
    let [name, slug, overview, call2action] = texts;
    CompanyService {
        kind,
        id,
        created: created.into(),
        last_edited: LAST_EDITED.into(),
        name: Some(name.into()),
        slug: Some(slug.into()),
        overview: Some(overview.into()),
        call2action_uri: Some(call2action.into()),
        active: true,
        company_id,
    }
}

/// The documented region (003:block7 and block13).
pub fn documented_region() -> DataCenterRegion {
    DataCenterRegion {
        id: 72,
        created: "2014-05-07 15:19:39".into(),
        last_edited: "2014-05-07 15:19:39".into(),
        name: Some("West".into()),
        endpoint: Some("https://identity.uswest1.cloud.io.com/v2.0".into()),
        color: Some("000000".into()),
        locations: vec![DataCenterLocation {
            id: 109,
            created: "2014-05-07 15:19:39".into(),
            last_edited: "2014-05-07 15:19:39".into(),
            city: Some("Phoenix".into()),
            state: Some("AZ".into()),
            country: Some("US".into()),
            lat: "33.45".into(),
            lng: "-112.07".into(),
        }],
    }
}

/// The documented office (003:block19).
pub fn documented_office() -> Office {
    Office {
        id: 45,
        created: "2014-04-29 16:02:50".into(),
        last_edited: "2014-04-29 16:02:50".into(),
        address: None,
        address2: None,
        state: Some("CA".into()),
        zip_code: None,
        city: Some("Mountain View".into()),
        country: Some("US".into()),
        lat: "37.39".into(),
        lng: "-122.08".into(),
    }
}

/// Every fixture entity, in load order.
pub fn docs_services() -> Vec<CompanyService> {
    let mut all = Vec::new();
    for doc in &DOCUMENTED {
        let (name, slug) = doc.listed;
        all.push(service(doc.kind, FIRST_LISTED_ID, CREATED, [name, slug, "....", "http://...."], 1));
        let (name, slug, call2action) = doc.item;
        all.push(service(doc.kind, DOCUMENTED_ID, CREATED, [name, slug, "lorep ip sum", call2action], DOCUMENTED_ID));
        // 18 more, created later, so the documented two open the first page; every sixth is
        // inactive (for `status`), and their ids are their kind's own (for the 404 across kinds).
        for n in 1..=ENTRIES_PER_KIND - 2 {
            let (noun, first_id) = match doc.kind {
                Resource::PublicClouds => ("public cloud", PUBLIC_CLOUD_IDS),
                Resource::PrivateClouds => ("private cloud", PRIVATE_CLOUD_IDS),
                Resource::Consultants => ("consultant", CONSULTANT_IDS),
            };
            let name = format!("Example {noun} {n:02}");
            let slug = name.to_lowercase().replace(' ', "-");
            let created = format!("2014-05-{n:02} 09:00:00");
            let mut entry = service(
                doc.kind,
                first_id + n,
                &created,
                [&name, &slug, "<p>An example entry.</p>", "https://www.openstack.org/marketplace/"],
                100 + n,
            );
            entry.active = n % 6 != 0;
            all.push(entry);
        }
    }
    all
}

/// Load the documented data; returns how many entities were added.
pub async fn load_docs(store: &MarketplaceStore) -> anyhow::Result<usize> {
    let added = store.insert_services(&docs_services()).await?;
    for kind in [Resource::PublicClouds, Resource::PrivateClouds] {
        store.insert_region(kind, DOCUMENTED_ID, &documented_region()).await?;
    }
    store.insert_office(DOCUMENTED_ID, &documented_office()).await?;
    Ok(added)
}
