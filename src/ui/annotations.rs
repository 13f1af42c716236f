//! Editing annotations as data: which shape a click hits, moving a shape. Coordinates are
//! fractions of the image (0–1), so they hold at any zoom and on the original's full size.

use serde_json::Value;

/// How close (in screen points) a click must come to a shape's outline or arrow to pick it.
const REACH: f32 = 8.0;

fn num(shape: &Value, key: &str) -> f32 {
    shape.get(key).and_then(Value::as_f64).unwrap_or(0.0) as f32
}

fn distance_to_segment(p: egui::Pos2, a: egui::Pos2, b: egui::Pos2) -> f32 {
    let ab = b - a;
    let t = if ab.length_sq() == 0.0 {
        0.0
    } else {
        ((p - a).dot(ab) / ab.length_sq()).clamp(0.0, 1.0)
    };
    (a + ab * t - p).length()
}

/// Whether a click at `p` (screen) picks `shape`, drawn over the image at `rect`.
pub fn hits(shape: &Value, p: egui::Pos2, rect: egui::Rect) -> bool {
    let at = |x: f32, y: f32| rect.min + egui::vec2(x * rect.width(), y * rect.height());
    match shape.get("kind").and_then(Value::as_str) {
        Some("rect") => {
            let r = egui::Rect::from_min_size(
                at(num(shape, "x"), num(shape, "y")),
                egui::vec2(num(shape, "w") * rect.width(), num(shape, "h") * rect.height()),
            );
            // The outline, not the inside: a box around a whole screen must not swallow clicks.
            r.expand(REACH).contains(p) && !r.shrink(REACH).contains(p)
        }
        Some("arrow") => {
            let a = at(num(shape, "x"), num(shape, "y"));
            let b = at(num(shape, "x2"), num(shape, "y2"));
            distance_to_segment(p, a, b) <= REACH
        }
        Some("text") => {
            let origin = at(num(shape, "x"), num(shape, "y"));
            let chars = shape
                .get("text")
                .and_then(Value::as_str)
                .map_or(1, |t| t.chars().count().max(1));
            egui::Rect::from_min_size(origin, egui::vec2(16.0 * chars as f32, 20.0))
                .expand(REACH / 2.0)
                .contains(p)
        }
        _ => false,
    }
}

/// The topmost shape (drawn last) that a click at `p` picks.
pub fn pick(shapes: &[Value], p: egui::Pos2, rect: egui::Rect) -> Option<usize> {
    shapes.iter().rposition(|s| hits(s, p, rect))
}

/// `shape` moved by (dx, dy) in image fractions, kept inside the image.
pub fn moved(shape: &Value, dx: f64, dy: f64) -> Value {
    let mut out = shape.clone();
    let get = |k: &str| shape.get(k).and_then(Value::as_f64);
    // The whole shape stays inside: clamp the move by its extent.
    let (x, y) = (get("x").unwrap_or(0.0), get("y").unwrap_or(0.0));
    let (far_x, far_y) = match shape.get("kind").and_then(Value::as_str) {
        Some("rect") => (x + get("w").unwrap_or(0.0), y + get("h").unwrap_or(0.0)),
        Some("arrow") => (get("x2").unwrap_or(x), get("y2").unwrap_or(y)),
        _ => (x, y),
    };
    let dx = dx.clamp(-x.min(far_x), 1.0 - x.max(far_x));
    let dy = dy.clamp(-y.min(far_y), 1.0 - y.max(far_y));
    for (key, d) in [("x", dx), ("y", dy), ("x2", dx), ("y2", dy)] {
        if let Some(v) = get(key) {
            out[key] = serde_json::json!((v + d).clamp(0.0, 1.0));
        }
    }
    out
}

/// A short name for a shape in the annotation list: "矩形框" / "rectangle", or the label's text.
pub fn describe(shape: &Value, lang: crate::i18n::Lang) -> String {
    match shape.get("kind").and_then(Value::as_str) {
        Some("rect") => lang.pick("矩形框", "rectangle").to_string(),
        Some("arrow") => lang.pick("箭头", "arrow").to_string(),
        Some("text") => format!(
            "{} “{}”",
            lang.pick("文字", "text"),
            shape.get("text").and_then(Value::as_str).unwrap_or("")
        ),
        _ => "?".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn screen() -> egui::Rect {
        egui::Rect::from_min_size(egui::pos2(100.0, 50.0), egui::vec2(400.0, 800.0))
    }

    #[test]
    fn a_rectangle_is_picked_by_its_outline() {
        let r = json!({"kind": "rect", "x": 0.25, "y": 0.25, "w": 0.5, "h": 0.5});
        // Left edge at x = 100 + 100 = 200, from y = 250 to 650.
        assert!(hits(&r, egui::pos2(202.0, 400.0), screen()));
        assert!(!hits(&r, egui::pos2(300.0, 400.0), screen()), "inside is free");
        assert!(!hits(&r, egui::pos2(150.0, 400.0), screen()));
    }

    #[test]
    fn an_arrow_is_picked_near_its_line() {
        let a = json!({"kind": "arrow", "x": 0.0, "y": 0.0, "x2": 1.0, "y2": 0.0});
        assert!(hits(&a, egui::pos2(300.0, 55.0), screen()));
        assert!(!hits(&a, egui::pos2(300.0, 80.0), screen()));
    }

    #[test]
    fn the_topmost_shape_wins() {
        let shapes = vec![
            json!({"kind": "text", "x": 0.5, "y": 0.5, "text": "A"}),
            json!({"kind": "text", "x": 0.5, "y": 0.5, "text": "B"}),
        ];
        assert_eq!(pick(&shapes, egui::pos2(305.0, 455.0), screen()), Some(1));
        assert_eq!(pick(&shapes, egui::pos2(110.0, 60.0), screen()), None);
    }

    #[test]
    fn moving_keeps_the_shape_inside_the_image() {
        let r = json!({"kind": "rect", "x": 0.5, "y": 0.5, "w": 0.25, "h": 0.25});
        let m = moved(&r, 0.1, -0.2);
        assert!((m["x"].as_f64().unwrap() - 0.6).abs() < 1e-9);
        assert!((m["y"].as_f64().unwrap() - 0.3).abs() < 1e-9);
        assert_eq!(m["w"], r["w"], "size unchanged");
        let m = moved(&r, 0.9, 0.0);
        assert!(
            (m["x"].as_f64().unwrap() - 0.75).abs() < 1e-9,
            "stops at the edge"
        );
        let a = json!({"kind": "arrow", "x": 0.1, "y": 0.1, "x2": 0.3, "y2": 0.5});
        let m = moved(&a, -0.5, 0.0);
        assert_eq!(m["x"].as_f64(), Some(0.0), "stops at the left edge");
        assert!(
            (m["x2"].as_f64().unwrap() - 0.2).abs() < 1e-9,
            "the head moves as far"
        );
        crate::case::evidence::check_annotations(&json!([m])).unwrap();
    }
}
