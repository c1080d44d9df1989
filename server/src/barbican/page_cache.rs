//! Finished list pages, kept so that reading the same page again costs no database round trip.
//!
//! A page of orders is the most-read answer of the API and, through sqlx's SQLite worker threads,
//! the most expensive one (two queries, a thread hand-off each, and a JSON body built from rows).
//! This keeps the serialized body of recent pages, each stamped with the store generation it was
//! read at: any committed change bumps the generation ([`super::store::OrderStore::generation`]),
//! so a page read before a change is never served after it. A page holding a PENDING order is not
//! kept, because reading it may be what moves the order on.
//!
//! The cache is bounded: past [`CAPACITY`] pages it starts again empty.

use std::collections::HashMap;
use std::sync::Mutex;

use super::paging::Paging;

/// The most pages kept at once.
pub const CAPACITY: usize = 4096;

/// What identifies a page: whose, which slice, which filter.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PageKey {
    pub project_id: String,
    pub limit: i64,
    pub offset: i64,
    pub meta: Option<String>,
}

impl PageKey {
    pub fn new(project_id: &str, paging: Paging, meta: Option<&str>) -> Self {
        PageKey {
            project_id: project_id.to_string(),
            limit: paging.limit,
            offset: paging.offset,
            meta: meta.map(str::to_string),
        }
    }
}

/// Serialized pages by key, each with the generation it was read at.
#[derive(Debug)]
pub struct PageCache<V> {
    pages: Mutex<HashMap<PageKey, (u64, V)>>,
}

impl<V> Default for PageCache<V> {
    fn default() -> Self {
        PageCache { pages: Mutex::new(HashMap::new()) }
    }
}

impl<V: Clone> PageCache<V> {
    fn pages(&self) -> std::sync::MutexGuard<'_, HashMap<PageKey, (u64, V)>> {
        self.pages.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The page, if it was read at the current generation.
    pub fn get(&self, key: &PageKey, generation: u64) -> Option<V> {
        self.pages().get(key).filter(|(at, _)| *at == generation).map(|(_, page)| page.clone())
    }

    /// Keep a page read at `generation` (the generation taken *before* the read, so a change that
    /// raced with the read makes the page stale at once).
    pub fn put(&self, key: PageKey, generation: u64, page: V) {
        let mut pages = self.pages();
        if pages.len() >= CAPACITY && !pages.contains_key(&key) {
            pages.clear();
        }
        pages.insert(key, (generation, page));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(project: &str) -> PageKey {
        PageKey::new(project, Paging { limit: 10, offset: 0 }, None)
    }

    #[test]
    fn a_page_is_served_only_at_the_generation_it_was_read_at() {
        let cache = PageCache::default();
        cache.put(key("p1"), 7, "page");
        assert_eq!(cache.get(&key("p1"), 7), Some("page"));
        assert_eq!(cache.get(&key("p1"), 8), None, "a change since makes it stale");
        assert_eq!(cache.get(&key("p2"), 7), None);
    }

    #[test]
    fn the_cache_never_grows_past_its_capacity() {
        let cache = PageCache::default();
        for i in 0..CAPACITY + 10 {
            cache.put(key(&format!("p{i}")), 1, i);
        }
        assert!(cache.pages().len() <= CAPACITY);
        assert_eq!(cache.get(&key(&format!("p{}", CAPACITY + 9)), 1), Some(CAPACITY + 9));
    }
}
