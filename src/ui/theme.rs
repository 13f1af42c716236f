//! Light and dark themes an inspector can read all day: every input framed, text at least 4.5:1 on
//! its ground and boundaries at least 3:1 (WCAG 2.1), no text under 12 px at 100 %, and a text size
//! of the user's choosing (90–150 %). The colours are chosen here, once; a unit test holds them to
//! those ratios.

use egui::{Color32, Stroke, TextStyle, Visuals};
use serde::{Deserialize, Serialize};

/// Which theme the window uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ThemeChoice {
    /// Follow the system's light or dark setting.
    #[default]
    System,
    Light,
    Dark,
}

impl ThemeChoice {
    /// `APP_INSPECTOR_THEME=light|dark|system`, for scripts and screenshots.
    pub fn from_env() -> Option<Self> {
        match std::env::var("APP_INSPECTOR_THEME").ok()?.trim() {
            "light" => Some(Self::Light),
            "dark" => Some(Self::Dark),
            "system" => Some(Self::System),
            _ => None,
        }
    }
}

/// The text size range the Settings offer.
pub const TEXT_SCALE: std::ops::RangeInclusive<f32> = 0.9..=1.5;

/// Applies the theme and text size to the window.
pub fn apply(ctx: &egui::Context, choice: ThemeChoice, text_scale: f32) {
    for theme in [egui::Theme::Light, egui::Theme::Dark] {
        ctx.set_visuals_of(theme, visuals(theme == egui::Theme::Dark));
        ctx.style_mut_of(theme, |style| {
            // egui's small text is 9 px and its body 12.5 px: too small to read all day.
            for (text_style, size) in [
                (TextStyle::Small, 12.0),
                (TextStyle::Body, 13.5),
                (TextStyle::Button, 13.5),
                (TextStyle::Monospace, 13.0),
                (TextStyle::Heading, 19.0),
            ] {
                if let Some(font) = style.text_styles.get_mut(&text_style) {
                    font.size = size;
                }
            }
        });
    }
    ctx.set_theme(match choice {
        ThemeChoice::System => egui::ThemePreference::System,
        ThemeChoice::Light => egui::ThemePreference::Light,
        ThemeChoice::Dark => egui::ThemePreference::Dark,
    });
    ctx.set_zoom_factor(text_scale.clamp(*TEXT_SCALE.start(), *TEXT_SCALE.end()));
}

/// The palette of one theme.
struct Palette {
    panel: Color32,
    input: Color32,
    text: Color32,
    weak: Color32,
    border: Color32,
    faint: Color32,
}

fn palette(dark: bool) -> Palette {
    if dark {
        Palette {
            panel: Color32::from_gray(30),
            input: Color32::from_gray(44),
            text: Color32::from_gray(222),
            weak: Color32::from_gray(165),
            border: Color32::from_gray(122),
            faint: Color32::from_gray(38),
        }
    } else {
        Palette {
            panel: Color32::from_gray(247),
            input: Color32::WHITE,
            text: Color32::from_gray(25),
            weak: Color32::from_gray(88),
            border: Color32::from_gray(118),
            faint: Color32::from_gray(236),
        }
    }
}

/// egui's visuals with our palette: the ground, framed inputs, readable weak text.
pub fn visuals(dark: bool) -> Visuals {
    let p = palette(dark);
    let mut v = if dark { Visuals::dark() } else { Visuals::light() };
    v.panel_fill = p.panel;
    v.window_fill = p.panel;
    v.faint_bg_color = p.faint;
    v.extreme_bg_color = p.input;
    v.text_edit_bg_color = Some(p.input);
    v.override_text_color = Some(p.text);
    v.weak_text_color = Some(p.weak);
    // Every input and button has a visible frame, not only when hovered or focused.
    v.widgets.inactive.bg_stroke = Stroke::new(1.0, p.border);
    v.widgets.noninteractive.bg_stroke = Stroke::new(1.0, p.border);
    v.widgets.noninteractive.fg_stroke.color = p.text;
    v.widgets.inactive.fg_stroke.color = p.text;
    // Errors and warnings readable on the ground (egui's pure red is 4.2:1 on the dark panel).
    if dark {
        v.error_fg_color = Color32::from_rgb(255, 110, 110);
        v.warn_fg_color = Color32::from_rgb(255, 170, 60);
    } else {
        v.error_fg_color = Color32::from_rgb(180, 20, 20);
        v.warn_fg_color = Color32::from_rgb(150, 80, 0);
    }
    v
}

/// The colour a status is shown in, for a dark or light ground.
pub fn status_colour(status: crate::status::Status, dark: bool) -> Color32 {
    use crate::status::Status;
    match (status, dark) {
        (Status::Compliant, true) => Color32::from_rgb(92, 190, 120),
        (Status::Compliant, false) => Color32::from_rgb(25, 115, 60),
        (Status::Partial, true) => Color32::from_rgb(230, 170, 50),
        (Status::Partial, false) => Color32::from_rgb(150, 90, 0),
        (Status::NonCompliant, true) => Color32::from_rgb(255, 110, 110),
        (Status::NonCompliant, false) => Color32::from_rgb(180, 20, 20),
        (Status::NotApplicable, true) => Color32::from_gray(165),
        (Status::NotApplicable, false) => Color32::from_gray(95),
        (Status::NotChecked, true) => Color32::from_rgb(160, 160, 190),
        (Status::NotChecked, false) => Color32::from_rgb(85, 85, 110),
    }
}

/// WCAG 2.1 contrast ratio of two opaque colours.
pub fn contrast(a: Color32, b: Color32) -> f32 {
    fn channel(c: u8) -> f32 {
        let c = f32::from(c) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }
    let lum = |c: Color32| 0.2126 * channel(c.r()) + 0.7152 * channel(c.g()) + 0.0722 * channel(c.b());
    let (x, y) = (lum(a), lum(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_themes_meet_the_contrast_they_promise() {
        for dark in [false, true] {
            let v = visuals(dark);
            let text = v.override_text_color.unwrap_or(Color32::BLACK);
            let weak = v.weak_text_color.unwrap_or(Color32::BLACK);
            let input = v.text_edit_bg_color();
            for (what, fg, bg, min) in [
                ("text on the panel", text, v.panel_fill, 4.5),
                ("text in an input", text, input, 4.5),
                ("weak text on the panel", weak, v.panel_fill, 4.5),
                (
                    "an input's frame on the panel",
                    v.widgets.inactive.bg_stroke.color,
                    v.panel_fill,
                    3.0,
                ),
                (
                    "an input's frame on its fill",
                    v.widgets.inactive.bg_stroke.color,
                    input,
                    3.0,
                ),
                ("errors on the panel", v.error_fg_color, v.panel_fill, 4.5),
                ("warnings on the panel", v.warn_fg_color, v.panel_fill, 3.0),
            ] {
                let c = contrast(fg, bg);
                assert!(c >= min, "dark={dark}: {what} is {c:.2}:1, under {min}:1");
            }
            assert!(v.widgets.inactive.bg_stroke.width >= 1.0, "inputs are framed");
            for status in crate::status::Status::ALL {
                let c = contrast(status_colour(status, dark), v.panel_fill);
                assert!(c >= 4.5, "dark={dark}: {status:?} is {c:.2}:1 on the panel");
            }
            assert_eq!(v.dark_mode, dark);
        }
        // The ratio itself: black on white is 21:1.
        assert!((contrast(Color32::BLACK, Color32::WHITE) - 21.0).abs() < 0.01);
    }
}
