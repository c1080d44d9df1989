//! standin: a spec-first, stateful stand-in for three documented REST APIs — the Barbican Orders API,
//! the OpenStackID Marketplace API and the INDIGO PaaS Orchestrator API.
//!
//! The crate is a library as well as the `standin` binary so that tests can start a whole server
//! in-process on port 0 ([`serve::Standin::start`]) and talk to it over real sockets.

pub mod allowed_methods;
pub mod barbican;
pub mod cli;
pub mod config;
pub mod contract_routes;
pub mod control;
pub mod determinism;
pub mod docs_site;
pub mod lifecycle_rule;
pub mod listener_limits;
pub mod marketplace;
pub mod openapi_types;
pub mod orchestrator;
pub mod serve;
pub mod storage;
pub mod telemetry;
