//! The launcher icon: which image it is and how much of it is transparent (a transparent icon
//! hides the App from the user, clause 3).

use std::io::Cursor;

use apk_info_axml::{ARSC, AXML};

use super::archive::Archive;
use super::report::IconFacts;
use super::{guard, resources};

/// Icons are small; anything larger than this is refused before decoding.
const MAX_SIDE: u32 = 4096;

fn is_raster(path: &str) -> bool {
    let p = path.to_ascii_lowercase();
    p.ends_with(".png") || p.ends_with(".webp") || p.ends_with(".jpg") || p.ends_with(".jpeg")
}

fn candidates(arsc: Option<&ARSC>, reference: &str) -> Vec<String> {
    if reference.starts_with("res/") {
        return vec![reference.to_string()];
    }
    arsc.map(|a| {
        resources::files(a, reference)
            .into_iter()
            .map(|(_, p)| p)
            .collect()
    })
    .unwrap_or_default()
}

/// Side of the icon preview kept for the window (the package itself is not stored).
const PREVIEW_SIDE: u32 = 128;

/// What was measured of an icon image.
struct Measured {
    width: u32,
    height: u32,
    transparent_share: f64,
    preview_png: Option<Vec<u8>>,
}

/// Decodes an image and measures it: size, share of nearly transparent pixels, a small PNG preview.
fn measure(bytes: &[u8]) -> Result<Measured, String> {
    let mut reader = image::ImageReader::new(Cursor::new(bytes))
        .with_guessed_format()
        .map_err(|e| e.to_string())?;
    let mut limits = image::Limits::default();
    limits.max_image_width = Some(MAX_SIDE);
    limits.max_image_height = Some(MAX_SIDE);
    limits.max_alloc = Some(128 << 20);
    reader.limits(limits);
    let img = reader.decode().map_err(|e| e.to_string())?.into_rgba8();
    let total = u64::from(img.width()) * u64::from(img.height());
    let clear = img.pixels().filter(|p| p.0[3] < 16).count() as u64;
    // Keeps the aspect ratio (imageops::thumbnail would stretch to a square).
    let small = image::DynamicImage::ImageRgba8(img.clone());
    let small = if img.width() > PREVIEW_SIDE || img.height() > PREVIEW_SIDE {
        small.thumbnail(PREVIEW_SIDE, PREVIEW_SIDE)
    } else {
        small
    };
    let mut preview = Vec::new();
    let preview_png = small
        .write_to(&mut Cursor::new(&mut preview), image::ImageFormat::Png)
        .ok()
        .map(|()| preview);
    Ok(Measured {
        width: img.width(),
        height: img.height(),
        transparent_share: if total == 0 {
            1.0
        } else {
            clear as f64 / total as f64
        },
        preview_png,
    })
}

/// A colour value such as `#ff336699`; `Some(true)` when fully transparent.
fn colour_is_clear(value: &str) -> Option<bool> {
    let hex = value.strip_prefix('#')?;
    match hex.len() {
        // `get`: eight bytes of hostile text need not be eight ASCII digits.
        8 => u8::from_str_radix(hex.get(..2)?, 16).ok().map(|a| a < 16),
        6 | 3 => Some(false),
        _ => None,
    }
}

/// Finds and measures the launcher icon. `Ok(None)` when the package has no raster icon we can read.
pub fn analyse(
    archive: &mut Archive,
    arsc: Option<&ARSC>,
    reference: &str,
) -> Result<Option<IconFacts>, String> {
    let all = candidates(arsc, reference);
    if let Some(path) = all.iter().find(|p| is_raster(p)) {
        return raster(archive, path).map(Some);
    }
    // An adaptive icon (XML): visible if either layer is. Measure the foreground; an opaque
    // background colour or image makes the whole icon visible.
    let Some(xml_path) = all.iter().find(|p| p.ends_with(".xml")) else {
        return Ok(None);
    };
    let data = archive.read(xml_path).map_err(|e| e.to_string())?;
    let xml = guard::guarded("adaptive icon", || AXML::new(&mut &data[..], arsc))?
        .map_err(|e| format!("{xml_path} cannot be read: {e}"))?;
    let layer = |name: &str| {
        xml.root
            .childrens()
            .find(|c| c.name() == name)
            .and_then(|c| c.attr("drawable"))
            .map(str::to_string)
    };
    let background_clear = match layer("background") {
        None => true,
        Some(v) if v.starts_with('#') => colour_is_clear(&v).unwrap_or(false),
        Some(v) => match candidates(arsc, &v).iter().find(|p| is_raster(p)) {
            Some(p) => raster(archive, p)?.transparent_share > 0.95,
            // A colour resource or a vector drawable: assume it paints.
            None => false,
        },
    };
    let foreground = layer("foreground")
        .and_then(|f| candidates(arsc, &f).into_iter().find(|p| is_raster(p)))
        .map(|p| raster(archive, &p))
        .transpose()?;
    Ok(foreground.map(|mut f| {
        if !background_clear {
            f.transparent_share = 0.0;
        }
        f.path = format!("{xml_path} ({})", f.path);
        f
    }))
}

fn raster(archive: &mut Archive, path: &str) -> Result<IconFacts, String> {
    let bytes = archive.read(path).map_err(|e| e.to_string())?;
    let m = measure(&bytes).map_err(|e| format!("the icon {path} cannot be decoded: {e}"))?;
    Ok(IconFacts {
        path: path.to_string(),
        width: m.width,
        height: m.height,
        transparent_share: m.transparent_share,
        preview_png: m.preview_png,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn png(w: u32, h: u32, alpha: u8) -> Vec<u8> {
        let img = image::RgbaImage::from_pixel(w, h, image::Rgba([10, 20, 30, alpha]));
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        out
    }

    #[test]
    fn measures_transparency() {
        let opaque = measure(&png(8, 8, 255)).unwrap();
        assert_eq!(
            (opaque.width, opaque.height, opaque.transparent_share),
            (8, 8, 0.0)
        );
        assert_eq!(measure(&png(8, 8, 0)).unwrap().transparent_share, 1.0);
        assert!(measure(b"not an image").is_err());
    }

    #[test]
    fn keeps_a_small_preview() {
        let big = measure(&png(512, 256, 255)).unwrap();
        let preview = image::load_from_memory(&big.preview_png.unwrap()).unwrap();
        assert_eq!((preview.width(), preview.height()), (128, 64));
        let small = measure(&png(48, 48, 255)).unwrap();
        let preview = image::load_from_memory(&small.preview_png.unwrap()).unwrap();
        assert_eq!((preview.width(), preview.height()), (48, 48));
    }

    #[test]
    fn refuses_huge_images_before_decoding() {
        let img = image::GrayImage::new(MAX_SIDE + 1, 1);
        let mut out = Vec::new();
        img.write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
            .unwrap();
        assert!(measure(&out).is_err());
    }

    #[test]
    fn colours() {
        assert_eq!(colour_is_clear("#00ffffff"), Some(true));
        assert_eq!(colour_is_clear("#ff000000"), Some(false));
        assert_eq!(colour_is_clear("#123456"), Some(false));
    }
}
