//! Whether a zip's two directories agree: each central-directory record against the local header
//! it points to, and no name twice. Android and apksigner refuse a package where they do not (a
//! tool reading the local headers and one reading the central directory would see different
//! packages), so such a package must never be called "verified".
//!
//! The zip crate reads the central directory; this walks it once more, over the bytes already in
//! memory, only to compare — nothing here is used to read entry data.

use std::collections::HashSet;

use crate::le::{u16_at, u32_at};

/// What does not agree, each said as a sentence naming the entry (at most a few). At most
/// `max_records` central-directory records are walked.
pub fn problems(bytes: &[u8], directory_start: u64, archive_offset: u64, max_records: usize) -> Vec<String> {
    const MAX_REPORTED: usize = 5;
    let mut out = Vec::new();
    let mut seen: HashSet<&[u8]> = HashSet::new();
    let Ok(mut at) = usize::try_from(directory_start) else {
        return out;
    };
    let shown = |name: &[u8]| crate::i18n::clip(&String::from_utf8_lossy(name), 80);
    for _ in 0..max_records {
        if out.len() >= MAX_REPORTED {
            break;
        }
        if bytes.get(at..at + 4) != Some(b"PK\x01\x02".as_slice()) {
            break;
        }
        let (
            Some(flags),
            Some(method),
            Some(crc),
            Some(csize),
            Some(usize_),
            Some(name_len),
            Some(extra_len),
            Some(comment_len),
            Some(local),
        ) = (
            u16_at(bytes, at + 8),
            u16_at(bytes, at + 10),
            u32_at(bytes, at + 16),
            u32_at(bytes, at + 20),
            u32_at(bytes, at + 24),
            u16_at(bytes, at + 28),
            u16_at(bytes, at + 30),
            u16_at(bytes, at + 32),
            u32_at(bytes, at + 42),
        )
        else {
            break;
        };
        let name_start = at + 46;
        let Some(name) = bytes.get(name_start..name_start + usize::from(name_len)) else {
            break;
        };
        at = name_start + usize::from(name_len) + usize::from(extra_len) + usize::from(comment_len);
        if !seen.insert(name) {
            out.push(format!("the package holds two entries named {:?}", shown(name)));
            continue;
        }
        // Zip64 keeps the real offset elsewhere; those are compared by name only.
        let Some(lh) = (local != u32::MAX)
            .then(|| usize::try_from(u64::from(local) + archive_offset).ok())
            .flatten()
        else {
            continue;
        };
        if bytes.get(lh..lh + 4) != Some(b"PK\x03\x04".as_slice()) {
            out.push(format!("the entry {:?} points to no local header", shown(name)));
            continue;
        }
        let (Some(l_flags), Some(l_method), Some(l_crc), Some(l_csize), Some(l_usize), Some(l_name_len)) = (
            u16_at(bytes, lh + 6),
            u16_at(bytes, lh + 8),
            u32_at(bytes, lh + 14),
            u32_at(bytes, lh + 18),
            u32_at(bytes, lh + 22),
            u16_at(bytes, lh + 26),
        ) else {
            out.push(format!("the local header of {:?} is cut short", shown(name)));
            continue;
        };
        let l_name = bytes.get(lh + 30..lh + 30 + usize::from(l_name_len));
        if l_name != Some(name) {
            out.push(format!(
                "the entry {:?} has another name in its local header ({:?})",
                shown(name),
                shown(l_name.unwrap_or_default())
            ));
            continue;
        }
        if l_method != method {
            out.push(format!(
                "the entry {:?} has another compression method in its local header",
                shown(name)
            ));
            continue;
        }
        // With a data descriptor (flag bit 3) the local header may leave CRC and sizes zero.
        let described = (flags | l_flags) & 0x0008 != 0;
        let zip64 = csize == u32::MAX || usize_ == u32::MAX;
        if !described && !zip64 && (l_crc != crc || l_csize != csize || l_usize != usize_) {
            out.push(format!(
                "the entry {:?} has another CRC or size in its local header",
                shown(name)
            ));
        }
    }
    out
}
