//! Reading the zip container with limits, before any other parser sees it.
//!
//! A package is attacker-controlled: entries can lie about their sizes, inflate to gigabytes, or
//! claim names that escape. Everything the analysis reads from the zip comes through here, capped.

use std::collections::HashMap;
use std::io::Cursor;
use std::path::{Path, PathBuf};

use super::PackageError;

/// Limits on what one package may make us read. Generous for real Apps (the largest DEX files are
/// tens of MB), fatal for bombs.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest package file read (it is read into memory once).
    pub max_package: u64,
    /// Most bytes one entry read whole (manifest, resources, DEX, icon) may inflate to. Larger
    /// entries (a video in assets/) are only ever streamed through a digest.
    pub max_entry: u64,
    /// Most bytes all entries read during one analysis may inflate to.
    pub max_total: u64,
    /// Most entries in the archive.
    pub max_entries: usize,
    /// Highest inflate ratio accepted for an entry above 1 MiB.
    pub max_ratio: u64,
    /// Most inflated bytes kept in memory at once to be read again (the DEX files, which the v1
    /// signature check digests after the class lists were read); beyond it they are inflated
    /// twice rather than held.
    pub max_kept: u64,
}

/// A zip error as a sentence: the zip crate's messages name its internal structures
/// ("Unexpected end of zip::format::blocks::Zip32CDEBlock"), which tell a person nothing.
pub fn zip_sentence(e: &zip::result::ZipError) -> String {
    use zip::result::ZipError;
    match e {
        ZipError::Io(io) => format!("it cannot be read ({io})"),
        ZipError::InvalidArchive(why) => {
            let why = why.to_string();
            if why.contains("offset") {
                "its table of contents points outside the file".into()
            } else if why.contains("EOCD") || why.contains("CDEBlock") || why.contains("Unexpected end") {
                "its end — the zip's table of contents — is missing or cut short; the file is incomplete (an interrupted copy or download?)".into()
            } else if why.contains("Multi-disk") {
                "it says it is split over several disks, which a package never is".into()
            } else if why.contains("central directory") {
                "its table of contents cannot be read".into()
            } else if why.contains("::") {
                "its zip structure is invalid".into()
            } else {
                format!("its zip structure is invalid ({why})")
            }
        }
        ZipError::UnsupportedArchive(why) => format!("it uses a zip feature that is not supported ({why})"),
        ZipError::FileNotFound => "an entry it lists is missing".into(),
        other => {
            let text = other.to_string();
            if text.contains("::") {
                "its zip structure is invalid".into()
            } else {
                format!("its zip structure is invalid ({text})")
            }
        }
    }
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_package: 2 << 30,
            max_entry: 128 << 20,
            max_total: 1 << 30,
            max_entries: 200_000,
            max_ratio: 200,
            max_kept: 64 << 20,
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
    /// Entry index by name: 100,000 entries are looked up in linear time overall.
    by_name: HashMap<String, usize>,
    /// Where the central directory and the local headers disagree (see `structure`).
    structure: Vec<String>,
}

