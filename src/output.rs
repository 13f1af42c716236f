//! Writing a document (notice PDF, case bundle) where the user asked: completely or not at all.
//!
//! The bytes go to a file with no name in the target folder (Linux `O_TMPFILE`), which is given
//! its name only once it is complete and on disk: a full disk, a missing folder or a killed
//! process leaves nothing behind — no half-written file, no `.partial`. An existing file is never
//! replaced unless the caller says so, and never when it is not a regular file (a device, a FIFO,
//! a folder, a symbolic link): `--out /dev/full` is refused rather than replacing the device.

use std::fs::File;
use std::io::Write as _;
use std::path::{Path, PathBuf};

/// Why a document could not be written.
#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{0} already exists; it was not overwritten (choose another name, or use --force to replace it)")]
    Exists(PathBuf),
    #[error(
        "{0} is not a regular file (a device, pipe, folder or link); a document is never written over it"
    )]
    NotRegular(PathBuf),
    #[error("cannot write {path}: the folder {folder} does not exist")]
    NoFolder { path: PathBuf, folder: PathBuf },
    #[error("cannot write {path}")]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

/// Checks that `path` may receive a document: its folder exists, and it is either absent or (with
/// `overwrite`) a regular file.
pub fn check_target(path: &Path, overwrite: bool) -> Result<(), OutputError> {
    let folder = folder_of(path);
    if !folder.is_dir() {
        return Err(OutputError::NoFolder {
            path: path.to_path_buf(),
            folder,
        });
    }
    match std::fs::symlink_metadata(path) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(source) => Err(OutputError::Io {
            path: path.to_path_buf(),
            source,
        }),
        Ok(m) if !m.file_type().is_file() => Err(OutputError::NotRegular(path.to_path_buf())),
        Ok(_) if !overwrite => Err(OutputError::Exists(path.to_path_buf())),
        Ok(_) => Ok(()),
    }
}

fn folder_of(path: &Path) -> PathBuf {
    path.parent()
        .filter(|d| !d.as_os_str().is_empty())
        .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
}

