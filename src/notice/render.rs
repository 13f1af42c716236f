//! Drawing the laid-out pages with krilla: subset CJK font, PNG kept lossless, JPEG embedded as
//! it is, annotations as vector shapes over the evidence, page numbers, PDF/A-2b.

use krilla::Document;
use krilla::color::rgb;
use krilla::configure::{Archival, ConfigurationBuilder};
use krilla::geom::{PathBuilder, Point, Size, Transform};
use krilla::image::Image;
use krilla::metadata::{DateTime, Metadata};
use krilla::page::PageSettings;
use krilla::paint::{Fill, Stroke};
use krilla::text::{Font, TextDirection};

use super::layout::{BOTTOM, CONTENT_W, LEFT, Measure, Op, PAGE_H, PAGE_W, Rgb};
use super::{EvidenceImage, NoticeError};
use crate::i18n::Lang;

fn colour(c: Rgb) -> rgb::Color {
    rgb::Color::new(c.0, c.1, c.2)
}

fn fill(c: Rgb) -> Fill {
    Fill {
        paint: colour(c).into(),
        ..Fill::default()
    }
}

fn stroke(c: Rgb, width: f32) -> Stroke {
    Stroke {
        paint: colour(c).into(),
        width,
        ..Stroke::default()
    }
}

fn image_of(e: &EvidenceImage) -> Option<Image> {
    // PDF/A forbids image interpolation: keep it off.
    match e.item.media_type.as_str() {
        "image/png" => Image::from_png(e.bytes.clone().into(), false).ok(),
        "image/jpeg" => Image::from_jpeg(e.bytes.clone().into(), false).ok(),
        "image/webp" => Image::from_webp(e.bytes.clone().into(), false).ok(),
        _ => None,
    }
}

/// The font chain as krilla draws it, with its measures.
struct Fonts<'m> {
    chain: Vec<Font>,
    measure: &'m Measure<'static>,
}

impl Fonts<'_> {
    /// Draws a line of (printable) text, each run in the font that has its glyphs.
    fn draw(&self, surface: &mut krilla::surface::Surface<'_>, x: f32, y: f32, size: f32, text: &str) {
        let text = self.measure.printable(text);
        let mut x = x;
        for (index, run) in self.measure.runs(&text) {
            let Some(font) = self.chain.get(index) else {
                continue;
            };
            surface.draw_text(
                Point::from_xy(x, y),
                font.clone(),
                size,
                run,
                false,
                TextDirection::Auto,
            );
            x += self.measure.width(run, size);
        }
    }
}

/// Strokes an annotation 2 pt wide over a white halo, so it reads on dark and light screens alike.
fn haloed(surface: &mut krilla::surface::Surface<'_>, path: &krilla::geom::Path, colour: Rgb) {
    surface.set_fill(None);
    surface.set_stroke(Some(stroke((255, 255, 255), 4.0)));
    surface.draw_path(path);
    surface.set_stroke(Some(stroke(colour, 2.0)));
    surface.draw_path(path);
    surface.set_stroke(None);
}

