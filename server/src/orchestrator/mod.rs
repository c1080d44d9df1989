//! The INDIGO PaaS Orchestrator API; for now only its TOSCA handling ([`tosca`]), which the HTTP layer will build on.

pub mod tosca;
