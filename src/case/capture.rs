//! When, and on what, a screenshot or photo was taken: from the file itself (EXIF
//! DateTimeOriginal with its offset, Make and Model) or, for the screenshots and recordings phones
//! name by the moment they were taken (Screenshot_20261130-101500.png,
//! Screenshot_2026-11-30-10-15-00-123_com.app.jpg), from that name. A fact of the original,
//! read, never written: the stored file is untouched.

use serde::{Deserialize, Serialize};

/// Where a capture time was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaptureSource {
    /// The file's EXIF DateTimeOriginal.
    Exif,
    /// The name the phone gave the file.
    FileName,
    /// Entered by the inspector.
    Inspector,
}

impl CaptureSource {
    pub fn label(self, lang: crate::i18n::Lang) -> &'static str {
        match self {
            CaptureSource::Exif => lang.pick("据文件EXIF信息", "from the file's EXIF data"),
            CaptureSource::FileName => lang.pick("据文件名", "from the file name"),
            CaptureSource::Inspector => lang.pick("检查人员录入", "entered by the inspector"),
        }
    }
}

/// When a piece of evidence was captured, as far as the file says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Capture {
    /// `2026-11-30T10:15:00`, with `+08:00` when the file states its offset; otherwise the
    /// phone's own clock, zone unknown.
    pub at: String,
    pub source: CaptureSource,
}

/// What a file's EXIF data says: the capture time (with offset where given) and the camera.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExifFacts {
    pub at: Option<String>,
    pub device: Option<String>,
}

/// Reads EXIF from a JPEG, PNG, WebP or HEIF file; nothing when it has none or it is damaged.
pub fn exif_facts(bytes: &[u8]) -> ExifFacts {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut std::io::Cursor::new(bytes)) else {
        return ExifFacts::default();
    };
    let ascii = |tag: exif::Tag| -> Option<Vec<u8>> {
        match &exif.get_field(tag, exif::In::PRIMARY)?.value {
            exif::Value::Ascii(v) => v.first().cloned(),
            _ => None,
        }
    };
    let at = ascii(exif::Tag::DateTimeOriginal)
        .or_else(|| ascii(exif::Tag::DateTime))
        .and_then(|raw| {
            let mut dt = exif::DateTime::from_ascii(&raw).ok()?;
            if let Some(off) = ascii(exif::Tag::OffsetTimeOriginal).or_else(|| ascii(exif::Tag::OffsetTime)) {
                let _ = dt.parse_offset(&off);
            }
            let date = chrono::NaiveDate::from_ymd_opt(dt.year.into(), dt.month.into(), dt.day.into())?;
            let time = chrono::NaiveTime::from_hms_opt(dt.hour.into(), dt.minute.into(), dt.second.into())?;
            let local = date.and_time(time).format("%Y-%m-%dT%H:%M:%S").to_string();
            Some(match dt.offset {
                Some(m) => format!(
                    "{local}{}{:02}:{:02}",
                    if m < 0 { '-' } else { '+' },
                    m.abs() / 60,
                    m.abs() % 60
                ),
                None => local,
            })
        });
    let clean = |v: Option<Vec<u8>>| {
        v.map(|b| {
            String::from_utf8_lossy(&b)
                .trim()
                .trim_end_matches('\0')
                .to_string()
        })
        .filter(|s| !s.is_empty() && !s.chars().any(char::is_control))
        .map(|s| crate::i18n::clip(&s, 100))
    };
    let (make, model) = (clean(ascii(exif::Tag::Make)), clean(ascii(exif::Tag::Model)));
    let device = match (make, model) {
        (Some(make), Some(model)) if model.starts_with(&make) => Some(model),
        (Some(make), Some(model)) => Some(format!("{make} {model}")),
        (one, other) => one.or(other),
    };
    ExifFacts { at, device }
}

/// The moment in a phone's name for a screenshot or recording: the first run of digits and
/// separators that reads as a plausible YYYYMMDDhhmmss.
pub fn from_name(name: &str) -> Option<String> {
    let stem = name.rsplit(['/', '\\']).next().unwrap_or(name);
    let mut runs: Vec<String> = Vec::new();
    let mut run = String::new();
    for c in stem.chars() {
        if c.is_ascii_digit() {
            run.push(c);
        } else if "-_. ".contains(c) && !run.is_empty() {
            // A separator inside a run: keep going.
            continue;
        } else if !run.is_empty() {
            runs.push(std::mem::take(&mut run));
        }
    }
    if !run.is_empty() {
        runs.push(run);
    }
    runs.iter().find_map(|digits| {
        let d = digits.get(..14)?;
        let t = chrono::NaiveDateTime::parse_from_str(d, "%Y%m%d%H%M%S").ok()?;
        (2000..2100)
            .contains(&chrono::Datelike::year(&t))
            .then(|| t.format("%Y-%m-%dT%H:%M:%S").to_string())
    })
}

/// Reads a capture time as an inspector types it: `2026-11-30 10:15`, `2026-11-30T10:15:00`, or
/// RFC 3339 with its offset. Returns the stored form (`2026-11-30T10:15:00[+08:00]`).
pub fn parse_entered(text: &str) -> Result<String, String> {
    let t = text.trim();
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(t) {
        return Ok(d.format("%Y-%m-%dT%H:%M:%S%:z").to_string());
    }
    for f in [
        "%Y-%m-%d %H:%M",
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%dT%H:%M:%S",
    ] {
        if let Ok(d) = chrono::NaiveDateTime::parse_from_str(t, f) {
            return Ok(d.format("%Y-%m-%dT%H:%M:%S").to_string());
        }
    }
    Err(format!(
        "{t:?} is not a time: write it as 2026-11-30 10:15 (the device's clock) or 2026-11-30T10:15:00+08:00"
    ))
}