/// Draws one annotation shape (image-relative coordinates) over an image placed at x, y, w, h.
fn annotation(
    surface: &mut krilla::surface::Surface<'_>,
    fonts: &Fonts<'_>,
    shape: &serde_json::Value,
    x: f32,
    y: f32,
    w: f32,
    h: f32,
) {
    let num = |k: &str| shape.get(k).and_then(|v| v.as_f64()).map(|v| v as f32);
    let (Some(ax), Some(ay)) = (num("x"), num("y")) else {
        return;
    };
    let (px, py) = (x + ax * w, y + ay * h);
    let red = (220, 20, 20);
    match shape.get("kind").and_then(|k| k.as_str()) {
        Some("rect") => {
            let (rw, rh) = (num("w").unwrap_or(0.0) * w, num("h").unwrap_or(0.0) * h);
            let mut pb = PathBuilder::new();
            if let Some(r) = krilla::geom::Rect::from_xywh(px, py, rw.max(0.5), rh.max(0.5)) {
                pb.push_rect(r);
            }
            if let Some(path) = pb.finish() {
                haloed(surface, &path, red);
            }
        }
        Some("arrow") => {
            let (x2, y2) = (x + num("x2").unwrap_or(ax) * w, y + num("y2").unwrap_or(ay) * h);
            let angle = (y2 - py).atan2(x2 - px);
            let head = 7.0;
            let mut pb = PathBuilder::new();
            pb.move_to(px, py);
            pb.line_to(x2, y2);
            pb.move_to(x2 - head * (angle - 0.45).cos(), y2 - head * (angle - 0.45).sin());
            pb.line_to(x2, y2);
            pb.line_to(x2 - head * (angle + 0.45).cos(), y2 - head * (angle + 0.45).sin());
            if let Some(path) = pb.finish() {
                haloed(surface, &path, red);
            }
        }
        Some("text") => {
            // A label on a white box with a red rule: readable over any screenshot.
            let text = shape.get("text").and_then(|t| t.as_str()).unwrap_or("");
            let size = 10.0;
            let width = fonts.measure.width(text, size);
            let mut pb = PathBuilder::new();
            if let Some(r) = krilla::geom::Rect::from_xywh(px - 2.0, py, width + 4.0, size + 4.0) {
                pb.push_rect(r);
            }
            if let Some(path) = pb.finish() {
                surface.set_fill(Some(fill((255, 255, 255))));
                surface.set_stroke(Some(stroke(red, 0.8)));
                surface.draw_path(&path);
                surface.set_stroke(None);
            }
            surface.set_fill(Some(fill(red)));
            fonts.draw(surface, px, py + size + 0.5, size, text);
        }
        _ => {}
    }
}

/// What the PDF/A validator objected to, as a sentence (its names are Rust enum variants).
fn validation_sentence(e: &krilla::configure::ValidationError) -> String {
    use krilla::configure::ValidationError as V;
    match e {
        V::TooLongString => "a text is longer than a PDF/A document allows (32,767 bytes)".into(),
        V::TooLongName => "a name in the PDF is longer than PDF/A allows".into(),
        V::TooManyIndirectObjects => "the document is larger than a PDF/A file can be".into(),
        V::ContainsNotDefGlyph(_, _, text) => {
            format!("the fonts cannot draw {:?}", crate::i18n::clip(text, 20))
        }
        V::InvalidCodepointMapping(_, _, c, _) | V::UnicodePrivateArea(_, _, c, _) => {
            format!(
                "the character U+{:04X} cannot be put in a PDF/A document",
                u32::from(*c)
            )
        }
        _ => "the document does not meet PDF/A-2b".into(),
    }
}

/// The document information a PDF reader shows (Title, Author, Subject → Description, Keywords).
pub struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub keywords: Vec<String>,
}

