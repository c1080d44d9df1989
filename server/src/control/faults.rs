//! Fault and latency injection: rules set through the control plane, and per-request headers.
//!
//! A rule names an API and, optionally, one operation of its contract; the first rule that matches
//! a request applies. It can hold the answer back (a fixed delay, or a random one in a range),
//! replace it with a forced status in that API's own error body, or drop the connection instead of
//! answering. A rule can be limited to a number of requests, after which it is gone.
//!
//! With `--control-headers`, a client can also ask for a delay or a status on one request
//! (`X-Standin-Delay: <ms>`, `X-Standin-Status: <code>`), as Microcks' `x-microcks-delay` and
//! Prism's `Prefer: code=` do. It is off by default, so that a client under test cannot change
//! standin's answers by accident.
//!
//! Requests under `/_standin/` (the control plane itself) are never faulted.

use std::sync::RwLock;
use std::time::Duration;

use poem::http::{HeaderValue, StatusCode};
use poem::{Body, Response};
use poem_openapi::{Enum, Object};
use serde_json::json;

use crate::config::ApiKind;

/// The longest delay a rule or a header may ask for, so a typo cannot hang a client for hours.
pub const MAX_DELAY_MS: u64 = 120_000;

/// The API a rule applies to, as the control plane names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Enum, serde::Serialize, serde::Deserialize)]
#[oai(rename_all = "lowercase")]
#[serde(rename_all = "lowercase")]
pub enum ApiName {
    Barbican,
    Marketplace,
    Orchestrator,
}

impl From<ApiName> for ApiKind {
    fn from(name: ApiName) -> Self {
        match name {
            ApiName::Barbican => ApiKind::Barbican,
            ApiName::Marketplace => ApiKind::Marketplace,
            ApiName::Orchestrator => ApiKind::Orchestrator,
        }
    }
}

impl From<ApiKind> for ApiName {
    fn from(api: ApiKind) -> Self {
        match api {
            ApiKind::Barbican => ApiName::Barbican,
            ApiKind::Marketplace => ApiName::Marketplace,
            ApiKind::Orchestrator => ApiName::Orchestrator,
        }
    }
}

/// A fault rule as a client asks for it. Every optional field may be `null`, which counts as absent.
#[derive(Debug, Clone, PartialEq, Object)]
#[oai(deny_unknown_fields)]
pub struct NewFaultRule {
    /// The API whose requests the rule applies to.
    pub api: ApiName,
    /// One operation of that API's contract (its `operationId`); every operation when absent.
    #[oai(nullable, skip_serializing_if_is_none)]
    pub operation_id: Option<String>,
    /// Answer with this status, in the API's own error body, instead of the real answer.
    #[oai(nullable, validator(minimum(value = "400"), maximum(value = "599")))]
    #[oai(skip_serializing_if_is_none)]
    pub status: Option<u16>,
    /// Hold the answer back this long (milliseconds).
    #[oai(nullable, validator(maximum(value = "120000")))]
    #[oai(skip_serializing_if_is_none)]
    pub delay_ms: Option<u64>,
    /// With `delay_ms`: a random delay between `delay_ms` and this (milliseconds).
    #[oai(nullable, validator(maximum(value = "120000")))]
    #[oai(skip_serializing_if_is_none)]
    pub delay_max_ms: Option<u64>,
    /// Close the connection without answering (after any delay).
    #[oai(default, nullable)]
    pub drop_connection: bool,
    /// Apply to this many matching requests, then remove the rule; forever when absent.
    #[oai(nullable, validator(minimum(value = "1"), maximum(value = "2147483647")))]
    #[oai(skip_serializing_if_is_none)]
    pub times: Option<u32>,
}

/// A fault rule in force.
#[derive(Debug, Clone, PartialEq, Object)]
pub struct FaultRule {
    /// The rule's id, for removing it.
    pub id: String,
    #[oai(flatten)]
    pub rule: NewFaultRule,
}

/// What a request gets instead of (or before) its real answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Fault {
    pub delay: Option<Duration>,
    pub status: Option<StatusCode>,
    pub drop_connection: bool,
}

impl Fault {
    pub fn is_none(&self) -> bool {
        self.delay.is_none() && self.status.is_none() && !self.drop_connection
    }
}

/// The rules in force, first match wins.
#[derive(Debug, Default)]
pub struct FaultRules {
    rules: RwLock<Vec<FaultRule>>,
}

/// Why a rule cannot be added.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RuleError {
    #[error("a rule needs at least one of status, delay_ms or drop_connection")]
    DoesNothing,
    #[error("delay_max_ms needs delay_ms, and must not be below it")]
    BadDelayRange,
    #[error("{api} has no operation `{operation_id}`")]
    UnknownOperation { api: &'static str, operation_id: String },
}

