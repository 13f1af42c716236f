//! What a notice says, in the order an official document gives it (see the reference on
//! 责令整改通知书): title and number, the inspected entity and App, how it was inspected, the
//! numbered findings, legal basis, demands, deadline, consequences, rights, contact, signature
//! block; then the evidence appendix and the score summary.

use std::collections::BTreeSet;

use super::layout::{BLACK, BOTTOM, CONTENT_W, Column, Flow, GREY, LEFT, Op, PAGE_H, RED};
use super::{Kind, NoticeInput, NoticeOptions};
use crate::checklist::{Clause, TestPoint};
use crate::i18n::Lang;
use crate::status::Status;

const BODY: f32 = 11.5;
const SMALL: f32 = 9.0;

/// One finding: a test point judged non-compliant or partly compliant.
pub struct Finding<'c> {
    pub clause: &'c Clause,
    pub point: &'c TestPoint,
    pub status: Status,
    pub note: String,
    /// Evidence reference numbers (E1, E2 …) linked to this test point.
    pub evidence: Vec<usize>,
}

/// The findings of a case, in checklist order: test points that count for the case (binding one of
/// its roles, mandatory or with their condition met) judged non-compliant or partly compliant.
/// Advisory test points are never findings: they are recommendations, not breaches.
pub fn findings<'c>(input: &'c NoticeInput<'_>) -> Vec<Finding<'c>> {
    let counts: BTreeSet<&str> = input
        .score
        .clauses
        .iter()
        .flat_map(|c| c.points.iter())
        .filter(|p| p.standing == crate::score::Standing::Counts)
        .map(|p| p.testpoint.as_str())
        .collect();
    let mut out = Vec::new();
    for clause in &input.checklist.clauses {
        for point in &clause.test_points {
            if !counts.contains(point.id.as_str()) {
                continue;
            }
            let status = input.view.status(&point.id);
            if matches!(status, Status::NonCompliant | Status::Partial) {
                let evidence = input
                    .evidence
                    .iter()
                    .enumerate()
                    .filter(|(_, e)| e.item.testpoint.as_deref() == Some(point.id.as_str()))
                    .map(|(i, _)| i + 1)
                    .collect();
                out.push(Finding {
                    clause,
                    point,
                    status,
                    note: input
                        .view
                        .assessment(&point.id)
                        .map(|a| a.note.clone())
                        .unwrap_or_default(),
                    evidence,
                });
            }
        }
    }
    out
}

