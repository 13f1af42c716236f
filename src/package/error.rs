//! Why a package could not be analysed, in one sentence a person can act on.

use std::path::PathBuf;

/// A package that could not be analysed. Each message names the file and the problem.
#[derive(Debug, thiserror::Error)]
pub enum PackageError {
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{path} is not an App package: {why}")]
    NotAPackage { path: PathBuf, why: String },
    #[error(
        "{path} is a package for {kind}; only Android APKs can be analysed so far ({kind} support is planned)"
    )]
    NotSupported { path: PathBuf, kind: &'static str },
    #[error("{path} is a damaged zip archive: {why}")]
    CorruptArchive { path: PathBuf, why: String },
    #[error("{path} looks like a zip bomb and was refused: {why}")]
    TooLarge { path: PathBuf, why: String },
    #[error("{path} has a damaged AndroidManifest.xml: {why}")]
    CorruptManifest { path: PathBuf, why: String },
    #[error(transparent)]
    Input(#[from] crate::input::InputError),
}

impl PackageError {
    pub(crate) fn corrupt(path: &std::path::Path, why: impl std::fmt::Display) -> Self {
        PackageError::CorruptArchive {
            path: path.to_path_buf(),
            why: why.to_string(),
        }
    }
}
