//! A check of an .xls file's container (OLE compound file) before calamine reads it. calamine
//! follows the file's sector chains trusting them: a chain that loops, or a stream that claims more
//! bytes than the file has, makes it allocate without bound (a mutated camille export took 24 GB).
//! This walks every chain calamine would follow, once, within the file's own sector count, and
//! refuses the file if any loops, leaves the file, or claims more than the file holds. It then
//! reads the workbook's cell records: calamine lays each sheet out as a dense grid from its first
//! to its last cell, so two cells far apart (row 65,535, column 65,535) would ask for gigabytes.

use crate::le::{u16_at, u32_at, u64_at};

const ENDOFCHAIN: u32 = 0xFFFF_FFFE;
const FREESECT: u32 = 0xFFFF_FFFF;
/// Sector numbers from here up are markers, not sectors.
const RESERVED: u32 = 0xFFFF_FFFA;
const MINI_SECTOR: usize = 64;
const MINI_CUTOFF: u64 = 4096;
/// The most cells a sheet's grid may span: camille writes 7 columns and at most 65,536 rows.
pub const MAX_CELLS: u64 = 4_000_000;

struct File<'a> {
    bytes: &'a [u8],
    sector: usize,
    /// Sectors after the header.
    count: usize,
}

impl File<'_> {
    fn sector(&self, id: u32) -> Result<&[u8], String> {
        let id = id as usize;
        if id >= self.count {
            return Err(format!("sector {id} is beyond the file's {} sectors", self.count));
        }
        let start = (id + 1) * self.sector;
        self.bytes
            .get(start..start + self.sector)
            .ok_or_else(|| format!("sector {id} is cut short"))
    }
}

/// Follows a chain from `start` through `table`, at most `limit` links; the sector numbers in order.
fn chain(start: u32, table: &[u32], limit: usize, what: &str) -> Result<Vec<u32>, String> {
    let mut out = Vec::new();
    let mut id = start;
    while id != ENDOFCHAIN {
        if id >= RESERVED || out.len() >= limit {
            return Err(format!("the {what} chain loops or leaves the file"));
        }
        out.push(id);
        id = *table
            .get(id as usize)
            .ok_or_else(|| format!("the {what} chain leaves its table"))?;
    }
    Ok(out)
}

