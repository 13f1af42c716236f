//! Synthetic phone screenshots for the sample case, drawn here (vello_cpu fills the glyph
//! outlines of the shipped CJK font). Each carries a "示例" watermark so nobody mistakes it for
//! a capture of a real App.

use skrifa::MetadataProvider as _;
use skrifa::instance::{LocationRef, Size};
use skrifa::outline::{DrawSettings, OutlinePen};
use vello_cpu::kurbo::{self, Shape as _};

type Rgb = (u8, u8, u8);

/// Collects a glyph outline into a path, placed at (x, baseline) with y pointing down.
struct Pen<'a> {
    path: &'a mut kurbo::BezPath,
    x: f64,
    y: f64,
}

impl OutlinePen for Pen<'_> {
    fn move_to(&mut self, x: f32, y: f32) {
        self.path.move_to((self.x + x as f64, self.y - y as f64));
    }
    fn line_to(&mut self, x: f32, y: f32) {
        self.path.line_to((self.x + x as f64, self.y - y as f64));
    }
    fn quad_to(&mut self, cx: f32, cy: f32, x: f32, y: f32) {
        self.path.quad_to(
            (self.x + cx as f64, self.y - cy as f64),
            (self.x + x as f64, self.y - y as f64),
        );
    }
    fn curve_to(&mut self, c0x: f32, c0y: f32, c1x: f32, c1y: f32, x: f32, y: f32) {
        self.path.curve_to(
            (self.x + c0x as f64, self.y - c0y as f64),
            (self.x + c1x as f64, self.y - c1y as f64),
            (self.x + x as f64, self.y - y as f64),
        );
    }
    fn close(&mut self) {
        self.path.close_path();
    }
}

/// A phone-sized canvas with rectangles and text.
pub struct Canvas {
    ctx: vello_cpu::RenderContext,
    width: u16,
    height: u16,
    font: skrifa::FontRef<'static>,
}

fn paint(c: Rgb) -> vello_cpu::color::AlphaColor<vello_cpu::color::Srgb> {
    vello_cpu::color::AlphaColor::from_rgb8(c.0, c.1, c.2)
}

impl Canvas {
    pub fn new(width: u16, height: u16, background: Rgb) -> Option<Self> {
        let font = skrifa::FontRef::from_index(crate::notice::FONT, 0).ok()?;
        let mut canvas = Self {
            ctx: vello_cpu::RenderContext::new(width, height),
            width,
            height,
            font,
        };
        canvas.rect(0.0, 0.0, width as f64, height as f64, 0.0, background);
        Some(canvas)
    }

    /// A filled rectangle, with rounded corners when `radius` > 0.
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, radius: f64, colour: Rgb) {
        self.ctx.set_paint(paint(colour));
        let path = kurbo::RoundedRect::new(x, y, x + w, y + h, radius).to_path(0.1);
        self.ctx.fill_path(&path);
    }

    /// Width of `text` at `size` pixels.
    pub fn measure(&self, text: &str, size: f32) -> f64 {
        let charmap = self.font.charmap();
        let metrics = self.font.glyph_metrics(Size::new(size), LocationRef::default());
        text.chars()
            .filter_map(|c| charmap.map(c))
            .map(|g| metrics.advance_width(g).unwrap_or(0.0) as f64)
            .sum()
    }

    /// Draws `text` with its baseline at `y`, starting at `x`; returns the width drawn.
    pub fn text(&mut self, x: f64, y: f64, size: f32, colour: Rgb, text: &str) -> f64 {
        let charmap = self.font.charmap();
        let metrics = self.font.glyph_metrics(Size::new(size), LocationRef::default());
        let outlines = self.font.outline_glyphs();
        let mut path = kurbo::BezPath::new();
        let mut pen_x = x;
        for c in text.chars() {
            let Some(gid) = charmap.map(c) else { continue };
            if let Some(glyph) = outlines.get(gid) {
                let mut pen = Pen {
                    path: &mut path,
                    x: pen_x,
                    y,
                };
                let _ = glyph.draw(
                    DrawSettings::unhinted(Size::new(size), LocationRef::default()),
                    &mut pen,
                );
            }
            pen_x += metrics.advance_width(gid).unwrap_or(0.0) as f64;
        }
        self.ctx.set_paint(paint(colour));
        self.ctx.fill_path(&path);
        pen_x - x
    }

    /// Draws `text` centred on `cx`.
    pub fn centred(&mut self, cx: f64, y: f64, size: f32, colour: Rgb, text: &str) {
        let w = self.measure(text, size);
        self.text(cx - w / 2.0, y, size, colour, text);
    }

    /// Draws lines of text wrapped to `width`, breaking between characters (Chinese text).
    pub fn paragraph(&mut self, x: f64, y: f64, width: f64, size: f32, colour: Rgb, text: &str) -> f64 {
        let mut line = String::new();
        let mut y = y;
        for c in text.chars() {
            line.push(c);
            if self.measure(&line, size) > width {
                line.pop();
                self.text(x, y, size, colour, &line);
                y += size as f64 * 1.5;
                line = c.to_string();
            }
        }
        if !line.is_empty() {
            self.text(x, y, size, colour, &line);
            y += size as f64 * 1.5;
        }
        y
    }

    /// The PNG bytes (lossless, as an evidence screenshot should be).
    pub fn png(mut self) -> Vec<u8> {
        let mut pixmap = vello_cpu::Pixmap::new(self.width, self.height);
        let mut resources = vello_cpu::Resources::new();
        self.ctx.flush();
        self.ctx.render(&mut pixmap, &mut resources);
        // Every pixel is opaque (the background fills the canvas), so premultiplied = straight.
        let img = image::RgbaImage::from_raw(
            u32::from(self.width),
            u32::from(self.height),
            pixmap.data_as_u8_slice().to_vec(),
        );
        let mut out = Vec::new();
        if let Some(img) = img {
            let _ = img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png);
        }
        out
    }
}