/// `path`, or when it is taken, `name (2).ext`, `name (3).ext`, … — what the window proposes.
pub fn unique_name(path: &Path) -> PathBuf {
    if std::fs::symlink_metadata(path).is_err() {
        return path.to_path_buf();
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ext = path
        .extension()
        .map(|e| format!(".{}", e.to_string_lossy()))
        .unwrap_or_default();
    (2..10_000)
        .map(|n| path.with_file_name(format!("{stem} ({n}){ext}")))
        .find(|p| std::fs::symlink_metadata(p).is_err())
        .unwrap_or_else(|| path.to_path_buf())
}

/// A document being written: complete it with [`Pending::commit`]; dropped, it leaves nothing.
pub struct Pending {
    file: Option<File>,
    target: PathBuf,
    overwrite: bool,
    /// Where the bytes are while being written, when the file system has no unnamed files.
    named: Option<PathBuf>,
}

impl Pending {
    /// Starts writing `target` (checked with [`check_target`]), readable by everyone.
    pub fn create(target: &Path, overwrite: bool) -> Result<Self, OutputError> {
        Self::create_with_mode(target, overwrite, 0o644)
    }

    /// As [`Pending::create`], with the permissions the file gets (0o600 for a private key).
    pub fn create_with_mode(target: &Path, overwrite: bool, mode: u32) -> Result<Self, OutputError> {
        check_target(target, overwrite)?;
        let folder = folder_of(target);
        let io = |source| OutputError::Io {
            path: target.to_path_buf(),
            source,
        };
        #[cfg(target_os = "linux")]
        if let Ok(fd) = rustix::fs::open(
            &folder,
            rustix::fs::OFlags::TMPFILE | rustix::fs::OFlags::RDWR | rustix::fs::OFlags::CLOEXEC,
            rustix::fs::Mode::from_raw_mode(mode),
        ) {
            return Ok(Self {
                file: Some(File::from(fd)),
                target: target.to_path_buf(),
                overwrite,
                named: None,
            });
        }
        // Elsewhere: a hidden name beside the target, removed on any failure.
        let name = format!(
            ".{}.{}.partial",
            target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        );
        let named = folder.join(name);
        let mut options = std::fs::OpenOptions::new();
        options.write(true).read(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, mode);
        #[cfg(not(unix))]
        let _ = mode;
        let file = options.open(&named).map_err(io)?;
        Ok(Self {
            file: Some(file),
            target: target.to_path_buf(),
            overwrite,
            named: Some(named),
        })
    }

    /// The file being written (seekable: the zip writer needs that).
    pub fn file(&mut self) -> &mut File {
        self.file
            .as_mut()
            .unwrap_or_else(|| unreachable!("the file is present until commit"))
    }

    fn io(&self, source: std::io::Error) -> OutputError {
        OutputError::Io {
            path: self.target.clone(),
            source,
        }
    }

    /// Flushes the bytes to disk and gives the file its name. Without `overwrite`, an existing
    /// file (even one that appeared meanwhile) is never replaced.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let file = self
            .file
            .take()
            .unwrap_or_else(|| unreachable!("commit runs once"));
        file.sync_all().map_err(|e| self.io(e))?;
        check_target(&self.target, self.overwrite)?;
        match self.named.take() {
            Some(named) => {
                let result = if self.overwrite {
                    std::fs::rename(&named, &self.target)
                } else {
                    std::fs::hard_link(&named, &self.target).and_then(|()| std::fs::remove_file(&named))
                };
                if let Err(e) = result {
                    let _ = std::fs::remove_file(&named);
                    return Err(self.io(e));
                }
            }
            None => self.link_unnamed(&file)?,
        }
        // The new name is durable once the folder is.
        if let Ok(dir) = File::open(folder_of(&self.target)) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    #[cfg(target_os = "linux")]
    fn link_unnamed(&self, file: &File) -> Result<(), OutputError> {
        use std::os::fd::AsRawFd as _;
        let proc_path = format!("/proc/self/fd/{}", file.as_raw_fd());
        let link = |to: &Path| {
            rustix::fs::linkat(
                rustix::fs::CWD,
                proc_path.as_str(),
                rustix::fs::CWD,
                to,
                rustix::fs::AtFlags::SYMLINK_FOLLOW,
            )
            .map_err(std::io::Error::from)
        };
        if !self.overwrite {
            return link(&self.target).map_err(|e| match e.kind() {
                std::io::ErrorKind::AlreadyExists => OutputError::Exists(self.target.clone()),
                _ => self.io(e),
            });
        }
        // Replacing: a hidden name first, then one rename over the old file.
        let hidden = folder_of(&self.target).join(format!(
            ".{}.{}.new",
            self.target
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            std::process::id()
        ));
        let _ = std::fs::remove_file(&hidden);
        link(&hidden).map_err(|e| self.io(e))?;
        std::fs::rename(&hidden, &self.target).map_err(|e| {
            let _ = std::fs::remove_file(&hidden);
            self.io(e)
        })
    }

    #[cfg(not(target_os = "linux"))]
    fn link_unnamed(&self, _file: &File) -> Result<(), OutputError> {
        unreachable!("unnamed files are made on Linux only")
    }
}

impl Drop for Pending {
    fn drop(&mut self) {
        if let Some(named) = self.named.take() {
            let _ = std::fs::remove_file(named);
        }
    }
}

/// Writes `bytes` to `target`, completely or not at all.
pub fn write(target: &Path, bytes: &[u8], overwrite: bool) -> Result<(), OutputError> {
    write_with_mode(target, bytes, overwrite, 0o644)
}

/// Writes a private file (a key): readable and writable by its owner only, never over another.
pub fn write_private(target: &Path, bytes: &[u8]) -> Result<(), OutputError> {
    write_with_mode(target, bytes, false, 0o600)
}

fn write_with_mode(target: &Path, bytes: &[u8], overwrite: bool, mode: u32) -> Result<(), OutputError> {
    let mut pending = Pending::create_with_mode(target, overwrite, mode)?;
    pending
        .file()
        .write_all(bytes)
        .map_err(|source| OutputError::Io {
            path: target.to_path_buf(),
            source,
        })?;
    pending.commit()
}

/// Removes a document that was written but could not be recorded (best effort).
pub fn remove(target: &Path) {
    let _ = std::fs::remove_file(target);
}