impl<'a> Archive<'a> {
    /// Opens the zip and checks its directory against the limits. `path` names it in messages.
    pub fn open(path: &Path, bytes: &'a [u8], limits: Limits) -> Result<Self, PackageError> {
        let zip = zip::ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| PackageError::corrupt(path, zip_sentence(&e)))?;
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
        let mut zip = zip;
        // Entries sharing bytes make a small file inflate many times over (a bomb): refused.
        if zip
            .has_overlapping_entries()
            .map_err(|e| PackageError::corrupt(path, zip_sentence(&e)))?
        {
            return Err(PackageError::TooLarge {
                path: path.to_path_buf(),
                why:
                    "entries of its central directory overlap one another (a zip bomb, or a damaged package)"
                        .into(),
            });
        }
        let mut structure = super::structure::problems(
            bytes,
            zip.central_directory_start(),
            zip.offset(),
            limits.max_entries + 1,
        );
        if zip.has_duplicate_names() && !structure.iter().any(|p| p.contains("two entries")) {
            structure.push("the package holds two entries with the same name".into());
        }
        let mut archive = Self {
            path: path.to_path_buf(),
            bytes,
            zip,
            limits,
            read_so_far: 0,
            entries: Vec::new(),
            by_name: HashMap::new(),
            structure,
        };
        let mut entries = Vec::with_capacity(archive.zip.len());
        for i in 0..archive.zip.len() {
            let entry = archive.zip.by_index_raw(i).map_err(|e| {
                PackageError::corrupt(path, format!("entry #{}: {}", i + 1, zip_sentence(&e)))
            })?;
            entries.push(EntryInfo {
                index: i,
                name: entry.name().map(|n| n.into_owned()).map_err(|e| {
                    PackageError::corrupt(path, format!("entry #{i} has an unreadable name: {e}"))
                })?,
                compressed: entry.compressed_size(),
                size: entry.size(),
            });
        }
        // The total every entry may inflate to, checked before anything is inflated.
        let declared: u64 = entries.iter().map(|e| e.size).fold(0, u64::saturating_add);
        if declared > limits.max_total {
            return Err(PackageError::TooLarge {
                path: path.to_path_buf(),
                why: format!(
                    "its entries would inflate to {} MiB in all (at most {} MiB)",
                    declared >> 20,
                    limits.max_total >> 20
                ),
            });
        }
        archive.by_name = entries.iter().map(|e| (e.name.clone(), e.index)).collect();
        archive.entries = entries;
        Ok(archive)
    }

    /// Where the central directory and the local headers disagree, or a name is there twice:
    /// each said as a sentence. Empty for a sound package.
    pub fn structure_problems(&self) -> &[String] {
        &self.structure
    }

    /// Every entry, in directory order.
    pub fn entries(&self) -> &[EntryInfo] {
        &self.entries
    }

    /// The directory facts of an entry, by name.
    fn info(&self, name: &str) -> Result<EntryInfo, PackageError> {
        self.by_name
            .get(name)
            .and_then(|&i| self.entries.get(i))
            .cloned()
            .ok_or_else(|| PackageError::corrupt(&self.path, format!("{name} is missing")))
    }

    pub fn contains(&self, name: &str) -> bool {
        self.by_name.contains_key(name)
    }

    /// Feeds one entry's bytes to `sink`, in pieces: a small entry is inflated whole into `buf`
    /// (see [`Archive::read_into`]), a large one streamed, so that no entry of any size is ever
    /// held in memory whole. The size and CRC are checked as for a read.
    pub fn stream(
        &mut self,
        name: &str,
        buf: &mut Vec<u8>,
        sink: &mut dyn FnMut(&[u8]),
    ) -> Result<(), PackageError> {
        /// Above this, an entry is streamed rather than inflated in one piece.
        const WHOLE_UP_TO: u64 = 4 << 20;
        let info = self.info(name)?;
        if info.size <= WHOLE_UP_TO {
            self.read_into(name, buf)?;
            sink(buf);
            return Ok(());
        }
        self.check_ratio(&info)?;
        let path = self.path.clone();
        if info.size > self.limits.max_total.saturating_sub(self.read_so_far) {
            return Err(PackageError::TooLarge {
                path,
                why: format!(
                    "reading {name} would inflate past {} MiB in all",
                    self.limits.max_total >> 20
                ),
            });
        }
        let damaged = |why: String| PackageError::corrupt(&path, format!("{name} {why}"));
        let mut entry = self
            .zip
            .by_index(info.index)
            .map_err(|e| damaged(format!("cannot be read: {}", zip_sentence(&e))))?;
        let mut chunk = vec![0u8; 256 << 10];
        let mut seen = 0u64;
        loop {
            let got = std::io::Read::read(&mut entry, &mut chunk)
                .map_err(|e| damaged(format!("cannot be inflated ({e}); its data or CRC is damaged")))?;
            if got == 0 {
                break;
            }
            seen += got as u64;
            if seen > info.size {
                return Err(damaged("inflates to more than its declared size".into()));
            }
            sink(&chunk[..got]);
        }
        if seen != info.size {
            return Err(damaged(format!(
                "inflates to {seen} bytes, not the {} its header declares",
                info.size
            )));
        }
        self.read_so_far += seen;
        Ok(())
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
        let info = self.info(name)?;
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
            .map_err(|e| damaged(format!("cannot be read: {}", zip_sentence(&e))))?;
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
        if info.size > self.limits.max_entry {
            return Err(PackageError::TooLarge {
                path: self.path.clone(),
                why: format!(
                    "{} claims {} MiB uncompressed (at most {} MiB per entry read whole)",
                    info.name,
                    info.size >> 20,
                    self.limits.max_entry >> 20
                ),
            });
        }
        self.check_ratio(info)
    }

    fn check_ratio(&self, info: &EntryInfo) -> Result<(), PackageError> {
        let too_large = |why: String| PackageError::TooLarge {
            path: self.path.clone(),
            why,
        };
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
