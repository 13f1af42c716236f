//! Issuing authorities as data: the name on a notice's header, its 机关代字 for the 文号, the body
//! that hears a reconsideration (复议机关) and the court, the time zone every date is stated in, the
//! address and contact a notice gives, and the laws it enforces (what a notice may claim a breach of).

use serde::{Deserialize, Serialize};

/// An issuing authority's profile, e.g. 广东省通信管理局 with prefix 粤通管责改.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Authority {
    pub name: String,
    /// 机关代字 of the 文号: 粤通管责改 → 粤通管责改〔2026〕15号.
    pub prefix: String,
    /// 复议机关: for a provincial 通信管理局, 工业和信息化部 (《工业和信息化部行政复议实施办法》第二条).
    pub reconsideration: String,
    /// The court an administrative lawsuit goes to, as the notice names it.
    pub court: String,
    /// IANA time zone, e.g. Asia/Shanghai: every date and time of its documents.
    pub timezone: String,
    pub address: String,
    /// The handling division's contact (division, person, telephone, e-mail).
    pub contact: String,
    /// Ids of the checklist laws it enforces: breaches of other laws are never claimed.
    #[serde(default = "telecom_remit")]
    pub remit: Vec<String>,
}

impl Default for Authority {
    /// A new profile with a provincial 通信管理局's defaults, nameless.
    fn default() -> Self {
        Authority::new("", "")
    }
}

/// The body that hears a reconsideration of a provincial 通信管理局's act.
pub const MIIT: &str = "工业和信息化部";

/// What a 通信管理局 enforces, by the checklist's law ids: the personal-information and network
/// security laws (as a department with personal-information protection duties), the telecom
/// regulations and MIIT's own rules and notices. Not SAMR's advertising and online-trade rules,
/// not the CAC's own regulations.
pub fn telecom_remit() -> Vec<String> {
    [
        "notice-26",
        "pipl",
        "csl",
        "telecom-regulations",
        "admin-penalty-law",
        "miit-order-20",
        "miit-order-24",
        "data-regulation-2024",
        "algorithm-rule-2021",
        "preinstall-2016",
        "app-filing-2023",
        "popup-2022",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect()
}

impl Authority {
    /// A profile with the defaults of a provincial 通信管理局.
    pub fn new(name: &str, prefix: &str) -> Self {
        Authority {
            name: name.trim().to_string(),
            prefix: prefix.trim().to_string(),
            reconsideration: MIIT.to_string(),
            court: String::new(),
            timezone: "Asia/Shanghai".to_string(),
            address: String::new(),
            contact: String::new(),
            remit: telecom_remit(),
        }
    }

    /// Checks a profile before it is stored; the error says which field and why.
    pub fn check(&self) -> Result<(), String> {
        for (what, value, max) in [
            ("the name", &self.name, 100),
            ("the prefix (机关代字)", &self.prefix, 30),
            ("the reconsideration body", &self.reconsideration, 100),
            ("the court", &self.court, 200),
            ("the address", &self.address, 500),
            ("the contact", &self.contact, 1_000),
        ] {
            let n = value.chars().count();
            if n > max {
                return Err(format!("{what} is {n} characters long (at most {max})"));
            }
            if value.chars().any(char::is_control) {
                return Err(format!("{what} contains a control character"));
            }
        }
        if self.name.trim().is_empty() {
            return Err("the name is empty".into());
        }
        if self.prefix.trim().is_empty() {
            return Err("the prefix (机关代字, e.g. 粤通管责改) is empty".into());
        }
        if self
            .prefix
            .chars()
            .any(|c| "〔〕[]()（）".contains(c) || c.is_ascii_digit())
        {
            return Err(format!(
                "the prefix {:?} must be the 机关代字 alone: the year and serial are added (粤通管责改 → 粤通管责改〔2026〕15号)",
                self.prefix
            ));
        }
        if self.reconsideration.trim().is_empty() {
            return Err("the reconsideration body (复议机关) is empty".into());
        }
        self.tz()?;
        Ok(())
    }

    /// The time zone its documents state dates in.
    pub fn tz(&self) -> Result<chrono_tz::Tz, String> {
        self.timezone.parse::<chrono_tz::Tz>().map_err(|_| {
            format!(
                "the time zone {:?} is not an IANA time zone name such as Asia/Shanghai",
                self.timezone
            )
        })
    }

    /// The 文号 of its `serial`th notice of `year`: 粤通管责改〔2026〕15号.
    pub fn number(&self, year: i32, serial: u32) -> String {
        format!("{}〔{year}〕{serial}号", self.prefix)
    }
}

/// Checks a seal image: a PNG no larger than 2 MB and 2000×2000 pixels.
pub fn check_seal(png: &[u8]) -> Result<(), String> {
    if png.len() > 2 << 20 {
        return Err(format!("the seal image is {} bytes; at most 2 MB", png.len()));
    }
    if !png.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Err("the seal image must be a PNG (with a transparent background)".into());
    }
    let (w, h) = image::ImageReader::with_format(std::io::Cursor::new(png), image::ImageFormat::Png)
        .into_dimensions()
        .map_err(|e| format!("the seal image cannot be read ({e})"))?;
    if w == 0 || h == 0 || w > 2000 || h > 2000 {
        return Err(format!("the seal image is {w}×{h} pixels; at most 2000×2000"));
    }
    Ok(())
}

/// A 文号 as typed, with ASCII or full-width brackets around the year made 〔〕 (U+3014/3015):
/// `粤通管责改[2026]15号` → `粤通管责改〔2026〕15号`.
pub fn normalise_number(number: &str) -> String {
    let chars: Vec<char> = number.trim().chars().collect();
    let mut out = String::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        // An opening bracket, four digits, a closing bracket: the year.
        if "[［【(（〔".contains(c)
            && chars.len() >= i + 6
            && chars[i + 1..i + 5].iter().all(char::is_ascii_digit)
            && "]］】)）〕".contains(chars[i + 5])
        {
            out.push('〔');
            out.extend(&chars[i + 1..i + 5]);
            out.push('〕');
            i += 6;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_made_and_brackets_normalised() {
        let a = Authority::new("广东省通信管理局", "粤通管责改");
        assert_eq!(a.number(2026, 15), "粤通管责改〔2026〕15号");
        for typed in [
            "粤通管责改[2026]15号",
            "粤通管责改（2026）15号",
            "粤通管责改〔2026〕15号",
            " 粤通管责改［2026］15号",
        ] {
            assert_eq!(normalise_number(typed), "粤通管责改〔2026〕15号", "{typed}");
        }
        // Brackets around anything but a year are left alone.
        assert_eq!(normalise_number("No. (draft) 3"), "No. (draft) 3");
    }

    #[test]
    fn a_profile_is_checked() {
        let mut a = Authority::new("广东省通信管理局", "粤通管责改");
        assert_eq!(a.check(), Ok(()));
        a.timezone = "China".into();
        assert!(a.check().unwrap_err().contains("IANA"));
        a.timezone = "Asia/Shanghai".into();
        a.prefix = "粤通管责改〔2026〕".into();
        assert!(a.check().unwrap_err().contains("机关代字"));
        a.prefix = String::new();
        assert!(a.check().is_err());
    }
}
