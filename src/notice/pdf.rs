//! The little PDF surgery a signature needs: read the cross-reference table and trailer of a PDF
//! App Inspector wrote, and append an incremental update with the signature dictionary, its
//! field, the page that shows it and the catalog's AcroForm — leaving every earlier byte as it was.

#[derive(Debug, thiserror::Error)]
pub enum PdfError {
    #[error("the PDF's structure cannot be read ({0}); only PDFs written by App Inspector can be signed")]
    Structure(String),
    #[error("the signature ({0} bytes) does not fit the room reserved for it")]
    TooLarge(usize),
}

fn err(why: &str) -> PdfError {
    PdfError::Structure(why.to_string())
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn rfind(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).rposition(|w| w == needle)
}

/// The trailer facts an update needs.
struct Trailer {
    startxref: usize,
    size: u32,
    root: u32,
    info: Option<u32>,
    id: Option<String>,
    offsets: std::collections::HashMap<u32, usize>,
}

/// The number right after `key` (PDF writers may omit the spaces: `/Size 38/Root 37 0 R`).
fn number_after(text: &str, key: &str) -> Option<u32> {
    let at = text.find(key)? + key.len();
    let rest = text.get(at..)?.trim_start().trim_start_matches('[').trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    digits.parse().ok()
}

fn read_trailer(pdf: &[u8]) -> Result<Trailer, PdfError> {
    let sx = rfind(pdf, b"startxref").ok_or_else(|| err("no startxref"))?;
    let tail = std::str::from_utf8(&pdf[sx + 9..]).map_err(|_| err("startxref is not text"))?;
    let startxref: usize = tail
        .split_whitespace()
        .next()
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| err("bad startxref"))?;
    let xref = pdf
        .get(startxref..)
        .ok_or_else(|| err("startxref points outside the file"))?;
    if !xref.starts_with(b"xref") {
        return Err(err("cross-reference streams are not supported"));
    }
    let end = find(xref, b"trailer").ok_or_else(|| err("no trailer"))?;
    let table = std::str::from_utf8(&xref[4..end]).map_err(|_| err("the xref table is not text"))?;
    let mut offsets = std::collections::HashMap::new();
    let mut lines = table.lines().map(str::trim).filter(|l| !l.is_empty());
    while let Some(header) = lines.next() {
        let mut parts = header.split_whitespace();
        let (Some(first), Some(count)) = (
            parts.next().and_then(|n| n.parse::<u32>().ok()),
            parts.next().and_then(|n| n.parse::<u32>().ok()),
        ) else {
            return Err(err("bad xref subsection"));
        };
        for i in 0..count {
            let entry = lines.next().ok_or_else(|| err("short xref subsection"))?;
            let mut f = entry.split_whitespace();
            let offset: usize = f
                .next()
                .and_then(|n| n.parse().ok())
                .ok_or_else(|| err("bad xref entry"))?;
            let _generation = f.next();
            if f.next() == Some("n") {
                offsets.insert(first + i, offset);
            }
        }
    }
    let trailer_end = find(&xref[end..], b"startxref").map_or(xref.len(), |e| end + e);
    let trailer = std::str::from_utf8(&xref[end..trailer_end]).map_err(|_| err("the trailer is not text"))?;
    let id = trailer.find("/ID").and_then(|at| {
        let rest = trailer.get(at..)?;
        let open = rest.find('[')?;
        // The `]` after the `[`: a hostile trailer may put one before it.
        let close = open + rest.get(open..)?.find(']')?;
        Some(rest.get(open..=close)?.to_string())
    });
    Ok(Trailer {
        startxref,
        size: number_after(trailer, "/Size").ok_or_else(|| err("no /Size"))?,
        root: number_after(trailer, "/Root").ok_or_else(|| err("no /Root"))?,
        info: number_after(trailer, "/Info"),
        id,
        offsets,
    })
}

/// The dictionary text of object `num` (between `obj` and `endobj`).
fn object<'a>(pdf: &'a [u8], t: &Trailer, num: u32) -> Result<&'a str, PdfError> {
    let offset = *t
        .offsets
        .get(&num)
        .ok_or_else(|| err("an object is missing from the xref table"))?;
    let rest = pdf
        .get(offset..)
        .ok_or_else(|| err("an object offset is outside the file"))?;
    let start = find(rest, b"obj").ok_or_else(|| err("no obj keyword"))? + 3;
    let end = find(rest, b"endobj").ok_or_else(|| err("no endobj keyword"))?;
    if find(&rest[start..end], b"stream").is_some() {
        return Err(err("a page or catalog with a stream"));
    }
    std::str::from_utf8(&rest[start..end])
        .map(str::trim)
        .map_err(|_| err("an object is not text"))
}

fn first_ref(dict: &str, key: &str) -> Option<u32> {
    number_after(dict, key)
}

/// `dict` with `entry` added before its closing `>>`.
fn with_entry(dict: &str, entry: &str) -> Result<String, PdfError> {
    let close = dict.rfind(">>").ok_or_else(|| err("a dictionary without >>"))?;
    let (head, tail) = dict
        .split_at_checked(close)
        .ok_or_else(|| err("a dictionary without >>"))?;
    Ok(format!("{head} {entry}\n{tail}"))
}

/// A PDF text string in UTF-16BE with a byte-order mark, so Chinese displays everywhere.
pub fn text_string(s: &str) -> String {
    let mut hex = String::from("<FEFF");
    for unit in s.encode_utf16() {
        hex += &format!("{unit:04X}");
    }
    hex + ">"
}

