//! Preparing an evidence file: what it is, its size, its thumbnail — with images checked before
//! decoding, so a decompression bomb is refused instead of exhausting memory.

use std::io::Cursor;

use super::CaseError;

/// Limits on an image: a long phone screenshot (1080×20,000) passes, a 20,000×20,000 bomb does not.
pub const MAX_WIDTH: u32 = 10_000;
pub const MAX_HEIGHT: u32 = 40_000;
pub const MAX_PIXELS: u64 = 60_000_000;
/// Largest evidence file accepted: a long screen recording, or a behaviour log of a million
/// records. Stored through SQLite's incremental blob I/O, never copied whole.
pub const MAX_FILE: u64 = 512 << 20;

const THUMB_WIDTH: u32 = 240;
const THUMB_HEIGHT: u32 = 480;

/// A file to store in a case (`what` names it in a refusal): only a regular file, and no more than
/// evidence may be, so a device such as /dev/zero is refused unread; with the name it had.
pub fn read_file(path: &std::path::Path, what: &'static str) -> Result<(String, Vec<u8>), CaseError> {
    let bytes = crate::input::read_regular(path, MAX_FILE, what)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((name, bytes))
}

/// An evidence file ready to store.
pub struct Prepared {
    pub media_type: String,
    pub width: Option<u32>,
    pub height: Option<u32>,
    pub thumbnail: Option<Vec<u8>>,
    /// What the image's EXIF says of its capture.
    pub exif: super::capture::ExifFacts,
}

fn document_type(name: &str) -> &'static str {
    let lower = name.to_ascii_lowercase();
    let ext = lower.rsplit('.').next().unwrap_or("");
    match ext {
        "pdf" => "application/pdf",
        "txt" | "log" => "text/plain",
        "html" | "htm" => "text/html",
        "json" => "application/json",
        "mp4" => "video/mp4",
        "mov" => "video/quicktime",
        "doc" => "application/msword",
        "docx" => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "xls" => "application/vnd.ms-excel",
        "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        "zip" => "application/zip",
        "apk" => "application/vnd.android.package-archive",
        _ => "application/octet-stream",
    }
}

/// The file extension used for a media type in bundles.
pub fn extension(media_type: &str) -> &'static str {
    match media_type {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/webp" => "webp",
        "application/pdf" => "pdf",
        "text/plain" => "txt",
        "text/html" => "html",
        "application/json" => "json",
        "video/mp4" => "mp4",
        "video/quicktime" => "mov",
        "application/zip" => "zip",
        "application/vnd.android.package-archive" => "apk",
        _ => "bin",
    }
}

/// Checks an image's header against the limits; `Ok(None)` when the bytes are not an image we
/// read (PNG, JPEG, WebP).
pub fn image_dimensions(
    bytes: &[u8],
    name: &str,
) -> Result<Option<(image::ImageFormat, u32, u32)>, CaseError> {
    let Ok(format) = image::guess_format(bytes) else {
        return Ok(None);
    };
    if !matches!(
        format,
        image::ImageFormat::Png | image::ImageFormat::Jpeg | image::ImageFormat::WebP
    ) {
        return Ok(None);
    }
    let fail = |why: String| CaseError::Evidence {
        name: name.to_string(),
        why,
    };
    let reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let (w, h) = reader.into_dimensions().map_err(|e| {
        fail(format!(
            "the image header cannot be read ({e}); is the file damaged?"
        ))
    })?;
    if w == 0 || h == 0 || w > MAX_WIDTH || h > MAX_HEIGHT || u64::from(w) * u64::from(h) > MAX_PIXELS {
        return Err(fail(format!(
            "the image claims {w}×{h} pixels, more than a screenshot can have (at most {MAX_WIDTH}×{MAX_HEIGHT} and {} million pixels); it was refused without being decoded",
            MAX_PIXELS / 1_000_000
        )));
    }
    Ok(Some((format, w, h)))
}

/// Identifies the file and, for an image, checks it and makes its thumbnail.
pub fn prepare(bytes: &[u8], name: &str) -> Result<Prepared, CaseError> {
    let fail = |why: String| CaseError::Evidence {
        name: name.to_string(),
        why,
    };
    if bytes.len() as u64 > MAX_FILE {
        return Err(fail(format!("the file is larger than {} MiB", MAX_FILE >> 20)));
    }
    let Some((format, w, h)) = image_dimensions(bytes, name)? else {
        return Ok(Prepared {
            media_type: document_type(name).to_string(),
            width: None,
            height: None,
            thumbnail: None,
            exif: Default::default(),
        });
    };
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_WIDTH);
    limits.max_image_height = Some(MAX_HEIGHT);
    limits.max_alloc = Some(MAX_PIXELS * 4 + (64 << 20));
    reader.limits(limits);
    let img = reader
        .decode()
        .map_err(|e| fail(format!("the image cannot be decoded ({e}); is the file damaged?")))?;
    // Long screenshots: the thumbnail shows the top, at most twice as tall as wide.
    let crop_h = h.min(w.saturating_mul(2)).max(1);
    let top = img.crop_imm(0, 0, w, crop_h);
    let thumb = top.thumbnail(THUMB_WIDTH, THUMB_HEIGHT).to_rgb8();
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 80)
        .encode_image(&thumb)
        .map_err(|e| fail(format!("the thumbnail cannot be made ({e})")))?;
    let media_type = match format {
        image::ImageFormat::Png => "image/png",
        image::ImageFormat::Jpeg => "image/jpeg",
        _ => "image/webp",
    };
    Ok(Prepared {
        media_type: media_type.to_string(),
        width: Some(w),
        height: Some(h),
        thumbnail: Some(out),
        exif: super::capture::exif_facts(bytes),
    })
}

