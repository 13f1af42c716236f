//! Scanning many packages: finding them in the folders named (each real file and folder once,
//! whatever links lead to it; nothing unreadable skipped in silence; devices and pipes never
//! read), and a memory budget the parallel scans share, so that a batch stays within it whatever
//! the number of workers.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Condvar, Mutex};

/// What the search found at one place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Found {
    /// A package to scan.
    Package(PathBuf),
    /// Something that could not be searched or read, with the sentence that says why.
    Problem { path: PathBuf, why: String },
}

fn is_package_name(p: &Path) -> bool {
    p.extension().is_some_and(|e| {
        matches!(
            e.to_string_lossy().to_ascii_lowercase().as_str(),
            "apk" | "hap" | "ipa"
        )
    })
}

/// The packages in `paths` (files, or folders searched for `.apk`, `.hap` and `.ipa`), in a
/// stable order. A file or folder reached twice (two links to it, a link back up the tree) is
/// visited once; a folder that cannot be read, a broken link to a package, or a device or pipe
/// named like a package is a [`Found::Problem`], never skipped.
pub fn collect(paths: &[PathBuf]) -> Vec<Found> {
    let mut out = Vec::new();
    let mut seen: HashSet<PathBuf> = HashSet::new();
    let mut stack: Vec<(PathBuf, bool)> = paths.iter().rev().map(|p| (p.clone(), true)).collect();
    let problem = |path: &Path, why: String| Found::Problem {
        path: path.to_path_buf(),
        why,
    };
    while let Some((p, named)) = stack.pop() {
        let meta = match std::fs::metadata(&p) {
            Ok(m) => m,
            Err(e) => {
                if named || is_package_name(&p) {
                    out.push(problem(&p, format!("cannot read {}: {e}", p.display())));
                }
                continue;
            }
        };
        // Each real place once: links and repeated arguments lead to the same canonical path.
        let real = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone());
        if meta.is_dir() {
            if !seen.insert(real) {
                continue;
            }
            let entries = match std::fs::read_dir(&p) {
                Ok(rd) => rd,
                Err(e) => {
                    out.push(problem(
                        &p,
                        format!("cannot read the folder {}: {e}", p.display()),
                    ));
                    continue;
                }
            };
            let mut children = Vec::new();
            for entry in entries {
                match entry {
                    Ok(e) => children.push(e.path()),
                    Err(e) => out.push(problem(
                        &p,
                        format!("cannot read the folder {}: {e}", p.display()),
                    )),
                }
            }
            children.sort();
            for c in children.into_iter().rev() {
                // A folder (or a link to one) is searched; of files, only packages are taken.
                let is_dir = std::fs::metadata(&c).is_ok_and(|m| m.is_dir());
                if is_dir || is_package_name(&c) {
                    stack.push((c, false));
                }
            }
        } else if meta.is_file() {
            if seen.insert(real) {
                out.push(Found::Package(p));
            }
        } else {
            out.push(problem(
                &p,
                format!(
                    "{} is not a regular file (a device, pipe or socket); it was not read",
                    p.display()
                ),
            ));
        }
    }
    out
}

/// Memory the scans of a batch share, in bytes: each scan reserves what it may need before it
/// starts and gives it back when done; a scan waits while the others hold too much. One scan that
/// alone needs more than the whole budget runs by itself.
pub struct MemoryBudget {
    limit: u64,
    used: Mutex<u64>,
    freed: Condvar,
}

/// What one package scan may hold beyond the package itself: one entry read whole, the DEX files
/// kept for the signature check, the parsed manifest, resources and class names.
pub const PER_SCAN: u64 = 224 << 20;

/// A reservation; dropping it gives the memory back.
pub struct Reserved<'b> {
    budget: &'b MemoryBudget,
    bytes: u64,
}

impl MemoryBudget {
    pub fn new(limit: u64) -> Self {
        Self {
            limit,
            used: Mutex::new(0),
            freed: Condvar::new(),
        }
    }

    /// What scanning a package of `file_size` bytes may hold at most: the file is read into memory.
    pub fn need(file_size: u64) -> u64 {
        file_size.saturating_add(PER_SCAN)
    }

    /// Waits until `bytes` fit (or nothing else is held), then holds them.
    pub fn reserve(&self, bytes: u64) -> Reserved<'_> {
        let mut used = self.used.lock().unwrap_or_else(|p| p.into_inner());
        while *used > 0 && used.saturating_add(bytes) > self.limit {
            used = self.freed.wait(used).unwrap_or_else(|p| p.into_inner());
        }
        *used = used.saturating_add(bytes);
        Reserved { budget: self, bytes }
    }
}

impl Drop for Reserved<'_> {
    fn drop(&mut self) {
        let mut used = self.budget.used.lock().unwrap_or_else(|p| p.into_inner());
        *used = used.saturating_sub(self.bytes);
        self.budget.freed.notify_all();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scans_wait_for_memory_and_a_large_one_runs_alone() {
        let budget = MemoryBudget::new(100);
        let a = budget.reserve(60);
        let b_started = std::sync::atomic::AtomicBool::new(false);
        std::thread::scope(|s| {
            s.spawn(|| {
                let _b = budget.reserve(60);
                b_started.store(true, std::sync::atomic::Ordering::SeqCst);
            });
            std::thread::sleep(std::time::Duration::from_millis(50));
            assert!(
                !b_started.load(std::sync::atomic::Ordering::SeqCst),
                "60 + 60 > 100"
            );
            drop(a);
        });
        assert!(b_started.load(std::sync::atomic::Ordering::SeqCst));
        // Alone, even more than the whole budget goes.
        let _big = budget.reserve(500);
    }
}
