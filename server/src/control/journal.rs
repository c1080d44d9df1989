//! The request journal: the last N requests every listener answered (method, path, status,
//! latency), for tests and people who want to see what a client sent.
//!
//! It is a fixed-size ring: when it is full the oldest entry goes, so it never grows without limit
//! (WireMock's unbounded journal is its best-known memory problem). It records no headers, query
//! strings or bodies: those carry tokens and key material.

use std::collections::VecDeque;
use std::sync::Mutex;

use chrono::{DateTime, SecondsFormat, Utc};
use poem_openapi::Object;

use crate::config::ApiKind;

/// One answered request.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct JournalEntry {
    /// Position in the journal since start (or since it was last cleared), from 1.
    #[oai(validator(minimum(value = "1")))]
    pub seq: u64,
    /// When the answer was sent (RFC 3339, UTC, microseconds).
    pub at: String,
    /// The API whose listener answered.
    pub api: String,
    pub method: String,
    /// The path, without the query string.
    pub path: String,
    /// The contract operation the request was for, when it matched one.
    #[oai(skip_serializing_if_is_none)]
    pub operation_id: Option<String>,
    /// The answer's status; 0 when a fault rule dropped the connection.
    #[oai(validator(maximum(value = "599")))]
    pub status: u16,
    /// Time from request to response head, in microseconds.
    pub micros: u64,
}

/// What one listener saw of a request, before it becomes an entry.
pub struct Answered<'a> {
    pub api: ApiKind,
    pub method: &'a poem::http::Method,
    pub path: &'a str,
    pub status: u16,
    pub micros: u64,
}

/// An entry as kept: the parts that cost something to render (the time, the names) are rendered
/// only when somebody reads the journal, not on every request.
#[derive(Debug, Clone)]
struct Recorded {
    seq: u64,
    at: std::time::SystemTime,
    api: ApiKind,
    method: poem::http::Method,
    path: String,
    status: u16,
    micros: u64,
}

impl Recorded {
    fn entry(&self, operation_id: &impl Fn(ApiKind, &str, &str) -> Option<String>) -> JournalEntry {
        JournalEntry {
            seq: self.seq,
            at: DateTime::<Utc>::from(self.at).to_rfc3339_opts(SecondsFormat::Micros, true),
            api: self.api.name().to_string(),
            method: self.method.to_string(),
            path: self.path.clone(),
            operation_id: operation_id(self.api, self.method.as_str(), &self.path),
            status: self.status,
            micros: self.micros,
        }
    }
}

#[derive(Debug, Default)]
struct Ring {
    entries: VecDeque<Recorded>,
    next_seq: u64,
    dropped: u64,
}

/// The bounded journal shared by every listener.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    ring: Mutex<Ring>,
}

/// A copy of the journal's newest entries.
#[derive(Debug, Clone, PartialEq, Eq, Object)]
pub struct JournalPage {
    /// How many entries the journal keeps at most (`--journal-size`).
    pub capacity: u64,
    /// Entries that were pushed out to make room since the journal was last cleared.
    pub dropped: u64,
    /// The newest entries, oldest first.
    pub entries: Vec<JournalEntry>,
}

impl Journal {
    pub fn new(capacity: usize) -> Self {
        Journal { capacity, ring: Mutex::new(Ring { entries: VecDeque::with_capacity(capacity), ..Ring::default() }) }
    }

    fn ring(&self) -> std::sync::MutexGuard<'_, Ring> {
        // A panic while holding the lock cannot leave a ring half-updated in a way that matters.
        self.ring.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Record an answered request (a no-op when the capacity is 0).
    pub fn record(&self, answered: Answered<'_>) {
        if self.capacity == 0 {
            return;
        }
        let mut entry = Recorded {
            seq: 0,
            at: std::time::SystemTime::now(),
            api: answered.api,
            method: answered.method.clone(),
            path: answered.path.to_string(),
            status: answered.status,
            micros: answered.micros,
        };
        let mut ring = self.ring();
        ring.next_seq += 1;
        entry.seq = ring.next_seq;
        if ring.entries.len() == self.capacity {
            ring.entries.pop_front();
            ring.dropped += 1;
        }
        ring.entries.push_back(entry);
    }

    /// The newest `limit` entries (all when `None`), oldest first, optionally of one API only.
    /// `operation_id` names each entry's contract operation: it is looked up when the journal is
    /// read, not on every request.
    pub fn page(
        &self,
        limit: Option<usize>,
        api: Option<ApiKind>,
        operation_id: impl Fn(ApiKind, &str, &str) -> Option<String>,
    ) -> JournalPage {
        let ring = self.ring();
        let matching: Vec<&Recorded> = ring.entries.iter().filter(|e| api.is_none_or(|a| e.api == a)).collect();
        let skip = limit.map_or(0, |l| matching.len().saturating_sub(l));
        JournalPage {
            capacity: self.capacity as u64,
            dropped: ring.dropped,
            entries: matching.into_iter().skip(skip).map(|e| e.entry(&operation_id)).collect(),
        }
    }

    pub fn clear(&self) {
        *self.ring() = Ring::default();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answered(path: &str) -> Answered<'_> {
        Answered { api: ApiKind::Barbican, method: &poem::http::Method::GET, path, status: 200, micros: 5 }
    }

    #[test]
    fn a_full_journal_drops_its_oldest_entries() {
        let journal = Journal::new(3);
        for i in 0..5 {
            journal.record(answered(&format!("/{i}")));
        }
        let page = journal.page(None, None, |_, _, _| None);
        assert_eq!(page.dropped, 2);
        assert_eq!(page.entries.iter().map(|e| e.path.as_str()).collect::<Vec<_>>(), ["/2", "/3", "/4"]);
        assert_eq!(page.entries.iter().map(|e| e.seq).collect::<Vec<_>>(), [3, 4, 5]);
        assert_eq!(journal.page(Some(1), None, |_, _, _| None).entries[0].path, "/4");
        journal.clear();
        assert!(journal.page(None, None, |_, _, _| None).entries.is_empty());
    }

    #[test]
    fn a_journal_of_size_zero_keeps_nothing() {
        let journal = Journal::new(0);
        journal.record(answered("/"));
        assert_eq!(journal.page(None, None, |_, _, _| None).entries.len(), 0);
    }
}
