//! Inspection cases in one SQLite file: the case, its assessments and automatic suggestions,
//! content-addressed evidence, a hash-chained audit log, and bundles to hand a case over.

pub mod audit;
pub mod bundle;
mod db;
mod error;
pub mod evidence;
mod model;
mod store;

pub use db::{SCHEMA_VERSION, default_path};
pub use error::CaseError;
pub use model::*;
pub use store::{Store, default_actor, sha256_hex};
