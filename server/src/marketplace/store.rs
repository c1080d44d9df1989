//! Storage of the marketplace (migrations `0003_marketplace.sql`, see [`crate::storage`]).
//!
//! A page is one index scan: each (filter, order) a list can ask for has its index (sort key, then
//! id as the tie-break, in the same direction, so one index serves both directions), and `total`
//! comes from a per-(kind, active) count kept in the transaction of every insert, not from counting
//! rows. So the first pages cost the same however many entries the store holds; SQLite's `OFFSET`
//! still steps over the entries before a page, so a deep page of a big store costs more (measured:
//! see `contract-tests/tests/it/marketplace/storage.rs`). Inserts are idempotent (`INSERT OR
//! IGNORE`), so the fixtures can be loaded at every start of a persistent store.

use sqlx::any::AnyRow;
use sqlx::{AnyPool, Row};

use crate::storage::{Backend, Database};

use super::endpoints::Resource;
use super::model::{CompanyService, DataCenterLocation, DataCenterRegion, Office};
use super::paging::{ListQuery, SortKey, StatusFilter};

fn kind_text(kind: Resource) -> &'static str {
    match kind {
        Resource::PublicClouds => "public_cloud",
        Resource::PrivateClouds => "private_cloud",
        Resource::Consultants => "consultant",
    }
}

const SERVICE_COLUMNS: &str = "id, created, last_edited, name, slug, overview, call2action_uri, active, company_id";

fn service_from_row(kind: Resource, row: &AnyRow) -> Result<CompanyService, sqlx::Error> {
    Ok(CompanyService {
        kind,
        id: row.try_get("id")?,
        created: row.try_get("created")?,
        last_edited: row.try_get("last_edited")?,
        name: row.try_get("name")?,
        slug: row.try_get("slug")?,
        overview: row.try_get("overview")?,
        call2action_uri: row.try_get("call2action_uri")?,
        active: row.try_get::<i64, _>("active")? != 0,
        company_id: row.try_get("company_id")?,
    })
}

fn active_value(status: StatusFilter) -> Option<i64> {
    match status {
        StatusFilter::All => None,
        StatusFilter::Active => Some(1),
        StatusFilter::NonActive => Some(0),
    }
}

/// The query of one page: the filter, then the sort key and the id in one direction, so one index
/// serves the page forwards or backwards.
/// Names sort case-insensitively for ASCII, nulls first going up, on either database (its index
/// is built on the same expression).
fn page_sql(backend: Backend, query: &ListQuery) -> String {
    let direction = if query.descending { "DESC" } else { "ASC" };
    let order = match (query.sort, backend) {
        (SortKey::Date, _) => format!("created {direction}, id {direction}"),
        (SortKey::Name, Backend::Sqlite) => format!("name COLLATE NOCASE {direction}, id {direction}"),
        (SortKey::Name, Backend::Postgres) => {
            let nulls = if query.descending { "LAST" } else { "FIRST" };
            format!("lower(name) COLLATE \"C\" {direction} NULLS {nulls}, id {direction}")
        }
    };
    let filter = match query.status {
        StatusFilter::All => "",
        StatusFilter::Active => " AND active = 1",
        StatusFilter::NonActive => " AND active = 0",
    };
    format!(
        "SELECT {SERVICE_COLUMNS} FROM marketplace_company_services WHERE kind = $1{filter} ORDER BY {order} LIMIT $2 OFFSET $3"
    )
}

/// The marketplace's entities.
#[derive(Clone)]
pub struct MarketplaceStore {
    pool: AnyPool,
    backend: Backend,
}

impl MarketplaceStore {
    pub fn new(db: Database) -> Self {
        MarketplaceStore { pool: db.pool, backend: db.backend }
    }

