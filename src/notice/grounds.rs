//! The legal grounds of a rectification notice, gathered from its findings' test points: the laws
//! breached (laws first, each with the articles confirmed in the version in force on the notice's
//! date, de-duplicated, ascending, runs merged into ranges), the normative documents whose
//! requirements were not met (按照…要求), the guidance followed as a method (参照), and each
//! breached law's power to order correction. Laws outside the issuing authority's remit are never
//! claimed as breached.

use crate::checklist::{Checklist, LawKind, LegalBasis};
use crate::i18n::{Lang, Text};

/// One instrument with the articles a document cites of it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub law: String,
    pub name: Text,
    /// Articles (zh, en) in the order they are printed; empty when cited by name alone.
    pub articles: Vec<Text>,
}

impl Citation {
    /// 《中华人民共和国个人信息保护法》第十四条、第十七条 / Personal Information Protection Law, Articles 14, 17.
    pub fn render(&self, lang: Lang) -> String {
        let name = self.name.get(lang);
        if self.articles.is_empty() {
            return name.to_string();
        }
        match lang {
            Lang::Zh => format!("{name}{}", render_articles(&self.articles, lang)),
            Lang::En => format!("{name}, {}", render_articles(&self.articles, lang)),
        }
    }
}

/// What a notice rests on.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Grounds {
    /// Laws, administrative regulations and departmental rules breached, in the checklist's order.
    pub breached: Vec<Citation>,
    /// Normative documents (the Notice first) whose requirements were not met: 按照…要求.
    pub required_by: Vec<Citation>,
    /// Guidance and standards followed as the method of identification: 参照.
    pub followed: Vec<Citation>,
    /// The articles empowering the order to correct, per breached law.
    pub powers: Vec<Citation>,
}

/// Gathers the grounds of the bases of `bases` (every finding's test point's basis), as a document
/// dated `date` (YYYY-MM-DD) of an authority enforcing `remit` (law ids) may cite them.
pub fn gather<'a>(
    checklist: &Checklist,
    bases: impl IntoIterator<Item = &'a LegalBasis>,
    date: &str,
    remit: &[String],
) -> Grounds {
    let mut g = Grounds::default();
    for b in bases {
        let law = checklist.law(&b.law);
        let kind = law.map_or(LawKind::NormativeDocument, |l| l.kind);
        let article = b.article_on(law, date).cloned();
        let list = match kind {
            LawKind::Guidance | LawKind::Standard => &mut g.followed,
            _ if !remit.contains(&b.law) => continue,
            LawKind::NormativeDocument => &mut g.required_by,
            LawKind::Law | LawKind::AdministrativeRegulation | LawKind::DepartmentRule => &mut g.breached,
        };
        add(list, &b.law, &b.law_name, article);
        if matches!(
            kind,
            LawKind::Law | LawKind::AdministrativeRegulation | LawKind::DepartmentRule
        ) && let Some(power) = b.power_on(law, date)
        {
            add(&mut g.powers, &b.law, &b.law_name, Some(power.clone()));
        }
    }
    // The checklist's order of laws, so the same findings always read the same.
    let order = |c: &Citation| {
        checklist
            .laws
            .iter()
            .position(|l| l.id == c.law)
            .unwrap_or(usize::MAX)
    };
    for list in [
        &mut g.breached,
        &mut g.required_by,
        &mut g.followed,
        &mut g.powers,
    ] {
        list.sort_by_key(order);
        for c in list.iter_mut() {
            c.articles.sort_by_key(|a| sort_key(&a.zh));
            c.articles.dedup();
        }
    }
    g
}

fn add(list: &mut Vec<Citation>, law: &str, name: &Text, article: Option<Text>) {
    let i = match list.iter().position(|c| c.law == law) {
        Some(i) => i,
        None => {
            list.push(Citation {
                law: law.to_string(),
                name: name.clone(),
                articles: Vec::new(),
            });
            list.len() - 1
        }
    };
    if let Some(a) = article.filter(|a| !a.zh.is_empty())
        && !list[i].articles.contains(&a)
    {
        list[i].articles.push(a);
    }
}

/// Sorts 第九条 before 第十七条 before 第十七条第二款; anything unparsed (一、（三）9) keeps a
/// stable order by its own numbers.
fn sort_key(article: &str) -> (Vec<u32>, String) {
    match article_number(article) {
        Some((n, rest)) => (vec![n], rest.to_string()),
        None => (numbers_in(article), article.to_string()),
    }
}

/// The numbers in a reference such as 一、（三）9 → [1, 3, 9], so measures sort naturally.
fn numbers_in(s: &str) -> Vec<u32> {
    let mut out = Vec::new();
    let mut run = String::new();
    let flush = |run: &mut String, out: &mut Vec<u32>| {
        if !run.is_empty() {
            if let Some(n) = run.parse::<u32>().ok().or_else(|| chinese_number(run)) {
                out.push(n);
            }
            run.clear();
        }
    };
    let mut chinese = false;
    for c in s.chars() {
        let is_cn = "零〇一二三四五六七八九十百".contains(c);
        if c.is_ascii_digit() || is_cn {
            if !run.is_empty() && chinese != is_cn {
                flush(&mut run, &mut out);
            }
            chinese = is_cn;
            run.push(c);
        } else {
            flush(&mut run, &mut out);
        }
    }
    flush(&mut run, &mut out);
    out
}

