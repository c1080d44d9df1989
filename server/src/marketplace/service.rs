//! What each operation does: validate, look up, page. Independent of HTTP (the handlers translate)
//! and of SQL (the store queries).

use super::endpoints::Resource;
use super::error::MarketplaceError;
use super::model::{CompanyService, DataCenterRegion, Office, Page};
use super::paging::{RawListQuery, validate};
use super::store::MarketplaceStore;

/// How a path id is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum IdReading {
    /// All digits, or no entity (the documented `(int:id)`).
    #[default]
    Digits,
    /// MySQL's string-to-number coercion, as the real service's `WHERE ID = '<segment>'`: the leading
    /// digits count (`17abc` is 17), no leading digits is 0.
    MysqlCoercion,
}

impl IdReading {
    pub fn read(self, raw: &str) -> Option<i64> {
        match self {
            IdReading::Digits if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) => raw.parse().ok(),
            IdReading::Digits => None,
            IdReading::MysqlCoercion => {
                let trimmed = raw.trim_start();
                let digits: String = trimmed.chars().take_while(char::is_ascii_digit).collect();
                digits.parse().ok().or(Some(0))
            }
        }
    }
}

/// The marketplace's operations.
#[derive(Clone)]
pub struct MarketplaceService {
    store: MarketplaceStore,
    ids: IdReading,
}

impl MarketplaceService {
    pub fn new(store: MarketplaceStore, ids: IdReading) -> Self {
        MarketplaceService { store, ids }
    }

    pub fn store(&self) -> &MarketplaceStore {
        &self.store
    }

    /// One page of a kind's entries, or the 412 messages.
    pub async fn list(&self, kind: Resource, raw: &RawListQuery) -> Result<Page, MarketplaceError> {
        let query = validate(raw).map_err(MarketplaceError::Validation)?;
        let total = self.store.count(kind, query.status).await?;
        let items = self.store.page(kind, &query).await?;
        let position = query.position(total, items.len() as i64);
        Ok(Page {
            position,
            next_page: (position.last_page > position.current_page).then_some(position.current_page + 1),
            prev_page: (position.current_page > 1).then_some(position.current_page - 1),
            items,
        })
    }

    async fn find(&self, kind: Resource, raw_id: &str) -> Result<CompanyService, MarketplaceError> {
        let id = self.ids.read(raw_id).ok_or(MarketplaceError::EntityNotFound)?;
        self.store.get(kind, id).await?.ok_or(MarketplaceError::EntityNotFound)
    }

    /// One entry of a kind.
    pub async fn get(&self, kind: Resource, raw_id: &str) -> Result<CompanyService, MarketplaceError> {
        self.find(kind, raw_id).await
    }

    /// A cloud's data center regions (404 when the cloud is not of this kind).
    pub async fn data_centers(&self, kind: Resource, raw_id: &str) -> Result<Vec<DataCenterRegion>, MarketplaceError> {
        let cloud = self.find(kind, raw_id).await?;
        Ok(self.store.regions_of(kind, cloud.id).await?)
    }

    /// A consultant's offices (404 when there is no such consultant).
    pub async fn offices(&self, raw_id: &str) -> Result<Vec<Office>, MarketplaceError> {
        let consultant = self.find(Resource::Consultants, raw_id).await?;
        Ok(self.store.offices_of(consultant.id).await?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_digits_unless_mysql_coercion_is_asked_for() {
        assert_eq!(IdReading::Digits.read("17"), Some(17));
        assert_eq!(IdReading::Digits.read("17abc"), None);
        assert_eq!(IdReading::Digits.read("-1"), None);
        assert_eq!(IdReading::Digits.read("99999999999999999999"), None);
        assert_eq!(IdReading::MysqlCoercion.read("17abc"), Some(17));
        assert_eq!(IdReading::MysqlCoercion.read("abc"), Some(0));
    }
}