fn refs(evidence: &[usize]) -> String {
    if evidence.is_empty() {
        "—".into()
    } else {
        evidence
            .iter()
            .map(|n| format!("E{n}"))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

/// Lays out the whole notice.
pub fn compose(flow: &mut Flow<'_>, input: &NoticeInput<'_>, o: &NoticeOptions) {
    let lang = o.lang;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let c = &input.view.case;
    let findings = findings(input);
    let self_exam = o.kind == Kind::SelfExam;
    let date = |d: chrono::NaiveDate| match lang {
        Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
        Lang::En => d.format("%-d %B %Y").to_string(),
    };
    let subject = if c.subject.name.is_empty() {
        l("（未填写）", "(not given)").to_string()
    } else {
        c.subject.name.clone()
    };

    // Title block.
    flow.gap(10.0);
    if !self_exam {
        flow.centred(&o.authority, 20.0, RED);
    }
    flow.centred(
        match o.kind {
            Kind::Rectification => l("责令整改通知书", "Rectification Notice"),
            Kind::SelfExam => l(
                "移动互联网应用程序服务能力自查报告",
                "Self-Examination Report on Mobile App Services",
            ),
        },
        20.0,
        if self_exam { BLACK } else { RED },
    );
    flow.gap(4.0);
    flow.centred(&o.number, BODY, BLACK);
    flow.gap(4.0);
    flow.rule(RED, 1.2);
    flow.gap(12.0);

    // Addressee.
    flow.paragraph(&format!("{subject}{}", l("：", ":")), BODY, 0.0, 0.0, BLACK);
    let first = BODY * 2.0;
    let intro = match (o.kind, lang) {
        (Kind::Rectification, Lang::Zh) => format!(
            "根据{}等规定，我局于{}至{}对你单位运营的移动互联网应用程序“{}”开展了检查。经查，该应用存在下列违反规定的问题，现责令你单位限期整改。",
            input.checklist.document.zh,
            date_of(&c.created_at).map(date).unwrap_or_default(),
            date(o.issued.date()),
            c.app.name
        ),
        (Kind::Rectification, Lang::En) => format!(
            "Under {} and related provisions, we inspected the mobile App “{}” operated by your organisation from {} to {}. The App was found to have the problems listed below, and you are hereby ordered to rectify them within the time limit.",
            input.checklist.document.en,
            c.app.name,
            date_of(&c.created_at).map(date).unwrap_or_default(),
            date(o.issued.date())
        ),
        (Kind::SelfExam, Lang::Zh) => format!(
            "根据{}的要求，本单位于{}至{}对所运营的移动互联网应用程序“{}”开展了自查自纠，现将自查情况报告如下。",
            input.checklist.document.zh,
            date_of(&c.created_at).map(date).unwrap_or_default(),
            date(o.issued.date()),
            c.app.name
        ),
        (Kind::SelfExam, Lang::En) => format!(
            "As required by {}, we examined our mobile App “{}” from {} to {}. This report sets out what we found and what we will fix.",
            input.checklist.document.en,
            c.app.name,
            date_of(&c.created_at).map(date).unwrap_or_default(),
            date(o.issued.date())
        ),
    };
    flow.paragraph(&intro, BODY, 0.0, first, BLACK);

    // 1. The inspected entity and App.
    flow.heading(
        l(
            "一、被检查单位及应用基本情况",
            "1. The inspected organisation and App",
        ),
        13.0,
    );
    let report = input.report;
    let rows: Vec<(&str, String)> = vec![
        (l("单位名称", "Organisation"), subject.clone()),
        (
            l("统一社会信用代码", "Unified social credit code"),
            or_dash(&c.subject.credit_code),
        ),
        (l("地址", "Address"), or_dash(&c.subject.address)),
        (
            l("主体类型", "Subject type"),
            c.subject.kind.label().get(lang).to_string(),
        ),
        (l("应用名称", "App name"), c.app.name.clone()),
        (
            l("版本", "Version"),
            format!(
                "{}{}",
                c.app.version,
                report
                    .and_then(|r| r.version_code)
                    .map(|v| format!(" ({v})"))
                    .unwrap_or_default()
            ),
        ),
        (l("包名", "Package"), c.app.package.clone()),
        (
            l("签名证书SHA-256指纹", "Signing certificate SHA-256"),
            or_dash(&c.app.cert_sha256),
        ),
        (
            l("安装包SHA-256", "Package file SHA-256"),
            c.package_sha256.clone().unwrap_or_else(|| "—".into()),
        ),
    ];
    let table_rows: Vec<Vec<String>> = rows.into_iter().map(|(k, v)| vec![k.to_string(), v]).collect();
    flow.table(
        &[
            Column {
                title: l("项目", "Item"),
                share: 0.3,
            },
            Column {
                title: l("内容", "Details"),
                share: 0.7,
            },
        ],
        &table_rows,
        10.0,
    );

    // 2. How it was inspected.
    flow.heading(l("二、检查情况", "2. How the App was inspected"), 13.0);
    let how = match lang {
        Lang::Zh => format!(
            "检查依据：{}（检查表 {}，版本 {}，内容哈希 {}）。检查方式：安装包技术检测（清单、权限、组件、签名、第三方SDK静态分析）与人工核查（截图、录屏、文档审查）相结合。检查人员：{}。共检查适用检查项 {} 项中的 {} 项。",
            input.checklist.title.zh,
            input.checklist.id,
            input.checklist.version,
            &c.checklist_hash.get(..16).unwrap_or(&c.checklist_hash),
            c.inspectors.join("、"),
            input.score.total.applicable,
            input.score.total.checked
        ),
        Lang::En => format!(
            "Basis: {} (checklist {}, version {}, content hash {}). Method: technical analysis of the package (manifest, permissions, components, signatures, third-party SDKs) together with manual checks (screenshots, recordings, document review). Inspectors: {}. {} of {} applicable test points were checked.",
            input.checklist.title.en,
            input.checklist.id,
            input.checklist.version,
            &c.checklist_hash.get(..16).unwrap_or(&c.checklist_hash),
            c.inspectors.join(", "),
            input.score.total.checked,
            input.score.total.applicable
        ),
    };
    flow.paragraph(&how, BODY, 0.0, first, BLACK);

    // 3. Findings.
    flow.heading(l("三、发现的问题", "3. Findings"), 13.0);
    if findings.is_empty() {
        flow.paragraph(
            l("本次检查未发现不符合项。", "No non-compliance was found."),
            BODY,
            0.0,
            first,
            BLACK,
        );
    } else {
        let rows: Vec<Vec<String>> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let clause = format!(
                    "{} {}{}{}{}",
                    f.clause.number(lang),
                    f.clause.title.get(lang),
                    l("（", " ("),
                    f.point.id,
                    l("）", ")")
                );
                let mut found = format!(
                    "{}{}{}",
                    f.point.check.get(lang),
                    l("　检查结论：", " Result: "),
                    f.status.label().get(lang)
                );
                if !f.note.is_empty() {
                    found += &format!("{}{}", l("。检查发现：", ". Observed: "), f.note);
                }
                vec![
                    format!("{}", i + 1),
                    clause,
                    found,
                    format!("{}\n{}", f.point.severity.label().get(lang), refs(&f.evidence)),
                ]
            })
            .collect();
        flow.table(
            &[
                Column {
                    title: l("序号", "No."),
                    share: 0.08,
                },
                Column {
                    title: l("条款", "Clause"),
                    share: 0.24,
                },
                Column {
                    title: l("问题描述", "What was found"),
                    share: 0.54,
                },
                Column {
                    title: l("风险/证据", "Severity / evidence"),
                    share: 0.14,
                },
            ],
            &rows,
            9.5,
        );
    }

    // 4. Legal basis.
    flow.heading(l("四、法律依据", "4. Legal basis"), 13.0);
    // One citation per law, its articles gathered: 《通知》一、（三）9、10，二、（一）14. Each test
    // point's own basis, binding instruments only (guidance is a method, never the breached rule),
    // and an article only where it was confirmed in the text in force on the notice's date.
    let on = o.issued.date().format("%Y-%m-%d").to_string();
    let mut laws: Vec<(String, Vec<String>)> = Vec::new();
    let mut seen = BTreeSet::new();
    // The power to order correction: that of each law the findings rest on, where confirmed.
    let mut powers: Vec<String> = Vec::new();
    for f in &findings {
        for b in f.point.basis.iter().filter(|b| b.binding) {
            let law = input.checklist.law(&b.law);
            let article = b
                .article_on(law, &on)
                .map(|a| a.get(lang).to_string())
                .unwrap_or_default();
            if let Some(power) = b.power_on(law, &on) {
                let cite = match lang {
                    Lang::Zh => format!("{}{}", b.law_name.zh, power.zh),
                    Lang::En => format!("{}, {}", b.law_name.en, power.en),
                };
                if !powers.contains(&cite) {
                    powers.push(cite);
                }
            }
            if !seen.insert((b.law.clone(), article.clone())) {
                continue;
            }
            match laws.iter_mut().find(|(name, _)| *name == b.law_name.get(lang)) {
                Some((_, articles)) => articles.push(article),
                None => laws.push((b.law_name.get(lang).to_string(), vec![article])),
            }
        }
    }
    let cite_list: Vec<String> = laws
        .into_iter()
        .map(|(name, articles)| {
            let articles: Vec<String> = articles.into_iter().filter(|a| !a.is_empty()).collect();
            match (lang, articles.is_empty()) {
                (_, true) => name,
                (Lang::Zh, false) => format!("{name}{}", articles.join("、")),
                (Lang::En, false) => format!("{name}, {}", articles.join("; ")),
            }
        })
        .collect();
    let basis = if cite_list.is_empty() {
        input.checklist.document.get(lang).to_string()
    } else {
        cite_list.join(lang.pick("；", "; "))
    };
    let basis_text = match (o.kind, lang) {
        // The power is claimed only from the laws the findings rest on (PIPL 第六十六条 for a
        // personal-information finding, never for an uninstall one).
        (Kind::Rectification, Lang::Zh) if !powers.is_empty() => format!(
            "上述行为违反了{basis}的规定。依据{}的规定，责令你单位改正。",
            powers.join("、")
        ),
        (Kind::Rectification, Lang::Zh) => format!("上述行为违反了{basis}的规定，现责令你单位改正。"),
        (Kind::Rectification, Lang::En) if !powers.is_empty() => format!(
            "The conduct above violates {basis}. Under {}, you are ordered to correct it.",
            powers.join("; ")
        ),
        (Kind::Rectification, Lang::En) => {
            format!("The conduct above violates {basis}. You are hereby ordered to correct it.")
        }
        (Kind::SelfExam, Lang::Zh) => format!("上述问题涉及{basis}的要求。"),
        (Kind::SelfExam, Lang::En) => format!("The problems above concern {basis}."),
    };
    flow.paragraph(&basis_text, BODY, 0.0, first, BLACK);

    // 5. Demands.
    flow.heading(l("五、整改要求", "5. What must be fixed"), 13.0);
    if findings.is_empty() {
        flow.paragraph(l("无。", "Nothing."), BODY, 0.0, first, BLACK);
    }
    for (i, f) in findings.iter().enumerate() {
        flow.paragraph(
            &format!("{}. {}", i + 1, f.point.demand.get(lang)),
            BODY,
            0.0,
            first,
            BLACK,
        );
    }

    // 6. Deadline and reporting back.
    flow.heading(
        l("六、整改期限及反馈方式", "6. Deadline and reporting back"),
        13.0,
    );
    let deadline = match (o.kind, lang) {
        (Kind::Rectification, Lang::Zh) => format!(
            "请你单位于{}前完成整改，并将整改报告（包括整改措施、整改后的版本及安装包、相关截图或录屏）以书面形式报送我局。",
            date(o.deadline)
        ),
        (Kind::Rectification, Lang::En) => format!(
            "Complete the rectification by {} and send us a written rectification report (the measures taken, the rectified version and its package, screenshots or recordings).",
            date(o.deadline)
        ),
        (Kind::SelfExam, Lang::Zh) => format!(
            "本单位将于{}前完成上述问题的整改，并留存整改记录备查。",
            date(o.deadline)
        ),
        (Kind::SelfExam, Lang::En) => format!(
            "We will fix the problems above by {} and keep records of the work for inspection.",
            date(o.deadline)
        ),
    };
    flow.paragraph(&deadline, BODY, 0.0, first, BLACK);

    if !self_exam {
        flow.heading(l("七、逾期后果", "7. If the deadline is not met"), 13.0);
        flow.paragraph(
            l(
                "逾期未整改或整改不到位的，我局将依法采取向社会通报、组织下架、停止接入等处置措施，并依据《中华人民共和国个人信息保护法》等法律法规予以处罚，相关情况纳入电信业务经营不良名单管理。",
                "If the problems are not fixed in time, or not fully, we will take measures under the law — public notification, removal from distribution platforms, suspension of network access — impose penalties under the Personal Information Protection Law and other laws, and record the case in the list of telecommunications operators with poor conduct.",
            ),
            BODY,
            0.0,
            first,
            BLACK,
        );
        flow.heading(l("八、权利告知", "8. Your rights"), 13.0);
        flow.paragraph(
            l(
                "你单位如对本通知不服，可以自收到本通知之日起六十日内依法申请行政复议，或者六个月内依法向人民法院提起行政诉讼。",
                "If you disagree with this notice, you may apply for administrative reconsideration within sixty days of receiving it, or bring an administrative lawsuit before a people's court within six months, in accordance with the law.",
            ),
            BODY,
            0.0,
            first,
            BLACK,
        );
    }
    flow.heading(
        if self_exam {
            l("七、联系方式", "7. Contact")
        } else {
            l("九、联系方式", "9. Contact")
        },
        13.0,
    );
    flow.paragraph(&o.contact, BODY, 0.0, first, BLACK);

    // Signature block.
    flow.ensure(BODY * 8.0);
    flow.gap(BODY * 2.0);
    flow.right(if self_exam { &subject } else { &o.authority }, BODY);
    flow.right(&date(o.issued.date()), BODY);
    flow.right(l("（电子签章）", "(electronically signed)"), SMALL);
    if !self_exam {
        flow.gap(BODY);
        flow.paragraph(
            l(
                "送达回执：本通知书于____年__月__日__时__分收到。接收人（签字）：________",
                "Receipt: received on ____-__-__ at __:__. Recipient (signature): ________",
            ),
            SMALL,
            0.0,
            0.0,
            GREY,
        );
    }

    appendix(flow, input, lang);
    score_summary(flow, input, lang);
}

fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".into()
    } else {
        s.to_string()
    }
}

fn date_of(rfc3339: &str) -> Option<chrono::NaiveDate> {
    chrono::DateTime::parse_from_rfc3339(rfc3339)
        .ok()
        .map(|d| d.date_naive())
}

/// The evidence appendix: every image as collected, annotations drawn over it, with its facts.
fn appendix(flow: &mut Flow<'_>, input: &NoticeInput<'_>, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    if input.evidence.is_empty() {
        return;
    }
    flow.new_page();
    flow.centred(l("附件：证据材料", "Appendix: evidence"), 15.0, BLACK);
    flow.gap(6.0);
    for (i, e) in input.evidence.iter().enumerate() {
        let item = &e.item;
        let facts = format!(
            "E{}  {}{}{}  ·  {}{}  ·  {}{}\nSHA-256 {}",
            i + 1,
            l("检查项 ", "test point "),
            item.testpoint.as_deref().unwrap_or("—"),
            if item.caption.is_empty() {
                String::new()
            } else {
                format!("  ·  {}", item.caption)
            },
            l("采集时间 ", "collected "),
            &crate::i18n::prefix(&item.attached_at, 19).replace('T', " "),
            l("文件 ", "file "),
            item.original_name,
            item.sha256
        );
        let caption_h = 3.0 * SMALL * 1.6 + 6.0;
        match (e.pixels, item.is_image()) {
            (Some((w, h)), true) => {
                // Fit the whole image within the content width and what is left of a page.
                let max_h = PAGE_H - BOTTOM - super::layout::TOP - caption_h - 60.0;
                let scale = (CONTENT_W / w as f32).min(max_h / h as f32).min(1.0);
                let (dw, dh) = (w as f32 * scale, h as f32 * scale);
                flow.ensure(dh + caption_h + 10.0);
                let x = LEFT + (CONTENT_W - dw) / 2.0;
                let y = flow.y;
                flow.push(Op::Image {
                    x,
                    y,
                    w: dw,
                    h: dh,
                    index: i,
                });
                flow.push(Op::Rect {
                    x,
                    y,
                    w: dw,
                    h: dh,
                    fill: None,
                    stroke: Some(((180, 180, 180), 0.5)),
                });
                flow.y += dh + 4.0;
                flow.paragraph(&facts, SMALL, 0.0, 0.0, GREY);
                flow.gap(10.0);
            }
            _ => {
                flow.paragraph(
                    &format!(
                        "{facts}\n{} ({}, {} bytes)",
                        l("文档证据", "Document evidence"),
                        item.media_type,
                        item.size
                    ),
                    SMALL,
                    0.0,
                    0.0,
                    GREY,
                );
                flow.gap(8.0);
            }
        }
    }
}

