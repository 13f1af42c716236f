//! Reading the zip container with limits, before any other parser sees it.
//!
//! A package is attacker-controlled: entries can lie about their sizes, inflate to gigabytes, or
//! claim names that escape. Everything the analysis reads from the zip comes through here, capped.

use std::io::Cursor;

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
    /// Position in the central directory.
    pub index: usize,
    pub name: String,
    pub compressed: u64,
    pub size: u64,
}

/// An open package archive, read from the package's bytes in memory.
pub struct Archive<'a> {
    path: PathBuf,
    bytes: &'a [u8],
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
            bytes,
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
                index: i,
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
    ///
    /// Deflated data is inflated in one call by libdeflate into a buffer of exactly the declared
    /// size: it cannot write past it, so a lying header cannot make it inflate a bomb, and an
    /// entry whose data does not match its size or CRC is reported as damaged.
    pub fn read(&mut self, name: &str) -> Result<Vec<u8>, PackageError> {
        let mut data = Vec::new();
        self.read_into(name, &mut data)?;
        Ok(data)
    }

    /// As [`Archive::read`], into `data`, reusing its allocation (large buffers are fresh pages
    /// from the kernel each time otherwise: reuse matters when every entry is read).
    pub fn read_into(&mut self, name: &str, data: &mut Vec<u8>) -> Result<(), PackageError> {
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
        if info.size > budget {
            return Err(PackageError::TooLarge {
                path,
                why: format!(
                    "{name} would inflate to {} MiB from {} compressed bytes",
                    info.size >> 20,
                    info.compressed
                ),
            });
        }
        let damaged = |why: String| PackageError::corrupt(&path, format!("{name} {why}"));
        let entry = self
            .zip
            .by_index_raw(info.index)
            .map_err(|e| damaged(format!("cannot be read: {e}")))?;
        let method = entry.compression();
        let crc = entry.crc32();
        // The package is in memory: inflate straight from it, no copy of the compressed bytes.
        let start = entry.data_start().unwrap_or(u64::MAX);
        drop(entry);
        let raw = usize::try_from(start)
            .ok()
            .zip(usize::try_from(info.compressed).ok())
            .and_then(|(s, n)| self.bytes.get(s..s.checked_add(n)?))
            .ok_or_else(|| damaged("is cut short".into()))?;
        data.clear();
        match method {
            zip::CompressionMethod::Stored => data.extend_from_slice(raw),
            zip::CompressionMethod::Deflated => {
                data.resize(info.size as usize, 0);
                let written = libdeflater::Decompressor::new()
                    .deflate_decompress(raw, data)
                    .map_err(|e| match e {
                        libdeflater::DecompressionError::InsufficientSpace => {
                            damaged("inflates to more than its declared size".into())
                        }
                        libdeflater::DecompressionError::BadData => {
                            damaged("cannot be inflated: bad data".into())
                        }
                    })?;
                if written != data.len() {
                    return Err(damaged(format!(
                        "inflates to {written} bytes, not the {} its header declares",
                        data.len()
                    )));
                }
            }
            other => {
                return Err(damaged(format!(
                    "uses an unsupported compression method ({other:?})"
                )));
            }
        }
        if crc32fast::hash(data) != crc {
            return Err(damaged("fails its CRC check (the data was altered)".into()));
        }
        self.read_so_far += data.len() as u64;
        Ok(())
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
