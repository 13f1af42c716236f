//! Inspection cases in one SQLite file: the case, its assessments and automatic suggestions,
//! content-addressed evidence, a hash-chained audit log that proves the case's state, the
//! checklist version each case is pinned to, and bundles to hand a case over.

pub mod audit;
pub mod authority;
pub mod behaviours;
pub mod bundle;
pub mod capture;
pub mod credit_code;
mod db;
mod error;
pub mod evidence;
pub mod judgement;
pub mod lifecycle;
pub mod migrate;
mod model;
pub mod proof;
pub mod replay;
pub mod round;
mod store;
mod upgrade;

pub use authority::Authority;
pub use db::{APPLICATION_ID, SCHEMA_VERSION, default_path};
pub use error::CaseError;
pub use lifecycle::{CaseState, Measure, StateChange, Transition, Trigger, Unresolved};
pub use model::*;
pub use store::{ReviewOutcome, Store, default_actor, sha256_hex};