/// 第十七条第一款 → (17, "第一款"); `None` when the text is not a 第…条 article.
pub fn article_number(article: &str) -> Option<(u32, &str)> {
    let (number, rest) = article.strip_prefix('第')?.split_once('条')?;
    Some((chinese_number(number)?, rest))
}

/// 一 … 九百九十九 (and Arabic digits) as a number.
fn chinese_number(s: &str) -> Option<u32> {
    if let Ok(n) = s.parse() {
        return Some(n);
    }
    let digit = |c: char| {
        "零一二三四五六七八九"
            .chars()
            .position(|d| d == c)
            .map(|d| d as u32)
    };
    let (mut total, mut current) = (0u32, None::<u32>);
    for c in s.chars() {
        match c {
            '百' => {
                total += current.unwrap_or(1) * 100;
                current = None;
            }
            '十' => {
                total += current.unwrap_or(1) * 10;
                current = None;
            }
            '〇' => current = Some(0),
            c => current = Some(digit(c)?),
        }
    }
    let n = total + current.unwrap_or(0);
    (!s.is_empty() && n > 0).then_some(n)
}

/// The articles of one law: 第十四条、第十七条、第四十四条至第四十七条. Runs of three or more
/// whole, consecutive articles are merged into a range.
pub fn render_articles(articles: &[Text], lang: Lang) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut i = 0;
    while i < articles.len() {
        let start = article_number(&articles[i].zh).filter(|(_, rest)| rest.is_empty());
        let mut j = i;
        if let Some((n, _)) = start {
            while j + 1 < articles.len()
                && article_number(&articles[j + 1].zh)
                    .is_some_and(|(m, rest)| rest.is_empty() && m == n + (j + 1 - i) as u32)
            {
                j += 1;
            }
        }
        if j >= i + 2 {
            parts.push(match lang {
                Lang::Zh => format!("{}至{}", articles[i].zh, articles[j].zh),
                Lang::En => format!(
                    "{} to {}",
                    articles[i].en,
                    articles[j].en.trim_start_matches("Article ")
                ),
            });
            i = j + 1;
        } else {
            parts.push(articles[i].get(lang).to_string());
            i += 1;
        }
    }
    parts.join(lang.pick("、", ", "))
}

/// Several citations in one sentence: 《A》第一条，《B》第二条.
pub fn render_list(list: &[Citation], lang: Lang) -> String {
    let parts: Vec<String> = list.iter().map(|c| c.render(lang)).collect();
    parts.join(lang.pick("，", "; "))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(zh: &str) -> Text {
        let en = match article_number(zh) {
            Some((n, "")) => format!("Article {n}"),
            _ => zh.to_string(),
        };
        Text { zh: zh.into(), en }
    }

    #[test]
    fn chinese_article_numbers_are_read() {
        assert_eq!(article_number("第十七条"), Some((17, "")));
        assert_eq!(article_number("第六十六条"), Some((66, "")));
        assert_eq!(article_number("第一百零一条"), Some((101, "")));
        assert_eq!(article_number("第十条第一款"), Some((10, "第一款")));
        assert_eq!(article_number("第二十条"), Some((20, "")));
        assert_eq!(article_number("一、（三）9"), None);
        assert_eq!(numbers_in("一、（三）10"), vec![1, 3, 10]);
    }

    #[test]
    fn articles_sort_and_runs_merge() {
        let mut a: Vec<Text> = [
            "第四十七条",
            "第十七条",
            "第四十五条",
            "第四十四条",
            "第四十六条",
            "第六条",
        ]
        .iter()
        .map(|s| t(s))
        .collect();
        a.sort_by_key(|a| sort_key(&a.zh));
        assert_eq!(
            render_articles(&a, Lang::Zh),
            "第六条、第十七条、第四十四条至第四十七条"
        );
        assert_eq!(
            render_articles(&a, Lang::En),
            "Article 6, Article 17, Article 44 to 47"
        );
        // Two in a row stay two; a paragraph is never swallowed into a range.
        let b: Vec<Text> = ["第十六条", "第十七条", "第十八条第一款"]
            .iter()
            .map(|s| t(s))
            .collect();
        assert_eq!(
            render_articles(&b, Lang::Zh),
            "第十六条、第十七条、第十八条第一款"
        );
        // Measures of the Notice sort as numbers, not as text.
        let mut m: Vec<Text> = ["一、（三）10", "一、（三）9", "二、（一）14"]
            .iter()
            .map(|s| t(s))
            .collect();
        m.sort_by_key(|a| sort_key(&a.zh));
        assert_eq!(
            render_articles(&m, Lang::Zh),
            "一、（三）9、一、（三）10、二、（一）14"
        );
    }
}
