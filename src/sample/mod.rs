//! The first-run sample case: a synthetic App package written here (clearly labelled as such),
//! two synthetic screenshots and a few findings, so a newcomer sees every view with content.

pub mod apk;
#[cfg(feature = "gui")]
pub mod case;
#[cfg(feature = "gui")]
pub mod screens;
