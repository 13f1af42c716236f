//! The two languages of the tool: Simplified Chinese first, English second.

use serde::{Deserialize, Serialize};

/// A language the tool speaks. Chinese is the default: the inspectors work in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    /// 简体中文
    #[default]
    Zh,
    /// English
    En,
}

impl Lang {
    /// Picks the wording for this language.
    pub fn pick<'a>(self, zh: &'a str, en: &'a str) -> &'a str {
        match self {
            Lang::Zh => zh,
            Lang::En => en,
        }
    }
}

/// One piece of text in both languages.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Text {
    pub zh: String,
    pub en: String,
}

impl Text {
    pub fn new(zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            zh: zh.into(),
            en: en.into(),
        }
    }

    /// The wording in `lang`.
    pub fn get(&self, lang: Lang) -> &str {
        lang.pick(&self.zh, &self.en)
    }

    pub fn is_empty(&self) -> bool {
        self.zh.trim().is_empty() && self.en.trim().is_empty()
    }
}

/// The first `max` characters of `s` — never cut inside a character, whatever the text (imported
/// bundles and user input are hostile: a byte index can fall inside 短). For ids and hashes shown
/// shortened, and for times shown to the minute.
pub fn prefix(s: &str, max: usize) -> &str {
    match s.char_indices().nth(max) {
        Some((at, _)) => s.get(..at).unwrap_or(s),
        None => s,
    }
}

/// `s` shortened to at most `max` characters, with … when something was left out.
pub fn clip(s: &str, max: usize) -> String {
    let head = prefix(s, max);
    if head.len() == s.len() {
        s.to_string()
    } else {
        format!("{}…", prefix(s, max.saturating_sub(1)))
    }
}

/// A stored UTC time stamp (RFC 3339) in the time zone `tz`: `2026-12-01 10:05`.
pub fn time_in(rfc3339: &str, tz: chrono_tz::Tz) -> String {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .map(|t| t.with_timezone(&tz).format("%Y-%m-%d %H:%M").to_string())
        .unwrap_or_else(|_| rfc3339.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shortening_never_cuts_a_character() {
        assert_eq!(prefix("短", 16), "短");
        assert_eq!(prefix("0123456789abcdef01", 16), "0123456789abcdef");
        assert_eq!(prefix("检查人员张三", 2), "检查");
        assert_eq!(clip("检查人员张三", 4), "检查人…");
        assert_eq!(clip("abc", 3), "abc");
        assert_eq!(prefix("", 3), "");
    }
}
