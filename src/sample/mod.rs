//! The first-run sample case: a synthetic App package written here (clearly labelled as such),
//! two synthetic screenshots and a few findings, so a newcomer sees every view with content.

pub mod apk;

/// The sample App's package name (example.cn is reserved for examples): a case of it is a sample,
/// whose documents are watermarked and never signed.
pub const PACKAGE_ID: &str = "cn.example.sample.shop";

/// Whether a case is the sample (or made from its package).
pub fn is_sample(case: &crate::case::Case) -> bool {
    case.app.package == PACKAGE_ID
}
#[cfg(feature = "gui")]
pub mod case;
#[cfg(feature = "gui")]
pub mod screens;
pub mod sign;
