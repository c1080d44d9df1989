//! Rate limiting, as documented: per endpoint, off unless configured (the real seeds leave every
//! endpoint without a limit), a fixed window (an hour by default) that starts with the first
//! request, and one counter per request URI (query string included), method and client IP, as the
//! real service keys it.
//!
//! A counted response carries `X-RateLimit-Limit`, `X-RateLimit-Remaining` and `X-RateLimit-Reset`
//! (seconds until the window resets, as the document's table defines it); the request that goes over
//! the limit is answered with the documented 403 instead. 304s are neither counted nor given the
//! headers, and requests refused by the token checks never reach the limiter.
//!
//! One instance counts in memory; instances sharing a PostgreSQL database count in its
//! `standin_rate_limit_windows` table (one upsert per counted request), so a client spread over
//! them by a load balancer meets one limit, not one per instance.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use sqlx::AnyPool;

use super::endpoints::Endpoint;

/// The documented 403 message (003:block1).
pub const DOCUMENTED_MESSAGE: &str = "You have triggered an abuse detection mechanism and have been temporarily blocked. Please retry your request again later.";
/// The message the real R1 service sent: its source indentation (a newline, six tabs and a space)
/// before "Please".
pub const R1_MESSAGE: &str = "You have triggered an abuse detection mechanism and have been temporarily blocked.\n\t\t\t\t\t\t Please retry your request again later.";

/// One `--marketplace-rate-limit` entry: `<operationId>=<requests per window>`, or `*=<n>` for
/// every endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateLimitRule {
    /// An operation id, or `*`.
    pub endpoint: String,
    pub limit: u32,
}

impl FromStr for RateLimitRule {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (endpoint, limit) = s.split_once('=').ok_or("expected <operationId>=<limit>, e.g. listPublicClouds=60")?;
        let endpoint = endpoint.trim().to_string();
        if endpoint != "*" && !Endpoint::all().iter().any(|e| e.operation_id() == endpoint) {
            let known: Vec<&str> = Endpoint::all().iter().map(|e| e.operation_id()).collect();
            return Err(format!("unknown endpoint `{endpoint}`; expected `*` or one of {}", known.join(", ")));
        }
        let limit: u32 = limit.trim().parse().map_err(|_| format!("`{limit}` is not a number of requests"))?;
        if limit == 0 {
            return Err("a limit must be at least 1 (leave the endpoint out for no limit)".into());
        }
        Ok(RateLimitRule { endpoint, limit })
    }
}

/// The rate-limit state of one response.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateLimitStatus {
    pub limit: u32,
    pub remaining: u32,
    /// Seconds until the window resets.
    pub reset: u64,
    /// The request went over the limit: answer 403.
    pub exceeded: bool,
}

struct Window {
    started: Instant,
    count: u64,
}

/// Every counter, with the configured limits.
pub struct RateLimiter {
    rules: Vec<RateLimitRule>,
    window: Duration,
    counters: Mutex<HashMap<String, Window>>,
    /// The database the counters live in when other instances share it.
    shared: Option<AnyPool>,
}

impl RateLimiter {
    pub fn new(rules: Vec<RateLimitRule>, window: Duration) -> Self {
        RateLimiter { rules, window, counters: Mutex::new(HashMap::new()), shared: None }
    }

    /// Count in this database's table instead of in memory (several instances share it).
    pub fn shared(mut self, pool: AnyPool) -> Self {
        self.shared = Some(pool);
        self
    }

    /// Forget every count (a control-plane reset of the Marketplace).
    pub async fn clear(&self) -> anyhow::Result<()> {
        self.counters.lock().expect("rate-limit counters are never poisoned").clear();
        if let Some(pool) = &self.shared {
            sqlx::query("DELETE FROM standin_rate_limit_windows").execute(pool).await?;
        }
        Ok(())
    }