const W: u16 = 720;
const H: u16 = 1560;

fn status_bar(c: &mut Canvas, dark: bool) {
    let fg = if dark { (255, 255, 255) } else { (30, 30, 30) };
    c.text(36.0, 52.0, 28.0, fg, "10:36");
    c.text(W as f64 - 150.0, 52.0, 28.0, fg, "5G  86%");
}

fn watermark(c: &mut Canvas) {
    c.rect(0.0, H as f64 - 70.0, W as f64, 70.0, 0.0, (255, 236, 179));
    c.centred(
        W as f64 / 2.0,
        H as f64 - 24.0,
        26.0,
        (120, 80, 0),
        "示例截图（合成）· Synthetic sample screenshot",
    );
}

/// A splash advertisement whose skip button is tiny and faint, with a "shake" prompt.
pub fn splash_ad() -> Vec<u8> {
    let Some(mut c) = Canvas::new(W, H, (214, 64, 69)) else {
        return Vec::new();
    };
    status_bar(&mut c, true);
    // The skip button: small, low contrast, in the corner (what clause 4 is about).
    c.rect(W as f64 - 118.0, 84.0, 86.0, 40.0, 20.0, (226, 110, 114));
    c.text(W as f64 - 100.0, 112.0, 22.0, (240, 170, 172), "跳过 5");
    c.centred(W as f64 / 2.0, 520.0, 84.0, (255, 255, 255), "双十二 狂欢节");
    c.centred(W as f64 / 2.0, 620.0, 44.0, (255, 230, 200), "全场满 300 减 50");
    c.rect(160.0, 1080.0, 400.0, 120.0, 60.0, (255, 255, 255));
    c.centred(W as f64 / 2.0, 1155.0, 40.0, (214, 64, 69), "摇动手机");
    c.centred(W as f64 / 2.0, 1270.0, 32.0, (255, 255, 255), "摇一摇 了解更多");
    c.centred(W as f64 / 2.0, 1320.0, 24.0, (255, 210, 210), "广告");
    watermark(&mut c);
    c.png()
}

/// The first-run privacy prompt, with agree and disagree buttons of equal weight.
pub fn privacy_prompt() -> Vec<u8> {
    let Some(mut c) = Canvas::new(W, H, (245, 245, 245)) else {
        return Vec::new();
    };
    status_bar(&mut c, false);
    c.rect(0.0, 80.0, W as f64, 100.0, 0.0, (255, 255, 255));
    c.centred(W as f64 / 2.0, 145.0, 36.0, (30, 30, 30), "示例商城");
    // Dim the screen behind the dialog.
    c.rect(0.0, 180.0, W as f64, H as f64 - 250.0, 0.0, (120, 120, 120));
    c.rect(60.0, 420.0, 600.0, 700.0, 24.0, (255, 255, 255));
    c.centred(W as f64 / 2.0, 500.0, 38.0, (30, 30, 30), "个人信息保护提示");
    let after = c.paragraph(
        100.0,
        570.0,
        520.0,
        27.0,
        (70, 70, 70),
        "欢迎使用示例商城！我们依据《个人信息保护法》制定了《隐私政策》和《用户服务协议》，说明我们收集哪些个人信息、用途、存储期限以及您的权利。请您在使用前仔细阅读。点击“同意”即表示您已阅读并同意上述规则。",
    );
    c.text(
        100.0,
        after + 10.0,
        27.0,
        (25, 118, 210),
        "《隐私政策》《用户服务协议》",
    );
    c.rect(100.0, 980.0, 240.0, 90.0, 45.0, (235, 235, 235));
    c.centred(220.0, 1038.0, 32.0, (60, 60, 60), "不同意");
    c.rect(380.0, 980.0, 240.0, 90.0, 45.0, (25, 118, 210));
    c.centred(500.0, 1038.0, 32.0, (255, 255, 255), "同意");
    watermark(&mut c);
    c.png()
}
