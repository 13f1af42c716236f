//! A small page layout engine for notices: measured line breaking (CJK breaks between characters,
//! Latin between words, no closing punctuation at a line start), paragraphs, tables whose header
//! repeats on every page, images, and page furniture. The result is a list of pages of drawing
//! operations, so the page count is known before anything is drawn.

use skrifa::MetadataProvider as _;
use skrifa::instance::{LocationRef, Size};

/// A4 in points, with official-document margins (GB/T 9704, rounded).
pub const PAGE_W: f32 = 595.28;
pub const PAGE_H: f32 = 841.89;
pub const LEFT: f32 = 72.0;
pub const RIGHT: f32 = 72.0;
pub const TOP: f32 = 80.0;
pub const BOTTOM: f32 = 80.0;
pub const CONTENT_W: f32 = PAGE_W - LEFT - RIGHT;

/// An RGB colour.
pub type Rgb = (u8, u8, u8);
pub const BLACK: Rgb = (0, 0, 0);
pub const GREY: Rgb = (110, 110, 110);
pub const RULE: Rgb = (150, 150, 150);
pub const RED: Rgb = (200, 30, 30);

/// One drawing operation, in page coordinates from the top left. Text `y` is the baseline.
#[derive(Debug, Clone)]
pub enum Op {
    Text {
        x: f32,
        y: f32,
        size: f32,
        text: String,
        color: Rgb,
        /// Set bold (titles): the Song face has no bold weight, so the renderer strokes it.
        bold: bool,
    },
    Line {
        x1: f32,
        y1: f32,
        x2: f32,
        y2: f32,
        width: f32,
        color: Rgb,
    },
    Rect {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        fill: Option<Rgb>,
        stroke: Option<(Rgb, f32)>,
    },
    /// The authority's seal image, over the signature block of a digitally signed notice.
    Seal { x: f32, y: f32, w: f32, h: f32 },
    /// An evidence image (index into the document's images), with its annotations.
    Image {
        x: f32,
        y: f32,
        w: f32,
        h: f32,
        index: usize,
    },
}

/// Measures text with the fonts' advance widths: a chain of fonts, each character in the first
/// that has it (a Latin serif face for Latin script only, the Song body face, the sans face for
/// what it lacks, then emoji). Quotes and punctuation in Chinese text come from the CJK faces,
/// full width, as Chinese typesetting wants them.
pub struct Measure<'a> {
    fonts: Vec<skrifa::FontRef<'a>>,
}

/// Shown in place of a character neither font can draw (a notice is never refused for one).
pub const REPLACEMENT: char = '□';

/// Characters that draw nothing and would only make glyphs the fonts lack: bidirectional
/// controls (which could also disguise text), zero-width marks, variation selectors, tags.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c as u32,
            0x00AD | 0x200B..=0x200F | 0x202A..=0x202E | 0x2060..=0x2064 | 0x2066..=0x206F
            | 0xFE00..=0xFE0F | 0xFEFF | 0xE0000..=0xE007F)
}

