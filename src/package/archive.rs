//! Reading the zip container with limits, before any other parser sees it.
//!
//! A package is attacker-controlled: entries can lie about their sizes, inflate to gigabytes, or
//! claim names that escape. Everything the analysis reads from the zip comes through here, capped.

use std::io::{Cursor, Read as _};
use std::path::{Path, PathBuf};

use super::PackageError;

/// Limits on what one package may make us read. Generous for real Apps (the largest DEX files are
/// tens of MB), fatal for bombs.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Most bytes one entry may inflate to.
    pub max_entry: u64,
    /// Most bytes all entries read during one analysis may inflate to.
    pub max_total: u64,
    /// Most entries in the archive.
    pub max_entries: usize,
    /// Highest inflate ratio accepted for an entry above 1 MiB.
    pub max_ratio: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_entry: 256 << 20,
            max_total: 1 << 30,
            max_entries: 200_000,
            max_ratio: 200,
        }
    }
}

/// One entry's name and declared sizes.
#[derive(Debug, Clone)]
pub struct EntryInfo {
    pub name: String,
    pub compressed: u64,
    pub size: u64,
}

/// An open package archive, read from the package's bytes in memory.
pub struct Archive<'a> {
    path: PathBuf,
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    limits: Limits,
    read_so_far: u64,
    entries: Vec<EntryInfo>,
}

impl<'a> Archive<'a> {
    /// Opens the zip and checks its directory against the limits. `path` names it in messages.
    pub fn open(path: &Path, bytes: &'a [u8], limits: Limits) -> Result<Self, PackageError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| match e {
            zip::result::ZipError::Io(source) => PackageError::Io {
                path: path.to_path_buf(),
                source,
            },
            zip::result::ZipError::InvalidArchive(why) if why.contains("central directory") => {
                PackageError::NotAPackage {
                    path: path.to_path_buf(),
                    why: format!("it is not a zip archive ({why})"),
                }
            }
            other => PackageError::corrupt(path, other),
        })?;
        if zip.len() > limits.max_entries {
            return Err(PackageError::TooLarge {
                path: path.to_path_buf(),
                why: format!(
                    "{} entries (at most {} are accepted)",
                    zip.len(),
                    limits.max_entries
                ),
            });
        }
        let mut archive = Self {
            path: path.to_path_buf(),
            zip,
            limits,
            read_so_far: 0,
            entries: Vec::new(),
        };
        let mut entries = Vec::with_capacity(archive.zip.len());
        for i in 0..archive.zip.len() {
            let entry = archive
                .zip
                .by_index_raw(i)
                .map_err(|e| PackageError::corrupt(path, format!("entry #{i}: {e}")))?;
            entries.push(EntryInfo {
                name: entry.name().map(|n| n.into_owned()).map_err(|e| {
                    PackageError::corrupt(path, format!("entry #{i} has an unreadable name: {e}"))
                })?,
                compressed: entry.compressed_size(),
                size: entry.size(),
            });
        }
        archive.entries = entries;
        Ok(archive)
    }

    /// Every entry, in directory order.
    pub fn entries(&self) -> &[EntryInfo] {
        &self.entries
    }

    pub fn contains(&self, name: &str) -> bool {
        self.entries.iter().any(|e| e.name == name)
    }

    /// Reads one entry, refusing one whose declared or actual size is past the limits.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, PackageError> {
        let Some(info) = self.entries.iter().find(|e| e.name == name).cloned() else {
            return Err(PackageError::corrupt(&self.path, format!("{name} is missing")));
        };
        self.check_declared(&info)?;
        // The declared sizes may lie: cap what inflation may produce by the compressed size too.
        let by_ratio = info.compressed.saturating_mul(self.limits.max_ratio).max(1 << 20);
        let budget = self
            .limits
            .max_entry
            .min(self.limits.max_total.saturating_sub(self.read_so_far))
            .min(by_ratio);
        let path = self.path.clone();
        let entry = self
            .zip
            .by_name(name)
            .map_err(|e| PackageError::corrupt(&path, format!("{name}: {e}")))?;
        // Never size a buffer from the header alone: cap it, then let the data prove itself.
        let mut data = Vec::with_capacity(info.size.min(budget).min(64 << 20) as usize);
        let mut capped = entry.take(budget + 1);
        capped
            .read_to_end(&mut data)
            .map_err(|e| PackageError::corrupt(&path, format!("{name} cannot be inflated: {e}")))?;
        if data.len() as u64 > budget {
            return Err(PackageError::TooLarge {
                path,
                why: format!(
                    "{name} inflates past {} MiB from {} compressed bytes",
                    budget >> 20,
                    info.compressed
                ),
            });
        }
        self.read_so_far += data.len() as u64;
        Ok(data)
    }

    fn check_declared(&self, info: &EntryInfo) -> Result<(), PackageError> {
        let too_large = |why: String| PackageError::TooLarge {
            path: self.path.clone(),
            why,
        };
        if info.size > self.limits.max_entry {
            return Err(too_large(format!(
                "{} claims {} MiB uncompressed (at most {} MiB per entry)",
                info.name,
                info.size >> 20,
                self.limits.max_entry >> 20
            )));
        }
        if info.size > 1 << 20 && info.size / info.compressed.max(1) > self.limits.max_ratio {
            return Err(too_large(format!(
                "{} would inflate {} times ({} bytes to {} MiB)",
                info.name,
                info.size / info.compressed.max(1),
                info.compressed,
                info.size >> 20
            )));
        }
        Ok(())
    }
}