/// Checks the container; `Err` says what is wrong.
pub fn check(bytes: &[u8]) -> Result<(), String> {
    let head = bytes.get(..512).ok_or("the file is shorter than its header")?;
    let sector = match u16_at(head, 30) {
        Some(9) => 512,
        Some(12) => 4096,
        _ => return Err("the sector size is neither 512 nor 4096".into()),
    };
    let count = bytes.len().saturating_sub(sector) / sector;
    let file = File { bytes, sector, count };
    let fat_sectors = u32_at(head, 44).ok_or("no FAT size")? as usize;
    let dir_start = u32_at(head, 48).ok_or("no directory start")?;
    let mini_fat_start = u32_at(head, 60).ok_or("no mini FAT start")?;
    let mini_fat_sectors = u32_at(head, 64).ok_or("no mini FAT size")? as usize;
    let difat_start = u32_at(head, 68).ok_or("no DIFAT start")?;
    if fat_sectors > count || mini_fat_sectors > count {
        return Err("the header claims more sectors than the file has".into());
    }
    // The DIFAT: 109 entries in the header, then a chain of DIFAT sectors.
    let mut difat: Vec<u32> = (0..109).filter_map(|i| u32_at(head, 76 + 4 * i)).collect();
    let mut next = difat_start;
    let mut hops = 0;
    while next < RESERVED {
        hops += 1;
        if hops > count {
            return Err("the DIFAT chain loops".into());
        }
        let s = file.sector(next)?;
        let per = sector / 4 - 1;
        difat.extend((0..per).filter_map(|i| u32_at(s, 4 * i)));
        next = u32_at(s, 4 * per).ok_or("a DIFAT sector is cut short")?;
    }
    let mut fat = Vec::new();
    for id in difat.into_iter().filter(|id| *id < RESERVED) {
        let s = file.sector(id)?;
        fat.extend((0..sector / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    // The directory, every entry's stream, the mini stream and the mini FAT.
    let dirs = chain(dir_start, &fat, count, "directory")?;
    let mut entries = Vec::new();
    for id in &dirs {
        let s = file.sector(*id)?;
        entries.extend(s.chunks_exact(128).map(<[u8]>::to_vec));
    }
    let root = entries.first().ok_or("the directory is empty")?;
    let mini_stream_len = u64_at(root, 120).ok_or("no root size")?;
    if mini_stream_len > bytes.len() as u64 {
        return Err("the mini stream claims more than the file holds".into());
    }
    let mini_stream = chain(
        u32_at(root, 116).unwrap_or(ENDOFCHAIN),
        &fat,
        count,
        "mini stream",
    )?;
    let mini_fat_chain = chain(mini_fat_start, &fat, count, "mini FAT")?;
    let mut mini_fat = Vec::new();
    for id in &mini_fat_chain {
        let s = file.sector(*id)?;
        mini_fat.extend((0..sector / 4).filter_map(|i| u32_at(s, 4 * i)));
    }
    let mini_count = mini_stream.len() * sector / MINI_SECTOR;
    // Every entry's chain (calamine finds streams by name, whatever their type says), and the
    // workbook's: the first entry named "Workbook", else the first named "Book", as calamine looks.
    let mut named: [Option<(Vec<u32>, u64)>; 2] = [None, None];
    for (i, e) in entries.iter().enumerate() {
        let (start, len) = (u32_at(e, 116).unwrap_or(FREESECT), u64_at(e, 120).unwrap_or(0));
        // Version 3 files keep only the low 32 bits of a size.
        let len = if sector == 512 { len & 0xFFFF_FFFF } else { len };
        if len > bytes.len() as u64 {
            return Err("a stream claims more bytes than the file holds".into());
        }
        let ids = if start == FREESECT || start == ENDOFCHAIN {
            Vec::new()
        } else if len < MINI_CUTOFF {
            chain(start, &mini_fat, mini_count, "mini stream")?
        } else if i == 0 {
            // The root's own chain is the mini stream, walked above.
            mini_stream.clone()
        } else {
            chain(start, &fat, count, "stream")?
        };
        let name = entry_name(e);
        for (slot, wanted) in named.iter_mut().zip(["workbook", "book"]) {
            if slot.is_none() && name.eq_ignore_ascii_case(wanted) {
                *slot = Some((ids.clone(), len));
            }
        }
    }
    let [workbook, book] = named;
    let workbook = workbook.or(book);
    let Some((ids, len)) = workbook else {
        return Ok(());
    };
    let mut stream = Vec::new();
    if len < MINI_CUTOFF {
        for id in ids {
            let offset = id as usize * MINI_SECTOR;
            let host = mini_stream
                .get(offset / sector)
                .ok_or("a mini sector is beyond the mini stream")?;
            let within = offset % sector;
            let s = file.sector(*host)?;
            stream.extend_from_slice(
                s.get(within..within + MINI_SECTOR)
                    .ok_or("a mini sector is cut short")?,
            );
        }
    } else {
        for id in ids {
            stream.extend_from_slice(file.sector(id)?);
        }
    }
    stream.truncate(len as usize);
    cells_bounded(&stream)
}

/// A directory entry's name as calamine reads it: its 64 bytes as UTF-16, up to the first NUL.
fn entry_name(e: &[u8]) -> String {
    let name: String = char::decode_utf16((0..32).filter_map(|i| u16_at(e, 2 * i)))
        .map(|c| c.unwrap_or('\u{FFFD}'))
        .collect();
    match name.find('\0') {
        Some(end) => name.get(..end).unwrap_or_default().to_string(),
        None => name,
    }
}

/// Checks that each sheet's cells span a grid of at most [`MAX_CELLS`]. Sheets are read where the
/// workbook's sheet records (BoundSheet8) say they start, as calamine reads them — whatever those
/// positions point at — from there to the end of the stream.
fn cells_bounded(stream: &[u8]) -> Result<(), String> {
    let mut starts = vec![0usize];
    for (kind, data) in records(stream, 0) {
        if kind == 0x0085
            && let Some(pos) = u32_at(data, 0)
        {
            starts.push(pos as usize);
        }
        if starts.len() > 256 {
            return Err("the workbook names more than 255 sheets".into());
        }
    }
    for start in starts {
        // (first row, last row, first column, last column) of what calamine would read.
        let mut span: Option<(u32, u32, u32, u32)> = None;
        for (kind, data) in records(stream, start) {
            // DIMENSIONS: calamine reserves the grid it declares.
            if kind == 0x0200 {
                dimensions(data)?;
                continue;
            }
            let cells: [Option<(u16, u16)>; 2] = match kind {
                // LABELSST, NUMBER, RK, LABEL, BLANK, BOOLERR, FORMULA, RSTRING: row, column.
                0x00FD | 0x0203 | 0x027E | 0x0204 | 0x0201 | 0x0205 | 0x0006 | 0x00D6 => {
                    [u16_at(data, 0).zip(u16_at(data, 2)), None]
                }
                // MULRK, MULBLANK: row, first column … last column.
                0x00BD | 0x00BE => [
                    u16_at(data, 0).zip(u16_at(data, 2)),
                    u16_at(data, 0).zip(data.len().checked_sub(2).and_then(|e| u16_at(data, e))),
                ],
                _ => continue,
            };
            for (r, c) in cells.into_iter().flatten() {
                let (r, c) = (u32::from(r), u32::from(c));
                span = Some(match span {
                    None => (r, r, c, c),
                    Some((r0, r1, c0, c1)) => (r0.min(r), r1.max(r), c0.min(c), c1.max(c)),
                });
            }
        }
        if let Some((r0, r1, c0, c1)) = span {
            let cells = u64::from(r1 - r0 + 1) * u64::from(c1 - c0 + 1);
            if cells > MAX_CELLS {
                return Err(format!(
                    "a sheet's cells span rows {r0}–{r1} and columns {c0}–{c1}, more than a behaviour log's {MAX_CELLS} cells"
                ));
            }
        }
    }
    Ok(())
}

/// A DIMENSIONS record as calamine reads it: its grid must be the right way round and within
/// [`MAX_CELLS`].
fn dimensions(r: &[u8]) -> Result<(), String> {
    let (rf, rl, cf, cl) = match r.len() {
        10 => (
            u32::from(u16_at(r, 0).unwrap_or(0)),
            u32::from(u16_at(r, 2).unwrap_or(0)),
            u32::from(u16_at(r, 4).unwrap_or(0)),
            u32::from(u16_at(r, 6).unwrap_or(0)),
        ),
        14 | 16 => (
            u32_at(r, 0).unwrap_or(0),
            u32_at(r, 4).unwrap_or(0),
            u32::from(u16_at(r, 8).unwrap_or(0)),
            u32::from(u16_at(r, 10).unwrap_or(0)),
        ),
        _ => return Ok(()),
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl == 0 || cl == 0 {
        return Ok(());
    }
    let (rows, cols) = ((rl - 1).checked_sub(rf), (cl - 1).checked_sub(cf));
    match (rows, cols) {
        (Some(r), Some(c)) if (u64::from(r) + 1) * (u64::from(c) + 1) <= MAX_CELLS => Ok(()),
        _ => Err(format!(
            "a sheet declares rows {rf}–{rl} and columns {cf}–{cl}, more than a behaviour log's {MAX_CELLS} cells or the wrong way round"
        )),
    }
}

/// The records of a BIFF stream from `start`: (type, data), until one does not fit.
fn records(stream: &[u8], start: usize) -> impl Iterator<Item = (u16, &[u8])> {
    let mut at = start;
    std::iter::from_fn(move || {
        let kind = u16_at(stream, at)?;
        let size = u16_at(stream, at + 2)? as usize;
        let data = stream.get(at + 4..at + 4 + size)?;
        at += 4 + size;
        Some((kind, data))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: u16, data: &[u8]) -> Vec<u8> {
        [&kind.to_le_bytes()[..], &(data.len() as u16).to_le_bytes(), data].concat()
    }

    #[test]
    fn cells_far_apart_are_refused_and_a_camille_sheet_passes() {
        let cell = |r: u16, c: u16| {
            record(
                0x0203,
                &[&r.to_le_bytes()[..], &c.to_le_bytes(), &[0u8; 10]].concat(),
            )
        };
        let camille: Vec<u8> = [record(0x0809, &[0; 16]), cell(0, 0), cell(65_535, 6)].concat();
        assert!(cells_bounded(&camille).is_ok());
        let far: Vec<u8> = [record(0x0809, &[0; 16]), cell(0, 0), cell(65_535, 65_535)].concat();
        let why = cells_bounded(&far).unwrap_err();
        assert!(why.contains("columns 0–65535"), "{why}");
    }

    #[test]
    fn a_looping_or_oversized_container_is_refused() {
        assert!(check(b"too short").is_err());
        let mut head = vec![0u8; 512];
        head[..8].copy_from_slice(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
        head[30] = 9;
        // One FAT sector (sector 0) whose entry 1 points to itself: the directory (sector 1) loops.
        head[44] = 1;
        head[48] = 1;
        head[60..64].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        head[68..72].copy_from_slice(&ENDOFCHAIN.to_le_bytes());
        head[76..80].copy_from_slice(&0u32.to_le_bytes());
        for i in 1..109 {
            head[76 + 4 * i..80 + 4 * i].copy_from_slice(&FREESECT.to_le_bytes());
        }
        let mut fat = vec![0xFFu8; 512];
        fat[4..8].copy_from_slice(&1u32.to_le_bytes());
        let file = [head, fat, vec![0u8; 512]].concat();
        let why = check(&file).unwrap_err();
        assert!(why.contains("directory chain loops"), "{why}");
    }
}
