//! standin's integration tests: one test binary, files mirroring the route tree
//! (`barbican/<operation>.rs`), each test starting its own standin in-process on port 0.

mod bad_input;
mod barbican;
mod concurrency;
mod conformance;
mod control;
mod harness;
mod instances;
mod isolation;
mod marketplace;
mod orchestrator;