    /// Add company services (and count them) in one transaction, skipping any whose kind already
    /// has its id; how many were added.
    /// Remove every entry (services with their regions, locations and offices, and the counts kept
    /// for paging); returns how many services went.
    pub async fn remove_all(&self) -> anyhow::Result<u64> {
        let mut tx = self.pool.begin().await?;
        let services = sqlx::query("DELETE FROM marketplace_company_services").execute(&mut *tx).await?.rows_affected();
        for table in [
            "marketplace_service_counts",
            "marketplace_data_center_locations",
            "marketplace_data_center_regions",
            "marketplace_offices",
        ] {
            sqlx::query(sqlx::AssertSqlSafe(format!("DELETE FROM {table}"))).execute(&mut *tx).await?;
        }
        tx.commit().await?;
        Ok(services)
    }

    pub async fn insert_services(&self, services: &[CompanyService]) -> anyhow::Result<usize> {
        let mut tx = self.pool.begin().await?;
        let mut added = 0;
        for service in services {
            let kind = kind_text(service.kind);
            let inserted = sqlx::query(
                "INSERT INTO marketplace_company_services
                 (kind, id, created, last_edited, name, slug, overview, call2action_uri, active, company_id)
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT DO NOTHING",
            )
            .bind(kind)
            .bind(service.id)
            .bind(&service.created)
            .bind(&service.last_edited)
            .bind(&service.name)
            .bind(&service.slug)
            .bind(&service.overview)
            .bind(&service.call2action_uri)
            .bind(i64::from(service.active))
            .bind(service.company_id)
            .execute(&mut *tx)
            .await?
            .rows_affected()
                == 1;
            if inserted {
                added += 1;
                sqlx::query(
                    "INSERT INTO marketplace_service_counts (kind, active, services) VALUES ($1, $2, 1)
                     ON CONFLICT (kind, active) DO UPDATE SET services = marketplace_service_counts.services + 1",
                )
                .bind(kind)
                .bind(i64::from(service.active))
                .execute(&mut *tx)
                .await?;
            }
        }
        tx.commit().await?;
        Ok(added)
    }