impl FaultRules {
    fn read(&self) -> std::sync::RwLockReadGuard<'_, Vec<FaultRule>> {
        self.rules.read().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, Vec<FaultRule>> {
        self.rules.write().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// Add a rule after checking it; `known_operation` says whether an operation id exists.
    pub fn add(
        &self,
        rule: NewFaultRule,
        known_operation: impl Fn(ApiKind, &str) -> bool,
    ) -> Result<FaultRule, RuleError> {
        let rule = Self::check(rule, known_operation)?;
        self.write().push(rule.clone());
        Ok(rule)
    }

    /// A rule as it will be in force (with its id), if it is one.
    pub fn check(rule: NewFaultRule, known_operation: impl Fn(ApiKind, &str) -> bool) -> Result<FaultRule, RuleError> {
        if rule.status.is_none() && rule.delay_ms.is_none() && !rule.drop_connection {
            return Err(RuleError::DoesNothing);
        }
        if rule.delay_max_ms.is_some_and(|max| rule.delay_ms.is_none_or(|min| max < min)) {
            return Err(RuleError::BadDelayRange);
        }
        if let Some(op) = &rule.operation_id
            && !known_operation(rule.api.into(), op)
        {
            return Err(RuleError::UnknownOperation { api: ApiKind::from(rule.api).name(), operation_id: op.clone() });
        }
        Ok(FaultRule { id: crate::determinism::uuid_v4().to_string(), rule })
    }

    /// Put these rules in force instead of the ones there were (the shared ones, see [`super::shared`]).
    pub fn replace(&self, rules: Vec<FaultRule>) {
        *self.write() = rules;
    }

    /// Whether any rule is for this API (else no request to it can meet one).
    pub fn any_for(&self, api: ApiKind) -> bool {
        self.read().iter().any(|r| ApiKind::from(r.rule.api) == api)
    }

    /// Whether a rule that applies to this request is limited to a number of requests (so taking
    /// it changes the rules).
    pub fn limited_rule_applies(&self, api: ApiKind, operation_id: Option<&str>) -> bool {
        self.read().iter().find(|r| applies(r, api, operation_id)).is_some_and(|r| r.rule.times.is_some())
    }

    pub fn list(&self) -> Vec<FaultRule> {
        self.read().clone()
    }

    /// Remove one rule; `false` if there was none with that id.
    pub fn remove(&self, id: &str) -> bool {
        let mut rules = self.write();
        let before = rules.len();
        rules.retain(|r| r.id != id);
        rules.len() != before
    }

    pub fn clear(&self) {
        self.write().clear();
    }

    /// The fault for a request to `api`'s `operation_id`, using up one of a limited rule's times.
    pub fn fault_for(&self, api: ApiKind, operation_id: Option<&str>) -> Fault {
        // The common case (no rules) takes only the read lock.
        if !self.read().iter().any(|r| applies(r, api, operation_id)) {
            return Fault::default();
        }
        take_fault(&mut self.write(), api, operation_id)
    }
}

fn applies(r: &FaultRule, api: ApiKind, operation_id: Option<&str>) -> bool {
    ApiKind::from(r.rule.api) == api && r.rule.operation_id.as_deref().is_none_or(|op| Some(op) == operation_id)
}

/// The fault the first rule of `rules` that applies gives a request, using up one of its times (a
/// rule whose times are used up goes).
pub fn take_fault(rules: &mut Vec<FaultRule>, api: ApiKind, operation_id: Option<&str>) -> Fault {
    let Some(index) = rules.iter().position(|r| applies(r, api, operation_id)) else { return Fault::default() };
    let rule = rules[index].rule.clone();
    if let Some(times) = rules[index].rule.times.as_mut() {
        *times -= 1;
        if *times == 0 {
            rules.remove(index);
        }
    }
    Fault {
        delay: rule.delay_ms.map(|min| {
            let ms = match rule.delay_max_ms {
                Some(max) if max > min => rand::random_range(min..=max),
                _ => min,
            };
            Duration::from_millis(ms)
        }),
        status: rule.status.and_then(|s| StatusCode::from_u16(s).ok()),
        drop_connection: rule.drop_connection,
    }
}

/// The per-request fault a client asked for with `X-Standin-Delay` / `X-Standin-Status`.
/// Unusable values are ignored (the request is answered as if they were absent).
pub fn fault_from_headers(headers: &poem::http::HeaderMap) -> Fault {
    let number =
        |name: &str| headers.get(name).and_then(|v| v.to_str().ok()).and_then(|v| v.trim().parse::<u64>().ok());
    Fault {
        delay: number("X-Standin-Delay").filter(|ms| *ms <= MAX_DELAY_MS).map(Duration::from_millis),
        status: number("X-Standin-Status")
            .filter(|s| (400..=599).contains(s))
            .and_then(|s| StatusCode::from_u16(s as u16).ok()),
        drop_connection: false,
    }
}

/// A forced status in the API's own error body.
pub fn forced_response(api: ApiKind, status: StatusCode) -> Response {
    let title = status.canonical_reason().unwrap_or("Error");
    let message = format!("{title} (injected by standin)");
    let body = match api {
        ApiKind::Barbican => json!({"code": status.as_u16(), "title": title, "description": message}),
        ApiKind::Orchestrator => json!({"code": status.as_u16(), "title": title, "message": message}),
        ApiKind::Marketplace => json!({"message": message}),
    };
    let mut resp = Response::builder().status(status).content_type("application/json").body(body.to_string());
    resp.headers_mut().insert("x-standin-fault", HeaderValue::from_static("injected"));
    resp
}

/// A response that never completes: its head promises a body, and the connection closes before
/// any of it is sent. hyper cannot drop a connection before the head, so this is as close as an
/// HTTP server gets; the client sees a truncated answer (an incomplete message), not a status.
pub fn dropped_connection() -> Response {
    let failing = futures_util::stream::once(async {
        Err::<Vec<u8>, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "connection dropped by a standin fault rule",
        ))
    });
    let mut resp = Response::builder().status(StatusCode::OK).body(Body::from_bytes_stream(failing));
    resp.headers_mut().insert(poem::http::header::CONTENT_LENGTH, HeaderValue::from_static("1024"));
    resp.headers_mut().insert("x-standin-fault", HeaderValue::from_static("dropped"));
    resp
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(api: ApiName, op: Option<&str>) -> NewFaultRule {
        NewFaultRule {
            api,
            operation_id: op.map(str::to_string),
            status: Some(503),
            delay_ms: None,
            delay_max_ms: None,
            drop_connection: false,
            times: None,
        }
    }

    #[test]
    fn the_first_matching_rule_applies_and_limited_rules_expire() {
        let rules = FaultRules::default();
        let any = |_: ApiKind, _: &str| true;
        rules
            .add(NewFaultRule { times: Some(2), status: Some(500), ..rule(ApiName::Barbican, Some("getOrder")) }, any)
            .unwrap();
        rules.add(rule(ApiName::Barbican, None), any).unwrap();
        let status = |op| rules.fault_for(ApiKind::Barbican, Some(op)).status.map(|s| s.as_u16());
        assert_eq!(status("getOrder"), Some(500));
        assert_eq!(status("listOrders"), Some(503));
        assert_eq!(status("getOrder"), Some(500));
        assert_eq!(status("getOrder"), Some(503), "the two-time rule is used up");
        assert!(rules.fault_for(ApiKind::Orchestrator, Some("getOrder")).is_none());
        assert_eq!(rules.list().len(), 1);
    }

    #[test]
    fn rules_that_do_nothing_or_name_no_operation_are_refused() {
        let rules = FaultRules::default();
        let none = NewFaultRule { status: None, ..rule(ApiName::Barbican, None) };
        assert_eq!(rules.add(none, |_, _| true), Err(RuleError::DoesNothing));
        let unknown = rule(ApiName::Barbican, Some("nope"));
        assert!(matches!(rules.add(unknown, |_, _| false), Err(RuleError::UnknownOperation { .. })));
        let backwards = NewFaultRule { delay_ms: Some(10), delay_max_ms: Some(5), ..rule(ApiName::Barbican, None) };
        assert_eq!(rules.add(backwards, |_, _| true), Err(RuleError::BadDelayRange));
    }

    #[test]
    fn random_delays_stay_in_their_range() {
        let rules = FaultRules::default();
        let ranged =
            NewFaultRule { status: None, delay_ms: Some(10), delay_max_ms: Some(20), ..rule(ApiName::Barbican, None) };
        rules.add(ranged, |_, _| true).unwrap();
        for _ in 0..50 {
            let delay = rules.fault_for(ApiKind::Barbican, None).delay.unwrap();
            assert!((Duration::from_millis(10)..=Duration::from_millis(20)).contains(&delay), "{delay:?}");
        }
    }

    #[test]
    fn header_overrides_ignore_values_out_of_range() {
        let mut headers = poem::http::HeaderMap::new();
        headers.insert("X-Standin-Delay", HeaderValue::from_static("25"));
        headers.insert("X-Standin-Status", HeaderValue::from_static("503"));
        let fault = fault_from_headers(&headers);
        assert_eq!(
            (fault.delay, fault.status),
            (Some(Duration::from_millis(25)), Some(StatusCode::SERVICE_UNAVAILABLE))
        );
        headers.insert("X-Standin-Delay", HeaderValue::from_static("999999999"));
        headers.insert("X-Standin-Status", HeaderValue::from_static("200"));
        assert!(fault_from_headers(&headers).is_none());
    }

    #[tokio::test]
    async fn forced_answers_use_each_apis_error_body() {
        let status = StatusCode::SERVICE_UNAVAILABLE;
        let expected = [
            (
                ApiKind::Barbican,
                json!({"code": 503, "title": "Service Unavailable", "description": "Service Unavailable (injected by standin)"}),
            ),
            (
                ApiKind::Orchestrator,
                json!({"code": 503, "title": "Service Unavailable", "message": "Service Unavailable (injected by standin)"}),
            ),
            (ApiKind::Marketplace, json!({"message": "Service Unavailable (injected by standin)"})),
        ];
        for (api, body) in expected {
            let resp = forced_response(api, status);
            assert_eq!(resp.status(), status);
            assert_eq!(resp.headers()["x-standin-fault"], "injected");
            let text = resp.into_body().into_string().await.unwrap();
            assert_eq!(serde_json::from_str::<serde_json::Value>(&text).unwrap(), body, "{api:?}");
        }
    }
}
