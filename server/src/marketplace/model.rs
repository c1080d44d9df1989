//! The marketplace's entities, as the real service's tables hold them (SilverStripe's
//! `CompanyService`, `DataCenterRegion`, `DataCenterLocation` and `Office`), with only the columns
//! the API shows. Timestamps are the database text `YYYY-MM-DD HH:MM:SS`; coordinates are the
//! `decimal(9,2)` text (`"33.45"`), kept as text so they are sent exactly as stored.

use super::endpoints::Resource;

/// A public cloud, private cloud or consultant (one shape, told apart by its resource family).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CompanyService {
    pub kind: Resource,
    pub id: i64,
    pub created: String,
    pub last_edited: String,
    pub name: Option<String>,
    pub slug: Option<String>,
    /// HTML text.
    pub overview: Option<String>,
    pub call2action_uri: Option<String>,
    pub active: bool,
    /// 0 when unset.
    pub company_id: i64,
}

/// A data center region of a cloud, with its locations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataCenterRegion {
    pub id: i64,
    pub created: String,
    pub last_edited: String,
    pub name: Option<String>,
    pub endpoint: Option<String>,
    pub color: Option<String>,
    pub locations: Vec<DataCenterLocation>,
}

/// A data center location of a region.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DataCenterLocation {
    pub id: i64,
    pub created: String,
    pub last_edited: String,
    pub city: Option<String>,
    pub state: Option<String>,
    pub country: Option<String>,
    pub lat: String,
    pub lng: String,
}

/// An office of a consultant.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Office {
    pub id: i64,
    pub created: String,
    pub last_edited: String,
    pub address: Option<String>,
    pub address2: Option<String>,
    pub state: Option<String>,
    pub zip_code: Option<String>,
    pub city: Option<String>,
    pub country: Option<String>,
    pub lat: String,
    pub lng: String,
}

/// One page of a list: the entries, where the page sits, and its neighbours' numbers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Page {
    pub position: super::paging::PagePosition,
    pub next_page: Option<i64>,
    pub prev_page: Option<i64>,
    pub items: Vec<CompanyService>,
}