    /// Add a region with its locations to a cloud, unless the cloud's kind already has a region with its id.
    pub async fn insert_region(
        &self,
        kind: Resource,
        cloud_id: i64,
        region: &DataCenterRegion,
    ) -> anyhow::Result<bool> {
        let mut tx = self.pool.begin().await?;
        let result: Option<i64> = sqlx::query_scalar(
            "INSERT INTO marketplace_data_center_regions
             (cloud_kind, cloud_id, id, created, last_edited, name, endpoint, color) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
             ON CONFLICT DO NOTHING RETURNING seq",
        )
        .bind(kind_text(kind))
        .bind(cloud_id)
        .bind(region.id)
        .bind(&region.created)
        .bind(&region.last_edited)
        .bind(&region.name)
        .bind(&region.endpoint)
        .bind(&region.color)
        .fetch_optional(&mut *tx)
        .await?;
        let Some(region_seq) = result else { return Ok(false) };
        for location in &region.locations {
            sqlx::query(
                "INSERT INTO marketplace_data_center_locations
                 (region_seq, id, created, last_edited, city, state, country, lat, lng) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
            )
            .bind(region_seq)
            .bind(location.id)
            .bind(&location.created)
            .bind(&location.last_edited)
            .bind(&location.city)
            .bind(&location.state)
            .bind(&location.country)
            .bind(&location.lat)
            .bind(&location.lng)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(true)
    }

    /// Add an office to a consultant, unless an office has its id.
    pub async fn insert_office(&self, consultant_id: i64, office: &Office) -> anyhow::Result<bool> {
        let result = sqlx::query(
            "INSERT INTO marketplace_offices
             (id, consultant_id, created, last_edited, address, address2, state, zip_code, city, country, lat, lng)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT DO NOTHING",
        )
        .bind(office.id)
        .bind(consultant_id)
        .bind(&office.created)
        .bind(&office.last_edited)
        .bind(&office.address)
        .bind(&office.address2)
        .bind(&office.state)
        .bind(&office.zip_code)
        .bind(&office.city)
        .bind(&office.country)
        .bind(&office.lat)
        .bind(&office.lng)
        .execute(&self.pool)
        .await?;
        Ok(result.rows_affected() == 1)
    }

    /// How many entries of a kind pass a status filter.
    ///
    /// Rows written around [`Self::insert_services`] (a control-plane state snapshot, a hand-written
    /// fixture) may come without their counters: a kind that has entries but no counter at all is
    /// counted once from its rows, and the counters are stored.
    pub async fn count(&self, kind: Resource, status: StatusFilter) -> anyhow::Result<i64> {
        let counters: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM marketplace_service_counts WHERE kind = $1")
            .bind(kind_text(kind))
            .fetch_one(&self.pool)
            .await?;
        if counters == 0 {
            sqlx::query(
                "INSERT INTO marketplace_service_counts (kind, active, services)
                 SELECT kind, active, COUNT(*) FROM marketplace_company_services WHERE kind = $1 GROUP BY kind, active ON CONFLICT DO NOTHING",
            )
            .bind(kind_text(kind))
            .execute(&self.pool)
            .await?;
        }
        let active = active_value(status);
        let total: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(services) AS BIGINT) FROM marketplace_service_counts WHERE kind = $1 AND ($2 IS NULL OR active = $3)",
        )
        .bind(kind_text(kind))
        .bind(active)
        .bind(active)
        .fetch_one(&self.pool)
        .await?;
        Ok(total.unwrap_or(0))
    }

    /// The entries of one page (at the requested offset, so a page beyond the last is empty).
    pub async fn page(&self, kind: Resource, query: &ListQuery) -> anyhow::Result<Vec<CompanyService>> {
        // The SQL is built from fixed fragments only (no request text).
        let rows = sqlx::query(sqlx::AssertSqlSafe(page_sql(self.backend, query)))
            .bind(kind_text(kind))
            .bind(query.per_page)
            .bind(query.offset())
            .fetch_all(&self.pool)
            .await?;
        Ok(rows.iter().map(|row| service_from_row(kind, row)).collect::<Result<_, _>>()?)
    }

    /// One entry of a kind.
    pub async fn get(&self, kind: Resource, id: i64) -> anyhow::Result<Option<CompanyService>> {
        let sql = format!("SELECT {SERVICE_COLUMNS} FROM marketplace_company_services WHERE kind = $1 AND id = $2");
        let row =
            sqlx::query(sqlx::AssertSqlSafe(sql)).bind(kind_text(kind)).bind(id).fetch_optional(&self.pool).await?;
        Ok(row.map(|row| service_from_row(kind, &row)).transpose()?)
    }

    /// A cloud's regions, each with its locations, in id order.
    pub async fn regions_of(&self, kind: Resource, cloud_id: i64) -> anyhow::Result<Vec<DataCenterRegion>> {
        let rows = sqlx::query(
            "SELECT r.id AS r_id, r.created AS r_created, r.last_edited AS r_last_edited, r.name, r.endpoint, r.color,
                    l.id AS l_id, l.created AS l_created, l.last_edited AS l_last_edited, l.city, l.state, l.country, l.lat, l.lng
             FROM marketplace_data_center_regions r
             LEFT JOIN marketplace_data_center_locations l ON l.region_seq = r.seq
             WHERE r.cloud_kind = $1 AND r.cloud_id = $2
             ORDER BY r.id, l.id",
        )
        .bind(kind_text(kind))
        .bind(cloud_id)
        .fetch_all(&self.pool)
        .await?;
        let mut regions: Vec<DataCenterRegion> = Vec::new();
        for row in rows {
            let region_id: i64 = row.try_get("r_id")?;
            if regions.last().is_none_or(|r| r.id != region_id) {
                regions.push(DataCenterRegion {
                    id: region_id,
                    created: row.try_get("r_created")?,
                    last_edited: row.try_get("r_last_edited")?,
                    name: row.try_get("name")?,
                    endpoint: row.try_get("endpoint")?,
                    color: row.try_get("color")?,
                    locations: Vec::new(),
                });
            }
            if let Some(location_id) = row.try_get::<Option<i64>, _>("l_id")? {
                let region = regions.last_mut().expect("pushed above");
                region.locations.push(DataCenterLocation {
                    id: location_id,
                    created: row.try_get("l_created")?,
                    last_edited: row.try_get("l_last_edited")?,
                    city: row.try_get("city")?,
                    state: row.try_get("state")?,
                    country: row.try_get("country")?,
                    lat: row.try_get("lat")?,
                    lng: row.try_get("lng")?,
                });
            }
        }
        Ok(regions)
    }

    /// A consultant's offices, in id order.
    pub async fn offices_of(&self, consultant_id: i64) -> anyhow::Result<Vec<Office>> {
        let rows = sqlx::query(
            "SELECT id, created, last_edited, address, address2, state, zip_code, city, country, lat, lng
             FROM marketplace_offices WHERE consultant_id = $1 ORDER BY id",
        )
        .bind(consultant_id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(Office {
                    id: row.try_get("id")?,
                    created: row.try_get("created")?,
                    last_edited: row.try_get("last_edited")?,
                    address: row.try_get("address")?,
                    address2: row.try_get("address2")?,
                    state: row.try_get("state")?,
                    zip_code: row.try_get("zip_code")?,
                    city: row.try_get("city")?,
                    country: row.try_get("country")?,
                    lat: row.try_get("lat")?,
                    lng: row.try_get("lng")?,
                })
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::{StorageLocation, open};

    #[tokio::test]
    async fn rows_written_without_their_counters_are_counted_from_the_rows() {
        let pool = open(&StorageLocation::Ephemeral).await.unwrap();
        for (id, active) in [(1, 1), (2, 1), (3, 0)] {
            sqlx::query(
                "INSERT INTO marketplace_company_services (kind, id, created, last_edited, active)
                 VALUES ('consultant', $1, '2015-01-01 00:00:00', '2015-01-01 00:00:00', $2)",
            )
            .bind(id)
            .bind(active)
            .execute(&pool.pool)
            .await
            .unwrap();
        }
        let store = MarketplaceStore::new(pool);
        assert_eq!(store.count(Resource::Consultants, StatusFilter::All).await.unwrap(), 3);
        assert_eq!(store.count(Resource::Consultants, StatusFilter::NonActive).await.unwrap(), 1);
        assert_eq!(store.count(Resource::PublicClouds, StatusFilter::All).await.unwrap(), 0);
    }

    /// Every (filter, order, direction) a list can ask for is one index scan: no table scan and no
    /// sort of the matching rows (`USE TEMP B-TREE`), so a first page costs the same in a bigger store.
    #[tokio::test]
    async fn every_page_query_is_an_index_scan_without_a_sort() {
        let pool = open(&StorageLocation::Ephemeral).await.unwrap();
        for status in [StatusFilter::All, StatusFilter::Active, StatusFilter::NonActive] {
            for sort in [SortKey::Date, SortKey::Name] {
                for descending in [false, true] {
                    let query = ListQuery { page: 3, per_page: 10, status, sort, descending };
                    let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
                        "EXPLAIN QUERY PLAN {}",
                        page_sql(Backend::Sqlite, &query)
                    )))
                    .bind("public_cloud")
                    .bind(10)
                    .bind(20)
                    .fetch_all(&pool.pool)
                    .await
                    .unwrap();
                    let details: Vec<String> = rows.iter().map(|r| r.get::<String, _>("detail")).collect();
                    let text = details.join(" | ");
                    assert!(text.contains("USING INDEX") || text.contains("USING COVERING INDEX"), "{query:?}: {text}");
                    assert!(!text.contains("TEMP B-TREE"), "{query:?} sorts: {text}");
                }
            }
        }
    }
}