impl<'a> Measure<'a> {
    /// The chain, first choice first; `None` when a font cannot be read.
    pub fn new(fonts: &[&'a [u8]]) -> Option<Self> {
        let fonts = fonts
            .iter()
            .map(|data| skrifa::FontRef::from_index(data, 0).ok())
            .collect::<Option<Vec<_>>>()?;
        (!fonts.is_empty()).then_some(Self { fonts })
    }

    /// The first font of the chain that draws `c`; `None` when none does. The first font of a
    /// chain of several serves Latin script only (up to U+024F).
    pub fn font_for(&self, c: char) -> Option<usize> {
        let latin = (c as u32) < 0x250;
        self.fonts.iter().enumerate().position(|(i, f)| {
            (i > 0 || latin || self.fonts.len() == 1) && f.charmap().map(c).is_some_and(|g| g.to_u32() != 0)
        })
    }

    /// `text` as the notice can print it: a tab becomes spaces, invisible controls go, and a
    /// character neither font has becomes [`REPLACEMENT`] — a visible mark, so nothing is silently
    /// lost and nothing stops the notice.
    pub fn printable(&self, text: &str) -> String {
        let mut out = String::with_capacity(text.len());
        for c in text.chars() {
            match c {
                '\n' => out.push('\n'),
                '\t' => out.push_str("    "),
                c if invisible(c) => {}
                // Private-use code points mean nothing outside the program that made them.
                c if matches!(c as u32, 0xE000..=0xF8FF | 0xF0000..=0x10FFFF) => out.push(REPLACEMENT),
                c if self.font_for(c).is_some() => out.push(c),
                _ => out.push(REPLACEMENT),
            }
        }
        out
    }

    /// `text` cut into runs drawn with one font each: (font index in the chain, run).
    pub fn runs<'t>(&self, text: &'t str) -> Vec<(usize, &'t str)> {
        let mut out: Vec<(usize, &'t str)> = Vec::new();
        let mut start = 0;
        let mut current: Option<usize> = None;
        for (i, c) in text.char_indices() {
            let font = self.font_for(c).unwrap_or(0);
            if current.is_some_and(|f| f != font) {
                out.extend(text.get(start..i).map(|run| (current.unwrap_or(0), run)));
                start = i;
            }
            current = Some(font);
        }
        out.extend(
            text.get(start..)
                .filter(|r| !r.is_empty())
                .map(|run| (current.unwrap_or(0), run)),
        );
        out
    }

    pub fn width(&self, text: &str, size: f32) -> f32 {
        let maps: Vec<_> = self
            .fonts
            .iter()
            .map(|f| {
                (
                    f.charmap(),
                    f.glyph_metrics(Size::new(size), LocationRef::default()),
                )
            })
            .collect();
        text.chars()
            .map(|c| {
                self.font_for(c)
                    .and_then(|i| {
                        let (map, metrics) = maps.get(i)?;
                        map.map(c).and_then(|g| metrics.advance_width(g))
                    })
                    .unwrap_or(size * 0.5)
            })
            .sum()
    }
}

fn is_wide(c: char) -> bool {
    matches!(c as u32, 0x2E80..=0x9FFF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

/// Punctuation that must not begin a line (GB/T 15834 line-breaking rules, simplified).
fn no_line_start(c: char) -> bool {
    "，。、；：！？）》」』”’】〕,.;:!?)]}%".contains(c)
}

/// Opening marks that must not end a line: they go down with what they open (《 with 通知》).
fn no_line_end(c: char) -> bool {
    "（《「『“‘【〔".contains(c)
}

/// Breakable units: a Latin word with its trailing space, or one wide character.
fn units(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    // Indices from char_indices: always on character boundaries.
    for (i, c) in text.char_indices() {
        if is_wide(c) {
            if let Some(s) = start.take() {
                out.extend(text.get(s..i));
            }
            out.extend(text.get(i..i + c.len_utf8()));
        } else if c == ' ' {
            let s = start.take().unwrap_or(i);
            out.extend(text.get(s..i + 1));
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(s) = start {
        out.extend(text.get(s..));
    }
    out
}

/// Breaks `text` into lines no wider than `width`.
pub fn wrap(m: &Measure<'_>, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines = Vec::new();
    let text = m.printable(text);
    for para in text.split('\n') {
        let mut line = String::new();
        let mut used = 0.0;
        for unit in units(para) {
            let w = m.width(unit, size);
            let starts_with_closing = unit.chars().next().is_some_and(no_line_start);
            if used + w > width && !line.is_empty() && !starts_with_closing {
                // An opening mark at the end of the line moves down with the word it opens.
                let carried = match line.chars().last() {
                    Some(c) if no_line_end(c) && line.chars().count() > 1 => line.pop(),
                    _ => None,
                };
                lines.push(line.trim_end().to_string());
                line.clear();
                used = 0.0;
                if let Some(c) = carried {
                    line.push(c);
                    used = m.width(c.encode_utf8(&mut [0; 4]), size);
                }
            }
            // A single unit wider than the line (a long URL or hash): split it by characters.
            if w > width {
                for c in unit.chars() {
                    let cw = m.width(c.encode_utf8(&mut [0; 4]), size);
                    if used + cw > width && !line.is_empty() {
                        lines.push(std::mem::take(&mut line));
                        used = 0.0;
                    }
                    line.push(c);
                    used += cw;
                }
                continue;
            }
            line.push_str(unit);
            used += w;
        }
        lines.push(line.trim_end().to_string());
    }
    lines
}

/// A table column: its title and share of the width.
pub struct Column<'t> {
    pub title: &'t str,
    pub share: f32,
}

/// Lays content out top to bottom, starting new pages as needed.
pub struct Flow<'a> {
    pub measure: Measure<'a>,
    pub pages: Vec<Vec<Op>>,
    pub y: f32,
}

impl<'a> Flow<'a> {
    pub fn new(measure: Measure<'a>) -> Self {
        Self {
            measure,
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        if self.pages.is_empty() {
            self.pages.push(Vec::new());
        }
        let last = self.pages.len() - 1;
        &mut self.pages[last]
    }

    /// Adds an operation; text is made printable here too, whatever way it came.
    pub fn push(&mut self, mut op: Op) {
        if let Op::Text { text, .. } = &mut op {
            *text = self.measure.printable(text);
        }
        self.ops().push(op);
    }

    pub fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Room left on this page.
    pub fn room(&self) -> f32 {
        PAGE_H - BOTTOM - self.y
    }

    /// Starts a new page unless `h` points still fit.
    pub fn ensure(&mut self, h: f32) {
        if h > self.room() && self.y > TOP {
            self.new_page();
        }
    }

    pub fn gap(&mut self, h: f32) {
        self.y += h;
    }

    /// A wrapped paragraph. `first_indent` indents the first line (two characters in Chinese prose).
    pub fn paragraph(&mut self, text: &str, size: f32, indent: f32, first_indent: f32, color: Rgb) {
        let lead = size * 1.6;
        let width = CONTENT_W - indent;
        let text = self.measure.printable(text);
        for para in text.split('\n') {
            // The first line is shorter by the indent; the rest use the full width.
            let mut lines = Vec::new();
            let first_lines = wrap(&self.measure, para, size, width - first_indent);
            if let Some(first) = first_lines.first() {
                lines.push(first.clone());
                let rest = para.get(first.len()..).unwrap_or_default().trim_start();
                if !rest.is_empty() {
                    lines.extend(wrap(&self.measure, rest, size, width));
                }
            }
            for (i, line) in lines.iter().enumerate() {
                self.ensure(lead);
                let x = LEFT + indent + if i == 0 { first_indent } else { 0.0 };
                self.push(Op::Text {
                    x,
                    y: self.y + size,
                    size,
                    text: line.clone(),
                    color,
                    bold: false,
                });
                self.y += lead;
            }
        }
    }

    /// A line of text centred on the page.
    pub fn centred(&mut self, text: &str, size: f32, color: Rgb) {
        self.centred_as(text, size, color, false);
    }

    /// A document's title, centred and bold.
    pub fn title(&mut self, text: &str, size: f32, color: Rgb) {
        self.centred_as(text, size, color, true);
    }

    fn centred_as(&mut self, text: &str, size: f32, color: Rgb, bold: bool) {
        let lead = size * 1.5;
        for line in wrap(&self.measure, text, size, CONTENT_W) {
            self.ensure(lead);
            let w = self.measure.width(&line, size);
            self.push(Op::Text {
                x: LEFT + (CONTENT_W - w) / 2.0,
                y: self.y + size,
                size,
                text: line,
                color,
                bold,
            });
            self.y += lead;
        }
    }

    /// A line of text flush right.
    pub fn right(&mut self, text: &str, size: f32) {
        let lead = size * 1.6;
        self.ensure(lead);
        let text = self.measure.printable(text);
        let w = self.measure.width(&text, size);
        self.push(Op::Text {
            x: LEFT + CONTENT_W - w,
            y: self.y + size,
            size,
            text,
            color: BLACK,
            bold: false,
        });
        self.y += lead;
    }

    pub fn heading(&mut self, text: &str, size: f32) {
        self.ensure(size * 4.0);
        self.gap(size * 0.4);
        self.paragraph(text, size, 0.0, 0.0, BLACK);
        self.gap(size * 0.1);
    }

    /// A horizontal rule across the content width.
    pub fn rule(&mut self, color: Rgb, width: f32) {
        let y = self.y;
        self.push(Op::Line {
            x1: LEFT,
            y1: y,
            x2: LEFT + CONTENT_W,
            y2: y,
            width,
            color,
        });
    }

    /// A table that breaks across pages, repeating its header on each.
    pub fn table(&mut self, columns: &[Column<'_>], rows: &[Vec<String>], size: f32) {
        let pad = 4.0;
        let lead = size * 1.45;
        let widths: Vec<f32> = columns.iter().map(|c| c.share * CONTENT_W).collect();
        let header: Vec<String> = columns.iter().map(|c| c.title.to_string()).collect();
        let cell_lines = |m: &Measure<'_>, row: &[String]| -> Vec<Vec<String>> {
            row.iter()
                .zip(&widths)
                .map(|(t, w)| wrap(m, t, size, w - 2.0 * pad))
                .collect()
        };
        let header_lines = cell_lines(&self.measure, &header);
        // Columns without titles: a form (label | value) with no header row.
        let has_header = columns.iter().any(|c| !c.title.is_empty());
        let header_h = if has_header {
            header_lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lead + 2.0 * pad
        } else {
            0.0
        };
        let draw_row = |flow: &mut Flow<'_>, lines: &[Vec<String>], height: f32, shade: bool| {
            let top = flow.y;
            if shade {
                flow.push(Op::Rect {
                    x: LEFT,
                    y: top,
                    w: CONTENT_W,
                    h: height,
                    fill: Some((235, 235, 235)),
                    stroke: None,
                });
            }
            let mut x = LEFT;
            for (cell, w) in lines.iter().zip(&widths) {
                for (i, line) in cell.iter().enumerate() {
                    flow.push(Op::Text {
                        x: x + pad,
                        y: top + pad + size + i as f32 * lead,
                        size,
                        text: line.clone(),
                        color: BLACK,
                        bold: false,
                    });
                }
                flow.push(Op::Rect {
                    x,
                    y: top,
                    w: *w,
                    h: height,
                    fill: None,
                    stroke: Some((RULE, 0.6)),
                });
                x += w;
            }
            flow.y += height;
        };
        self.ensure(header_h + lead + 2.0 * pad);
        if has_header {
            draw_row(self, &header_lines, header_h, true);
        }
        for row in rows {
            let mut lines = cell_lines(&self.measure, row);
            loop {
                let needed = lines.iter().map(Vec::len).max().unwrap_or(1) as f32 * lead + 2.0 * pad;
                if needed <= self.room() {
                    draw_row(self, &lines, needed, false);
                    break;
                }
                // A short row is never split: it goes whole to the next page.
                let short = needed <= 8.0 * lead + 2.0 * pad;
                if short {
                    self.new_page();
                    if has_header {
                        draw_row(self, &header_lines, header_h, true);
                    }
                    continue;
                }
                // Taller than the room left: fill the page with as many lines as fit, carry the rest.
                let fit = ((self.room() - 2.0 * pad) / lead).floor().max(0.0) as usize;
                if fit >= 2 {
                    let head: Vec<Vec<String>> = lines
                        .iter()
                        .map(|c| c.iter().take(fit).cloned().collect())
                        .collect();
                    let h = fit as f32 * lead + 2.0 * pad;
                    draw_row(self, &head, h, false);
                    lines = lines
                        .iter()
                        .map(|c| c.iter().skip(fit).cloned().collect())
                        .collect();
                }
                self.new_page();
                if has_header {
                    draw_row(self, &header_lines, header_h, true);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measure() -> Measure<'static> {
        Measure::new(&super::super::FONTS).unwrap()
    }

    #[test]
    fn an_opening_mark_never_ends_a_line() {
        let m = measure();
        let text = "按照《工业和信息化部关于进一步提升移动互联网应用服务能力的通知》（工信部信管函〔2023〕26号，以下简称《通知》）要求，我局对你单位运营的移动互联网应用程序进行了检查。";
        for width in (120..400).step_by(7) {
            for l in wrap(&m, text, 11.5, width as f32) {
                assert!(!l.chars().last().is_some_and(no_line_end), "{l:?} at {width}");
            }
        }
    }

    #[test]
    fn chinese_wraps_between_characters_and_never_starts_a_line_with_a_comma() {
        let m = measure();
        let text = "向用户推荐下载APP应遵循公开、透明原则，真实、准确、完整地明示开发运营者、产品功能、隐私政策、权限列表等必要信息，并同步提供明显的取消选项。";
        let lines = wrap(&m, text, 12.0, 200.0);
        assert!(lines.len() > 2);
        for l in &lines {
            assert!(m.width(l, 12.0) <= 200.0 + 12.0, "{l}");
            assert!(
                !l.starts_with('，') && !l.starts_with('、') && !l.starts_with('。'),
                "{l}"
            );
        }
        assert_eq!(lines.concat(), text);
    }

    #[test]
    fn latin_words_stay_whole_and_long_hashes_are_split() {
        let m = measure();
        let lines = wrap(&m, "the quick brown fox jumps over the lazy dog", 12.0, 90.0);
        assert!(lines.iter().all(|l| !l.ends_with("qu") && !l.starts_with("ick")));
        let hash = "d6c4b774f049d176bffb779436167d17a56c077df36a5a2ce728a7068c7ff121";
        let lines = wrap(&m, hash, 9.0, 100.0);
        assert!(lines.len() > 1);
        assert_eq!(lines.concat(), hash);
    }

    #[test]
    fn a_long_table_repeats_its_header_on_every_page() {
        let mut flow = Flow::new(measure());
        let rows: Vec<Vec<String>> = (0..80)
            .map(|i| vec![format!("{i}"), "问题描述".repeat(6)])
            .collect();
        flow.table(
            &[
                Column {
                    title: "序号",
                    share: 0.15,
                },
                Column {
                    title: "问题",
                    share: 0.85,
                },
            ],
            &rows,
            11.0,
        );
        assert!(flow.pages.len() >= 3, "{}", flow.pages.len());
        for page in &flow.pages {
            assert!(
                page.iter()
                    .any(|op| matches!(op, Op::Text { text, .. } if text == "序号"))
            );
        }
    }
}