/// Checks annotations: a JSON array of shapes (`rect`, `arrow`, `text`) in image-relative
/// coordinates 0–1.
pub fn check_annotations(value: &serde_json::Value) -> Result<(), String> {
    let Some(shapes) = value.as_array() else {
        return Err("annotations must be a JSON array of shapes".into());
    };
    for (i, s) in shapes.iter().enumerate() {
        let kind = s.get("kind").and_then(|k| k.as_str()).unwrap_or("");
        if !matches!(kind, "rect" | "arrow" | "text") {
            return Err(format!(
                "shape {}: kind must be rect, arrow or text, not {kind:?}",
                i + 1
            ));
        }
        for key in ["x", "y"] {
            let v = s.get(key).and_then(|v| v.as_f64());
            if !v.is_some_and(|v| (0.0..=1.0).contains(&v)) {
                return Err(format!("shape {}: {key} must be a number from 0 to 1", i + 1));
            }
        }
    }
    Ok(())
}

/// Writes a read-only copy of an evidence file for the system's program to open: in `folder`,
/// named by the start of its SHA-256 and its original name (reduced to a plain file name: the
/// name came from elsewhere and may hold `../`). A copy already there is used again only while it
/// still matches the SHA-256 — a viewer may have changed it; the original in the store never
/// changes either way. `bytes` are the store's, already checked against `sha256`.
pub fn copy_out(
    bytes: &[u8],
    sha256: &str,
    name: &str,
    folder: &std::path::Path,
) -> Result<std::path::PathBuf, crate::output::OutputError> {
    let plain: String = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, ':' | '*' | '?' | '"' | '<' | '>' | '|'))
        .take(120)
        .collect();
    let plain = plain.trim_start_matches('.');
    let file = format!(
        "{}-{}",
        crate::i18n::prefix(sha256, 12),
        if plain.is_empty() { "evidence" } else { plain }
    );
    let io = |path: &std::path::Path| {
        let path = path.to_path_buf();
        move |source| crate::output::OutputError::Io { path, source }
    };
    std::fs::create_dir_all(folder).map_err(io(folder))?;
    let target = folder.join(file);
    if let Ok(existing) = std::fs::read(&target) {
        if crate::case::store::sha256_hex(&existing) == sha256 {
            return Ok(target);
        }
        let mut perms = std::fs::metadata(&target).map_err(io(&target))?.permissions();
        #[allow(clippy::permissions_set_readonly_false)] // our own copy, replaced whole
        perms.set_readonly(false);
        std::fs::set_permissions(&target, perms).map_err(io(&target))?;
    }
    crate::output::write(&target, bytes, true)?;
    let mut perms = std::fs::metadata(&target).map_err(io(&target))?.permissions();
    perms.set_readonly(true);
    std::fs::set_permissions(&target, perms).map_err(io(&target))?;
    Ok(target)
}

#[cfg(test)]
mod copy_tests {
    use super::copy_out;

    #[test]
    fn a_copy_is_read_only_named_plainly_and_remade_when_changed() {
        let dir = tempfile::tempdir().unwrap();
        let bytes = b"%PDF-1.4 rectification report";
        let sha = crate::case::store::sha256_hex(bytes);
        let path = copy_out(bytes, &sha, "../../etc/报告.pdf", dir.path()).unwrap();
        assert_eq!(path.parent().unwrap(), dir.path());
        assert!(path.file_name().unwrap().to_string_lossy().ends_with("-报告.pdf"));
        assert!(std::fs::metadata(&path).unwrap().permissions().readonly());
        // A viewer changed the copy: the next opening writes the original again.
        let mut perms = std::fs::metadata(&path).unwrap().permissions();
        #[allow(clippy::permissions_set_readonly_false)]
        perms.set_readonly(false);
        std::fs::set_permissions(&path, perms).unwrap();
        std::fs::write(&path, b"changed").unwrap();
        let again = copy_out(bytes, &sha, "../../etc/报告.pdf", dir.path()).unwrap();
        assert_eq!(std::fs::read(again).unwrap(), bytes);
    }
}
