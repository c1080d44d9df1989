//! standin's contract tests: readers for the reference documents and the contracts, and the comparison
//! of a contract with the spec the server emits, shared by the test binaries under `tests/`.

pub mod contract;
pub mod reference;
pub mod spec_diff;
