//! The rule an asynchronous resource (a Barbican order, an orchestrator deployment) moves on by,
//! shared by both APIs so that `--barbican-order-lifecycle`, `--orchestrator-lifecycle` and the
//! control plane's `PUT /_standin/lifecycles` read and print the same forms. What each variant means
//! for its resource is said where the API uses it.

use std::str::FromStr;

/// When a resource's pending step is due.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum Lifecycle {
    /// At once.
    #[default]
    Immediate,
    /// This many seconds after the request that started the step.
    AfterSeconds(f64),
    /// After this many reads; the read after them sees the result.
    AfterPolls(u32),
    /// When the control plane moves it.
    Manual,
}

impl std::fmt::Display for Lifecycle {
    /// The form `FromStr` reads.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Lifecycle::Immediate => f.write_str("immediate"),
            Lifecycle::AfterSeconds(s) => write!(f, "after-seconds:{s}"),
            Lifecycle::AfterPolls(n) => write!(f, "after-polls:{n}"),
            Lifecycle::Manual => f.write_str("manual"),
        }
    }
}

impl FromStr for Lifecycle {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("`{s}`: expected immediate, after-seconds:<N>, after-polls:<N> or manual");
        match s.split_once(':') {
            None if s == "immediate" => Ok(Lifecycle::Immediate),
            None if s == "manual" => Ok(Lifecycle::Manual),
            Some(("after-seconds", n)) => n
                .parse::<f64>()
                .ok()
                .filter(|n| n.is_finite() && *n >= 0.0)
                .map(Lifecycle::AfterSeconds)
                .ok_or_else(bad),
            Some(("after-polls", n)) => n.parse::<u32>().map(Lifecycle::AfterPolls).map_err(|_| bad()),
            _ => Err(bad()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_form_reads_back_what_it_prints() {
        for text in ["immediate", "manual", "after-seconds:1.5", "after-polls:2"] {
            assert_eq!(text.parse::<Lifecycle>().unwrap().to_string(), text);
        }
        for bad in ["soon", "after-seconds:-1", "after-seconds:inf", "after-polls:x", "manual:1"] {
            assert!(bad.parse::<Lifecycle>().is_err(), "{bad}");
        }
    }
}