/// D:20261201100500+08'00' — the signing time with the offset of the authority's zone.
fn pdf_date(t: chrono::DateTime<chrono::FixedOffset>) -> String {
    let offset = t.offset().local_minus_utc();
    let sign = if offset < 0 { '-' } else { '+' };
    let off = offset.abs();
    format!(
        "D:{}{sign}{:02}'{:02}'",
        t.format("%Y%m%d%H%M%S"),
        off / 3600,
        (off % 3600) / 60
    )
}

/// A PDF with a signature placeholder: the bytes, and where the `/Contents` hex string sits.
pub struct Prepared {
    pub bytes: Vec<u8>,
    /// Offset of `<` and just past `>` of /Contents.
    contents: (usize, usize),
}

impl Prepared {
    /// The bytes the signature covers: everything but the /Contents hex string.
    pub fn signed_bytes(&self) -> Vec<u8> {
        let (a, b) = self.contents;
        [&self.bytes[..a], &self.bytes[b..]].concat()
    }

    /// Writes the CMS blob into the placeholder.
    pub fn fill(&mut self, cms: &[u8]) -> Result<(), PdfError> {
        let (a, b) = self.contents;
        let room = (b - a - 2) / 2;
        if cms.len() > room {
            return Err(PdfError::TooLarge(cms.len()));
        }
        let hex: String = cms.iter().map(|x| format!("{x:02X}")).collect();
        self.bytes[a + 1..a + 1 + hex.len()].copy_from_slice(hex.as_bytes());
        Ok(())
    }
}

/// Appends the signature objects as an incremental update, with a zeroed /Contents of `room`
/// bytes and the /ByteRange already filled in.
pub fn prepare_signature(
    pdf: &[u8],
    name: &str,
    reason: &str,
    location: &str,
    time: chrono::DateTime<chrono::FixedOffset>,
    room: usize,
) -> Result<Prepared, PdfError> {
    let t = read_trailer(pdf)?;
    let catalog = object(pdf, &t, t.root)?;
    if catalog.contains("/AcroForm") {
        return Err(err("the document is already signed or has a form"));
    }
    let pages_ref = first_ref(catalog, "/Pages").ok_or_else(|| err("no /Pages"))?;
    let pages = object(pdf, &t, pages_ref)?;
    let page_ref = first_ref(pages, "/Kids").ok_or_else(|| err("no /Kids"))?;
    let page = object(pdf, &t, page_ref)?;
    if page.contains("/Annots") {
        return Err(err("the first page already has annotations"));
    }
    let sig = t.size;
    let field = t.size + 1;
    let mut out = pdf.to_vec();
    if !out.ends_with(b"\n") {
        out.push(b'\n');
    }
    let mut offsets: Vec<(u32, usize)> = Vec::new();
    // The signature dictionary.
    offsets.push((sig, out.len()));
    out.extend_from_slice(
        format!(
            "{sig} 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /ETSI.CAdES.detached\n/ByteRange "
        )
        .as_bytes(),
    );
    let byte_range_at = out.len();
    out.extend_from_slice(b"[0 0000000000 0000000000 0000000000]\n/Contents ");
    let contents_start = out.len();
    out.push(b'<');
    out.extend(std::iter::repeat_n(b'0', room * 2));
    out.push(b'>');
    let contents_end = out.len();
    out.extend_from_slice(
        format!(
            "\n/M ({})\n/Name {}\n/Reason {}\n/Location {} >>\nendobj\n",
            pdf_date(time),
            text_string(name),
            text_string(reason),
            text_string(location)
        )
        .as_bytes(),
    );
    // The (invisible) signature field, a widget on the first page.
    offsets.push((field, out.len()));
    out.extend_from_slice(
        format!(
            "{field} 0 obj\n<< /Type /Annot /Subtype /Widget /FT /Sig /F 132 /Rect [0 0 0 0] /T {} /V {sig} 0 R /P {page_ref} 0 R >>\nendobj\n",
            text_string(&format!("Signature{sig}"))
        )
        .as_bytes(),
    );
    offsets.push((page_ref, out.len()));
    out.extend_from_slice(
        format!(
            "{page_ref} 0 obj\n{}\nendobj\n",
            with_entry(page, &format!("/Annots [{field} 0 R]"))?
        )
        .as_bytes(),
    );
    offsets.push((t.root, out.len()));
    out.extend_from_slice(
        format!(
            "{} 0 obj\n{}\nendobj\n",
            t.root,
            with_entry(
                catalog,
                &format!("/AcroForm << /Fields [{field} 0 R] /SigFlags 3 >>")
            )?
        )
        .as_bytes(),
    );
    let xref_at = out.len();
    offsets.sort();
    let mut xref = String::from("xref\n");
    for (num, off) in &offsets {
        xref += &format!("{num} 1\n{off:010} 00000 n \n");
    }
    xref += &format!("trailer\n<< /Size {} /Root {} 0 R", field + 1, t.root);
    if let Some(info) = t.info {
        xref += &format!(" /Info {info} 0 R");
    }
    if let Some(id) = &t.id {
        xref += &format!(" /ID {id}");
    }
    xref += &format!(" /Prev {} >>\nstartxref\n{xref_at}\n%%EOF\n", t.startxref);
    out.extend_from_slice(xref.as_bytes());
    // Now the byte range is known: everything but the /Contents hex string.
    let total = out.len();
    let range = format!(
        "[0 {contents_start:>10} {contents_end:>10} {:>10}]",
        total - contents_end
    );
    out[byte_range_at..byte_range_at + range.len()].copy_from_slice(range.as_bytes());
    Ok(Prepared {
        bytes: out,
        contents: (contents_start, contents_end),
    })
}