    /// Count one request like [`Self::count`], in the shared table when there is one (the wall
    /// clock then times the window, as every instance must read the same clock).
    pub async fn count_request(&self, endpoint: Endpoint, key: &str) -> anyhow::Result<Option<RateLimitStatus>> {
        let Some(pool) = &self.shared else { return Ok(self.count(endpoint, key, Instant::now())) };
        let Some(limit) = self.limit_of(endpoint) else { return Ok(None) };
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH)?.as_millis() as i64;
        let window = self.window.as_millis() as i64;
        // A window that has run out starts again with this request.
        let (started, count): (i64, i64) = sqlx::query_as(
            "INSERT INTO standin_rate_limit_windows (counter_key, window_start, requests) VALUES ($1, $2, 1)
             ON CONFLICT (counter_key) DO UPDATE SET
                 requests = CASE WHEN standin_rate_limit_windows.window_start <= $3 THEN 1
                                 ELSE standin_rate_limit_windows.requests + 1 END,
                 window_start = CASE WHEN standin_rate_limit_windows.window_start <= $3 THEN $2
                                     ELSE standin_rate_limit_windows.window_start END
             RETURNING window_start, requests",
        )
        .bind(key)
        .bind(now)
        .bind(now - window)
        .fetch_one(pool)
        .await?;
        let left = Duration::from_millis((started + window - now).max(0) as u64);
        Ok(Some(RateLimitStatus {
            limit,
            remaining: u64::from(limit).saturating_sub(count as u64) as u32,
            reset: left.as_secs_f64().ceil() as u64,
            exceeded: count > i64::from(limit),
        }))
    }

    /// The limit of an endpoint: its own rule, else the `*` rule, else none.
    pub fn limit_of(&self, endpoint: Endpoint) -> Option<u32> {
        let find = |name: &str| self.rules.iter().rev().find(|r| r.endpoint == name).map(|r| r.limit);
        find(endpoint.operation_id()).or_else(|| find("*"))
    }

    /// Count one request (`key` is URI, method and client IP) against `endpoint`'s limit; `None`
    /// when the endpoint has no limit.
    pub fn count(&self, endpoint: Endpoint, key: &str, now: Instant) -> Option<RateLimitStatus> {
        let limit = self.limit_of(endpoint)?;
        let mut counters = self.counters.lock().expect("rate-limit counters are never poisoned");
        if counters.len() > 10_000 {
            counters.retain(|_, w| now.duration_since(w.started) < self.window);
        }
        let window = counters.entry(key.to_string()).or_insert(Window { started: now, count: 0 });
        if now.duration_since(window.started) >= self.window {
            *window = Window { started: now, count: 0 };
        }
        window.count += 1;
        let left = self.window.saturating_sub(now.duration_since(window.started));
        Some(RateLimitStatus {
            limit,
            remaining: u64::from(limit).saturating_sub(window.count) as u32,
            reset: left.as_secs_f64().ceil() as u64,
            exceeded: window.count > u64::from(limit),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::marketplace::endpoints::{Resource, Shape};

    const LIST: Endpoint = Endpoint { resource: Resource::PublicClouds, shape: Shape::List };
    const ITEM: Endpoint = Endpoint { resource: Resource::PublicClouds, shape: Shape::Item };

    #[test]
    fn rules_parse_and_name_real_endpoints() {
        assert_eq!("listPublicClouds=60".parse(), Ok(RateLimitRule { endpoint: "listPublicClouds".into(), limit: 60 }));
        assert!("*=5".parse::<RateLimitRule>().is_ok());
        assert!("nope=5".parse::<RateLimitRule>().is_err());
        assert!("listPublicClouds=0".parse::<RateLimitRule>().is_err());
    }

    #[test]
    fn a_fixed_window_per_key() {
        let limiter = RateLimiter::new(vec!["listPublicClouds=2".parse().unwrap()], Duration::from_secs(3600));
        let t0 = Instant::now();
        assert_eq!(limiter.count(ITEM, "k", t0), None);
        let first = limiter.count(LIST, "k", t0).unwrap();
        assert_eq!((first.limit, first.remaining, first.reset, first.exceeded), (2, 1, 3600, false));
        assert!(!limiter.count(LIST, "k", t0).unwrap().exceeded);
        let third = limiter.count(LIST, "k", t0 + Duration::from_secs(10)).unwrap();
        assert_eq!((third.remaining, third.reset, third.exceeded), (0, 3590, true));
        assert!(!limiter.count(LIST, "other", t0).unwrap().exceeded);
        assert!(!limiter.count(LIST, "k", t0 + Duration::from_secs(3600)).unwrap().exceeded);
    }
}