/// Renders the pages into PDF/A-2b bytes.
pub fn render(
    pages: &[Vec<Op>],
    evidence: &[EvidenceImage],
    seal: Option<&[u8]>,
    meta: &Meta,
    lang: Lang,
    issued: chrono::NaiveDateTime,
) -> Result<Vec<u8>, NoticeError> {
    let measure = Measure::new(&super::FONTS).ok_or(NoticeError::Font)?;
    let fonts = Fonts {
        chain: super::FONTS
            .iter()
            .map(|data| Font::new((*data).into(), 0))
            .collect::<Option<Vec<_>>>()
            .ok_or(NoticeError::Font)?,
        measure: &measure,
    };
    let configuration = ConfigurationBuilder::new()
        .with_archival_validator(Archival::A2_B)
        .finish()
        .map_err(|_| NoticeError::Pdf("the PDF/A-2b settings were refused".into()))?;
    let settings = krilla::SerializeSettings {
        configuration,
        ..krilla::SerializeSettings::default()
    };
    let mut document = Document::new_with(settings);
    use chrono::{Datelike as _, Timelike as _};
    document.set_metadata(
        Metadata::new()
            .title(crate::i18n::clip(&meta.title, 300))
            .authors(
                Some(crate::i18n::clip(&meta.author, 200))
                    .filter(|a| !a.is_empty())
                    .into_iter()
                    .collect(),
            )
            .description(crate::i18n::clip(&meta.subject, 300))
            .keywords(meta.keywords.iter().map(|k| crate::i18n::clip(k, 200)).collect())
            .language(lang.pick("zh-CN", "en").to_string())
            .creator("App Inspector".to_string())
            .producer(format!("App Inspector {}", env!("CARGO_PKG_VERSION")))
            .creation_date(
                DateTime::new(issued.year() as u16)
                    .month(issued.month() as u8)
                    .day(issued.day() as u8)
                    .hour(issued.hour() as u8)
                    .minute(issued.minute() as u8)
                    .second(issued.second() as u8),
            ),
    );
    let images: Vec<Option<Image>> = evidence.iter().map(image_of).collect();
    let seal = seal.and_then(|png| Image::from_png(png.to_vec().into(), false).ok());
    let total = pages.len();
    for (n, ops) in pages.iter().enumerate() {
        let mut page =
            document.start_page_with(PageSettings::from_wh(PAGE_W, PAGE_H).ok_or(NoticeError::Layout)?);
        let mut surface = page.surface();
        for op in ops {
            match op {
                Op::Text {
                    x,
                    y,
                    size,
                    text,
                    color,
                    bold,
                } => {
                    surface.set_fill(Some(fill(*color)));
                    // The Song face has no bold weight: bold glyphs are stroked as well as
                    // filled, as word processors embolden it.
                    if *bold {
                        surface.set_stroke(Some(stroke(*color, size * 0.035)));
                    }
                    fonts.draw(&mut surface, *x, *y, *size, text);
                    surface.set_stroke(None);
                }
                Op::Line {
                    x1,
                    y1,
                    x2,
                    y2,
                    width,
                    color,
                } => {
                    let mut pb = PathBuilder::new();
                    pb.move_to(*x1, *y1);
                    pb.line_to(*x2, *y2);
                    if let Some(path) = pb.finish() {
                        surface.set_fill(None);
                        surface.set_stroke(Some(stroke(*color, *width)));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Op::Rect {
                    x,
                    y,
                    w,
                    h,
                    fill: f,
                    stroke: s,
                } => {
                    let mut pb = PathBuilder::new();
                    if let Some(r) = krilla::geom::Rect::from_xywh(*x, *y, w.max(0.1), h.max(0.1)) {
                        pb.push_rect(r);
                    }
                    if let Some(path) = pb.finish() {
                        surface.set_fill(f.map(fill));
                        surface.set_stroke(s.map(|(c, w)| stroke(c, w)));
                        surface.draw_path(&path);
                        surface.set_stroke(None);
                    }
                }
                Op::Seal { x, y, w, h } => {
                    if let (Some(img), Some(size)) = (&seal, Size::from_wh(*w, *h)) {
                        surface.push_transform(&Transform::from_translate(*x, *y));
                        surface.draw_image(img.clone(), size);
                        surface.pop();
                    }
                }
                Op::Image { x, y, w, h, index } => {
                    if let (Some(Some(img)), Some(size)) = (images.get(*index), Size::from_wh(*w, *h)) {
                        surface.push_transform(&Transform::from_translate(*x, *y));
                        surface.draw_image(img.clone(), size);
                        surface.pop();
                        if let Some(shapes) = evidence[*index].item.annotations.as_array() {
                            for shape in shapes {
                                annotation(&mut surface, &fonts, shape, *x, *y, *w, *h);
                            }
                        }
                    }
                }
            }
        }
        // Page furniture: 第 N 页 共 M 页.
        let folio = match lang {
            Lang::Zh => format!("第 {} 页 共 {} 页", n + 1, total),
            Lang::En => format!("Page {} of {}", n + 1, total),
        };
        let w = measure.width(&folio, 9.0);
        surface.set_fill(Some(fill((90, 90, 90))));
        fonts.draw(
            &mut surface,
            LEFT + (CONTENT_W - w) / 2.0,
            PAGE_H - BOTTOM / 2.0,
            9.0,
            &folio,
        );
        surface.finish();
        page.finish();
    }
    document.finish().map_err(|e| {
        NoticeError::Pdf(match e {
            krilla::error::KrillaError::Validation(v) => {
                let mut said: Vec<String> = v.iter().map(|(x, _)| validation_sentence(x)).collect();
                said.dedup();
                said.join("; ")
            }
            krilla::error::KrillaError::Font(_, why) => format!("the font cannot be used ({why})"),
            krilla::error::KrillaError::Image(..) => {
                "an evidence image cannot be embedded (is the file damaged?)".into()
            }
            _ => "the PDF cannot be assembled".into(),
        })
    })
}