/// The score per section with bars, and the arithmetic of the total.
fn score_summary(flow: &mut Flow<'_>, input: &NoticeInput<'_>, lang: Lang) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let s = input.score;
    flow.new_page();
    flow.centred(l("附件：合规评分摘要", "Appendix: compliance score"), 15.0, BLACK);
    flow.gap(8.0);
    let pct = |v: Option<f64>| v.map_or("—".to_string(), |v| format!("{:.1}%", v * 100.0));
    flow.paragraph(
        &format!(
            "{}{}    {}{}    {}{} ({}/{})",
            l("结论：", "Verdict: "),
            s.verdict.label().get(lang),
            l("得分：", "Score: "),
            pct(s.total.score),
            l("覆盖率：", "Coverage: "),
            pct(Some(s.total.coverage)),
            s.total.checked,
            s.total.applicable
        ),
        BODY,
        0.0,
        0.0,
        BLACK,
    );
    flow.paragraph(
        &format!(
            "{} {:.1} / {:.1}. {}",
            l("得分 = 已检查项加权得分之和 / 已检查项权重之和 =", "Score = Σ weight × value / Σ weight over checked test points ="),
            s.total.earned,
            s.total.possible,
            l(
                "权重：高3、中2、低1；符合计1、部分符合计0.5、不符合计0；不适用项不计入，未检查项计入覆盖率；存在高风险不符合项即需责令整改。",
                "Weights: high 3, medium 2, low 1; compliant 1, partial 0.5, non-compliant 0; not-applicable points are left out and unchecked ones count against coverage; any high-severity non-compliance requires rectification.",
            )
        ),
        SMALL,
        0.0,
        0.0,
        GREY,
    );
    flow.gap(10.0);
    let label_w = CONTENT_W * 0.42;
    let bar_w = CONTENT_W * 0.40;
    for sec in &s.sections {
        if sec.tally.applicable == 0 && sec.tally.out_of_scope > 0 {
            continue;
        }
        flow.ensure(26.0);
        let y = flow.y;
        let label: String = super::layout::wrap(&flow.measure, sec.title.get(lang), 9.5, label_w - 6.0)
            .into_iter()
            .next()
            .unwrap_or_default();
        flow.push(Op::Text {
            x: LEFT,
            y: y + 12.0,
            size: 9.5,
            text: label,
            color: BLACK,
        });
        let x0 = LEFT + label_w;
        flow.push(Op::Rect {
            x: x0,
            y: y + 3.0,
            w: bar_w,
            h: 11.0,
            fill: Some((235, 235, 235)),
            stroke: None,
        });
        if let Some(v) = sec.tally.score {
            let colour = if v >= 0.9 {
                (60, 150, 80)
            } else if v >= 0.6 {
                (220, 160, 40)
            } else {
                (200, 50, 50)
            };
            flow.push(Op::Rect {
                x: x0,
                y: y + 3.0,
                w: bar_w * v as f32,
                h: 11.0,
                fill: Some(colour),
                stroke: None,
            });
        }
        flow.push(Op::Text {
            x: x0 + bar_w + 6.0,
            y: y + 12.0,
            size: 9.0,
            text: format!(
                "{}  {}/{}",
                pct(sec.tally.score),
                sec.tally.checked,
                sec.tally.applicable
            ),
            color: BLACK,
        });
        flow.y += 22.0;
    }
}
