//! standin's contract tests: readers for the reference documents and the contracts, and the comparison
//! of a contract with the spec the server emits, shared by the test binaries under `tests/`, and the
//! conformance suite (`conformance`) that the `standin-conformance` binary runs against any server.

pub mod conformance;
pub mod contract;
pub mod reference;
pub mod spec_diff;