/// The capture of a piece of evidence: as the inspector entered it, else its EXIF time, else its
/// name's.
pub fn capture_of(entered: Option<&str>, exif_at: Option<&str>, name: &str) -> Option<Capture> {
    match entered.filter(|a| !a.is_empty()) {
        Some(at) => Some(Capture {
            at: at.to_string(),
            source: CaptureSource::Inspector,
        }),
        None => capture(exif_at, name),
    }
}

/// The capture of a piece of evidence: its EXIF time, else its name's.
pub fn capture(exif_at: Option<&str>, name: &str) -> Option<Capture> {
    match exif_at.filter(|a| !a.is_empty()) {
        Some(at) => Some(Capture {
            at: at.to_string(),
            source: CaptureSource::Exif,
        }),
        None => from_name(name).map(|at| Capture {
            at,
            source: CaptureSource::FileName,
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn phone_names_give_the_moment_and_other_names_nothing() {
        for (name, at) in [
            ("Screenshot_20261130-101500.png", "2026-11-30T10:15:00"),
            ("Screenshot_20261130-101500_Chrome.jpg", "2026-11-30T10:15:00"),
            (
                "Screenshot_2026-11-30-10-15-00-123_com.tencent.mm.jpg",
                "2026-11-30T10:15:00",
            ),
            ("Screenshot_20261130_101500_com.huawei.jpg", "2026-11-30T10:15:00"),
            (
                "Screenrecorder-2026-11-30-10-15-00-123.mp4",
                "2026-11-30T10:15:00",
            ),
        ] {
            assert_eq!(from_name(name).as_deref(), Some(at), "{name}");
        }
        for name in [
            "zh-CN_settings__keepalive.png",
            "IMG_1234.jpg",
            "shot19991340-256199.png",
            "2026.png",
        ] {
            assert_eq!(from_name(name), None, "{name}");
        }
    }

    #[test]
    fn exif_time_offset_and_camera_are_read_and_damage_is_nothing() {
        // A JPEG written by the image crate, with an EXIF block made here: DateTimeOriginal,
        // OffsetTimeOriginal, Make, Model.
        let img = image::RgbImage::from_pixel(4, 4, image::Rgb([200, 30, 30]));
        let mut jpeg = Vec::new();
        image::codecs::jpeg::JpegEncoder::new(&mut jpeg)
            .encode_image(&img)
            .unwrap_or_default();
        let exif = tiff_with(
            &[(0x010f, "Xiaomi"), (0x0110, "23127PN0CC")],
            &[(0x9003, "2026:11:30 10:15:00"), (0x9011, "+08:00")],
        );
        let mut with = jpeg[..2].to_vec();
        with.extend_from_slice(&[0xFF, 0xE1]);
        with.extend_from_slice(&((exif.len() + 8) as u16).to_be_bytes());
        with.extend_from_slice(b"Exif\0\0");
        with.extend_from_slice(&exif);
        with.extend_from_slice(&jpeg[2..]);
        let facts = exif_facts(&with);
        assert_eq!(facts.at.as_deref(), Some("2026-11-30T10:15:00+08:00"));
        assert_eq!(facts.device.as_deref(), Some("Xiaomi 23127PN0CC"));
        assert_eq!(exif_facts(&jpeg), ExifFacts::default());
        assert_eq!(exif_facts(&with[..40]), ExifFacts::default());
        assert_eq!(exif_facts(b"not an image"), ExifFacts::default());
    }

    /// A little-endian TIFF with ASCII entries in IFD0 and, through an Exif IFD pointer, more.
    fn tiff_with(ifd0: &[(u16, &str)], exif_ifd: &[(u16, &str)]) -> Vec<u8> {
        let mut out = b"II*\0".to_vec();
        out.extend_from_slice(&8u32.to_le_bytes());
        let ifd_len = |n: usize| 2 + n * 12 + 4;
        let ifd0_n = ifd0.len() + 1;
        let exif_at = 8 + ifd_len(ifd0_n);
        let data_at = exif_at + ifd_len(exif_ifd.len());
        let mut data: Vec<u8> = Vec::new();
        let entry = |out: &mut Vec<u8>, tag: u16, text: &str, data: &mut Vec<u8>| {
            let mut bytes = text.as_bytes().to_vec();
            bytes.push(0);
            out.extend_from_slice(&tag.to_le_bytes());
            out.extend_from_slice(&2u16.to_le_bytes());
            out.extend_from_slice(&(bytes.len() as u32).to_le_bytes());
            if bytes.len() <= 4 {
                bytes.resize(4, 0);
                out.extend_from_slice(&bytes);
            } else {
                out.extend_from_slice(&((data_at + data.len()) as u32).to_le_bytes());
                data.extend_from_slice(&bytes);
            }
        };
        out.extend_from_slice(&(ifd0_n as u16).to_le_bytes());
        for (tag, text) in ifd0 {
            entry(&mut out, *tag, text, &mut data);
        }
        // ExifIFDPointer (LONG).
        out.extend_from_slice(&0x8769u16.to_le_bytes());
        out.extend_from_slice(&4u16.to_le_bytes());
        out.extend_from_slice(&1u32.to_le_bytes());
        out.extend_from_slice(&(exif_at as u32).to_le_bytes());
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&(exif_ifd.len() as u16).to_le_bytes());
        for (tag, text) in exif_ifd {
            entry(&mut out, *tag, text, &mut data);
        }
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&data);
        out
    }
}
