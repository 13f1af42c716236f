//! Wrapping text for a terminal, counting a CJK character as two columns.

/// Columns a character takes in a terminal: two for CJK and full-width forms.
fn width(c: char) -> usize {
    match c as u32 {
        0x1100..=0x115F
        | 0x2E80..=0x303E
        | 0x3041..=0x33FF
        | 0x3400..=0x4DBF
        | 0x4E00..=0x9FFF
        | 0xA000..=0xA4CF
        | 0xAC00..=0xD7A3
        | 0xF900..=0xFAFF
        | 0xFE30..=0xFE4F
        | 0xFF00..=0xFF60
        | 0xFFE0..=0xFFE6 => 2,
        _ => 1,
    }
}

/// Wraps `text` to `columns`, each line starting with `indent`. Latin words are not split; a CJK
/// line may break between any two characters, except before closing punctuation.
pub fn wrap(text: &str, indent: &str, columns: usize) -> String {
    let room = columns.saturating_sub(indent.chars().count()).max(20);
    let mut out = String::new();
    for paragraph in text.lines() {
        let mut line = String::new();
        let mut used = 0;
        for token in tokens(paragraph) {
            let w: usize = token.chars().map(width).sum();
            let closing = token
                .chars()
                .next()
                .is_some_and(|c| "，。、；：！？）》」』”,.;:!?)".contains(c));
            if used + w > room && used > 0 && !closing {
                out.push_str(indent);
                out.push_str(line.trim_end());
                out.push('\n');
                line.clear();
                used = 0;
                if token == " " {
                    continue;
                }
            }
            line.push_str(token);
            used += w;
        }
        out.push_str(indent);
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// Splits into breakable units: a Latin word, a single space, or a single wide character.
fn tokens(s: &str) -> Vec<&str> {
    let mut tokens = Vec::new();
    let mut start = None;
    for (i, c) in s.char_indices() {
        let breaks = c == ' ' || width(c) == 2;
        if breaks {
            // Indices from char_indices: always on character boundaries.
            if let Some(st) = start.take() {
                tokens.extend(s.get(st..i));
            }
            tokens.extend(s.get(i..i + c.len_utf8()));
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        tokens.extend(s.get(st..));
    }
    tokens
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_lines_fit_the_width_and_keep_every_character() {
        let text = "向用户推荐下载APP应遵循公开、透明原则，真实、准确、完整地明示开发运营者、产品功能、隐私政策、权限列表等必要信息。";
        let out = wrap(text, "  ", 30);
        for line in out.lines() {
            assert!(line.chars().map(width).sum::<usize>() <= 30 + 2, "{line}");
            assert!(
                !line.trim_start().starts_with('，'),
                "line starts with a comma: {line}"
            );
        }
        let joined: String = out.lines().map(str::trim).collect();
        assert_eq!(joined, text);
    }

    #[test]
    fn english_words_are_not_split() {
        let out = wrap(
            "the quick brown fox jumps over the lazy dog again and again",
            "",
            20,
        );
        assert!(out.lines().all(|l| l.len() <= 20));
        assert!(out.contains("quick"));
    }
}
