//! Opening a file the user named, as hostile input: only a regular file is read. A FIFO would
//! block for ever, `/dev/zero` never ends, a folder is not a file — each is refused with a
//! sentence before a byte is read.

use std::fs::File;
use std::path::{Path, PathBuf};

/// Why a named file is not read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    #[error("{0} is not a regular file (a device, pipe, socket or folder); it was not read")]
    NotRegular(PathBuf),
    #[error("{path} is {size_mib} MiB; {what} of at most {max_mib} MiB are read")]
    TooLarge {
        path: PathBuf,
        size_mib: u64,
        max_mib: u64,
        what: &'static str,
    },
    #[error("cannot read {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Opens `path` for reading when it is a regular file (after following links); returns the
/// file and its size.
pub fn open_regular(path: &Path) -> Result<(File, u64), InputError> {
    let io = |source| InputError::Io {
        path: path.to_path_buf(),
        source,
    };
    // Checked before opening: opening a FIFO waits for a writer.
    let meta = std::fs::metadata(path).map_err(io)?;
    if !meta.is_file() {
        return Err(InputError::NotRegular(path.to_path_buf()));
    }
    let file = File::open(path).map_err(io)?;
    // The same check on what was opened, in case the path changed in between.
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        return Err(InputError::NotRegular(path.to_path_buf()));
    }
    Ok((file, meta.len()))
}

/// Reads a regular file of at most `max` bytes whole (`what` names such files in the refusal:
/// "packages", "evidence files"). A file that grows while it is read is cut at `max + 1` and refused.
pub fn read_regular(path: &Path, max: u64, what: &'static str) -> Result<Vec<u8>, InputError> {
    let (file, len) = open_regular(path)?;
    let too_large = |size: u64| InputError::TooLarge {
        path: path.to_path_buf(),
        size_mib: size >> 20,
        max_mib: max >> 20,
        what,
    };
    if len > max {
        return Err(too_large(len));
    }
    let mut bytes = Vec::with_capacity(len as usize);
    std::io::Read::read_to_end(&mut std::io::Read::take(file, max + 1), &mut bytes).map_err(|source| {
        InputError::Io {
            path: path.to_path_buf(),
            source,
        }
    })?;
    if bytes.len() as u64 > max {
        return Err(too_large(bytes.len() as u64));
    }
    Ok(bytes)
}
