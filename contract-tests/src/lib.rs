//! standin's contract tests: readers for the reference documents and the contracts, shared by the
//! test binaries under `tests/`.

pub mod contract;
pub mod reference;
