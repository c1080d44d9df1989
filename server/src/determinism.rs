//! What `standin serve --seed N` makes reproducible: generated ids, random key material (symmetric
//! keys and RSA/DSA key pairs) and timestamps. Every place that generates one of them asks this module, which answers from the
//! seeded generator and clock when a seed was set at start, and from the system's otherwise.
//!
//! - **Randomness** comes from one ChaCha20 stream seeded with N (ChaCha20 rather than `StdRng`,
//!   whose algorithm may change between `rand` releases): uuids (orders, secrets, containers,
//!   deployments, resources, schedules, physical ids, request ids, fault rules), symmetric key
//!   bytes and key pairs. The same requests in the same order draw the same values. A key pair
//!   takes 32 bytes of the stream to seed a ChaCha20 generator of its own ([`fork_rng`]), which its
//!   search draws its candidates from: OpenSSL's generator, which makes them without a seed, cannot
//!   be seeded, so under a seed RSA pairs come from the pure-Rust `rsa` crate and DSA pairs from a
//!   search of standin's own (see [`crate::barbican::keypairs`] and docs/design.md).
//! - **Time** has two clocks. The one every shown timestamp comes from ([`now`]) is logical: it
//!   starts at an instant derived from N (within 2025, so that expirations a client computes from
//!   its own clock are still in the future) and each reading is one microsecond after the
//!   previous one, so the same requests get the same timestamps whatever their pace. The one
//!   deadlines are kept in ([`deadline_now`]: when an `after-seconds` step is due, when
//!   `timeoutMins` runs out) starts at the same instant and advances with real time, so that a
//!   resource due in N seconds is due N real seconds later. Deadlines are never shown by the
//!   APIs (only in state exports). Without a seed both are the system clock.
//!
//! Not reproducible, even with a seed: the journal's times (they say when a request really came),
//! and token expiry checks (they use the real clock).
//!
//! The seed is process-wide: one seeded standin per process (`standin serve` is one).

use std::sync::{Mutex, OnceLock};
use std::time::Instant;

use chrono::{DateTime, TimeDelta, Utc};
use rand::rngs::ChaCha20Rng;
use rand::{Rng, SeedableRng};

struct Seeded {
    rng: ChaCha20Rng,
    start: DateTime<Utc>,
    started: Instant,
    /// The last reading of the logical clock.
    last: DateTime<Utc>,
}

static SEEDED: OnceLock<Mutex<Seeded>> = OnceLock::new();

/// The instant a seeded clock starts at: 2025-01-01T00:00:00Z plus the seed modulo a year, in
/// seconds.
pub fn start_of(seed: u64) -> DateTime<Utc> {
    let base = DateTime::parse_from_rfc3339("2025-01-01T00:00:00Z").expect("a valid instant").with_timezone(&Utc);
    base + TimeDelta::seconds((seed % 31_536_000) as i64)
}

/// Seed the generator and the clock, once per process. A second call with the same seed is a
/// no-op; with another seed it fails.
pub fn install(seed: u64) -> anyhow::Result<()> {
    let start = start_of(seed);
    let mut existing = true;
    let seeded = SEEDED.get_or_init(|| {
        existing = false;
        Mutex::new(Seeded {
            rng: ChaCha20Rng::seed_from_u64(seed),
            start,
            started: Instant::now(),
            last: start - TimeDelta::microseconds(1),
        })
    });
    if existing && lock(seeded).start != start {
        anyhow::bail!("this process is already seeded with another seed");
    }
    Ok(())
}

fn lock(m: &Mutex<Seeded>) -> std::sync::MutexGuard<'_, Seeded> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

/// Whether a seed is in force.
pub fn is_seeded() -> bool {
    SEEDED.get().is_some()
}

/// The time now, for timestamps (see the module docs).
pub fn now() -> DateTime<Utc> {
    let Some(seeded) = SEEDED.get() else { return Utc::now() };
    let mut s = lock(seeded);
    s.last += TimeDelta::microseconds(1);
    s.last
}

/// The time now, for deadlines (see the module docs): compare it only with deadlines computed
/// from it.
pub fn deadline_now() -> DateTime<Utc> {
    let Some(seeded) = SEEDED.get() else { return Utc::now() };
    let s = lock(seeded);
    s.start + TimeDelta::from_std(s.started.elapsed()).unwrap_or(TimeDelta::MAX)
}

/// A random (version 4) uuid.
pub fn uuid_v4() -> uuid::Uuid {
    let Some(seeded) = SEEDED.get() else { return uuid::Uuid::new_v4() };
    let mut bytes = [0u8; 16];
    lock(seeded).rng.fill_bytes(&mut bytes);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// Fill `buf` with random bytes (key material).
pub fn fill_random(buf: &mut [u8]) {
    match SEEDED.get() {
        Some(seeded) => lock(seeded).rng.fill_bytes(buf),
        None => rand::RngExt::fill(&mut rand::rng(), buf),
    }
}

/// Under a seed, a generator of its own for one key pair, seeded with 32 bytes drawn from the
/// stream; `None` without a seed. A key pair search draws as many candidates as it takes: from a
/// generator of its own it takes a fixed 32 bytes of the stream, and holds the stream's lock only
/// that long.
pub fn fork_rng() -> Option<ChaCha20Rng> {
    let seeded = SEEDED.get()?;
    let mut seed = [0u8; 32];
    lock(seeded).rng.fill_bytes(&mut seed);
    Some(ChaCha20Rng::from_seed(seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_start_depends_on_the_seed_only() {
        assert_eq!(start_of(0).to_rfc3339(), "2025-01-01T00:00:00+00:00");
        assert_eq!(start_of(3600), start_of(3600 + 31_536_000));
        let mut a = ChaCha20Rng::seed_from_u64(7);
        let mut b = ChaCha20Rng::seed_from_u64(7);
        assert_eq!(a.next_u64(), b.next_u64());
    }
}
