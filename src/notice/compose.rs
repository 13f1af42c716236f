//! The self-examination report (the enterprise's document, in its own voice) and the inspection
//! record (the inspectors' internal record): the organisation and App, how the App was examined
//! against which checklist, the numbered findings with their test points, legal basis, what is to
//! be fixed and by when, then the evidence and the score — which an enforcement notice never
//! carries (see `rectification.rs`).

use super::layout::{BLACK, BOTTOM, CONTENT_W, Column, Flow, GREY, LEFT, Op, PAGE_H};
use super::{Kind, NoticeInput, NoticeOptions};
use crate::i18n::Lang;

const BODY: f32 = 11.5;
const SMALL: f32 = 9.0;

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

/// Lays out a self-examination report or an inspection record.
pub fn compose(flow: &mut Flow<'_>, input: &NoticeInput<'_>, o: &NoticeOptions) {
    let lang = o.lang;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let c = &input.view.case;
    let findings = super::rectification::findings(input, o);
    let self_exam = o.kind == Kind::SelfExam;
    let date = |d: chrono::NaiveDate| o.date(d);
    let first = BODY * 2.0;
    let subject = subject_name(c, lang);
    let on = o.issued.date().format("%Y-%m-%d").to_string();
    let from = o.local(&c.created_at).map_or(o.issued.date(), |t| t.date());
    let days = if from == o.issued.date() {
        date(from)
    } else {
        match lang {
            Lang::Zh => format!("{}至{}", date(from), date(o.issued.date())),
            Lang::En => format!("from {} to {}", date(from), date(o.issued.date())),
        }
    };

    // Title block.
    flow.gap(10.0);
    flow.title(
        if self_exam {
            l(
                "移动互联网应用程序服务能力自查报告",
                "Self-Examination Report on Mobile App Services",
            )
        } else {
            l("APP检查记录", "App Inspection Record")
        },
        20.0,
        BLACK,
    );
    if !o.number.is_empty() {
        flow.gap(4.0);
        flow.centred(&o.number, BODY, BLACK);
    }
    flow.gap(4.0);
    flow.rule(GREY, 1.0);
    flow.gap(12.0);

    // Addressee (a report may be unaddressed) and opening, in the company's voice for a report.
    if self_exam && !o.authority.name.is_empty() {
        flow.paragraph(
            &format!("{}{}", o.authority.name, l("：", ":")),
            BODY,
            0.0,
            0.0,
            BLACK,
        );
    }
    let intro = match (self_exam, lang) {
        (true, Lang::Zh) => format!(
            "根据《{}》（{}）的要求，本单位于{days}对所运营的移动互联网应用程序“{}”开展了自查自纠，现将自查情况报告如下。",
            input.checklist.title.zh, input.checklist.document.zh, c.app.name
        ),
        (true, Lang::En) => format!(
            "As required by the {} ({}), we examined our mobile App “{}” {days}. This report sets out what we found and how we will fix it.",
            input.checklist.title.en, input.checklist.document.en, c.app.name
        ),
        (false, Lang::Zh) => format!(
            "本记录为对{}运营的移动互联网应用程序“{}”的检查记录（内部材料，非执法文书），检查时间：{days}。",
            subject, c.app.name
        ),
        (false, Lang::En) => format!(
            "The record of the inspection of the mobile App “{}” operated by {subject} (an internal record, not an enforcement document), {days}.",
            c.app.name
        ),
    };
    flow.paragraph(&intro, BODY, 0.0, first, BLACK);

    // 1. The organisation and App.
    flow.heading(
        l("一、单位及应用基本情况", "1. The organisation and the App"),
        13.0,
    );
    let mut rows = identity_rows(input, &subject, lang);
    rows.push((
        l("主体类型", "Roles").to_string(),
        crate::checklist::SubjectType::list(&c.subject.roles(), lang),
    ));
    for (k, v) in input.view.test_conditions.lines(lang) {
        rows.push((k, v));
    }
    let table_rows: Vec<Vec<String>> = rows.into_iter().map(|(k, v)| vec![k, v]).collect();
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

    // 2. How it was examined.
    flow.heading(
        if self_exam {
            l("二、自查情况", "2. How the App was examined")
        } else {
            l("二、检查情况", "2. How the App was inspected")
        },
        13.0,
    );
    let people: Vec<String> = c.inspectors.iter().map(|i| i.describe(lang)).collect();
    let how = match lang {
        Lang::Zh => format!(
            "依据：{}（检查表 {}，版本 {}，内容哈希 {}）。方式：安装包技术检测与人工核查相结合。{}：{}。共检查适用检查项 {} 项中的 {} 项。",
            input.checklist.title.zh,
            input.checklist.id,
            input.checklist.version,
            &c.checklist_hash.get(..16).unwrap_or(&c.checklist_hash),
            if self_exam { "自查人员" } else { "检查人员" },
            people.join("、"),
            input.score.total.applicable,
            input.score.total.checked
        ),
        Lang::En => format!(
            "Basis: {} (checklist {}, version {}, content hash {}). Method: technical analysis of the package together with manual checks. {}: {}. {} of {} applicable test points were checked.",
            input.checklist.title.en,
            input.checklist.id,
            input.checklist.version,
            &c.checklist_hash.get(..16).unwrap_or(&c.checklist_hash),
            if self_exam { "Examined by" } else { "Inspectors" },
            people.join("; "),
            input.score.total.checked,
            input.score.total.applicable
        ),
    };
    flow.paragraph(&how, BODY, 0.0, first, BLACK);

    // 3. Findings: a report lists what it will do about each; a record what was found.
    flow.heading(
        if self_exam {
            l(
                "三、发现的问题及整改措施",
                "3. Problems found and how they are fixed",
            )
        } else {
            l("三、检查发现", "3. Findings")
        },
        13.0,
    );
    if findings.is_empty() {
        flow.paragraph(
            l("未发现不符合项。", "No non-compliance was found."),
            BODY,
            0.0,
            first,
            BLACK,
        );
    } else if self_exam {
        let rows: Vec<Vec<String>> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut problem = format!("{} {}", f.clause.number(lang), f.clause.title.get(lang));
                if !f.facts.is_empty() {
                    problem += &format!("\n{}", f.facts.join(l("；", "; ")));
                }
                vec![
                    format!("{}", i + 1),
                    problem,
                    f.point.demand.get(lang).to_string(),
                    String::new(),
                    date(o.deadline),
                    String::new(),
                ]
            })
            .collect();
        flow.table(
            &[
                Column {
                    title: l("序号", "No."),
                    share: 0.07,
                },
                Column {
                    title: l("问题", "Problem"),
                    share: 0.33,
                },
                Column {
                    title: l("整改措施", "Measures"),
                    share: 0.28,
                },
                Column {
                    title: l("责任部门", "Department"),
                    share: 0.1,
                },
                Column {
                    title: l("完成时限", "Due"),
                    share: 0.12,
                },
                Column {
                    title: l("完成情况", "Status"),
                    share: 0.1,
                },
            ],
            &rows,
            9.0,
        );
    } else {
        let rows: Vec<Vec<String>> = findings
            .iter()
            .enumerate()
            .map(|(i, f)| {
                let mut found = format!("{}{}", l("检查结论：", "Result: "), f.status.label().get(lang));
                for fact in &f.facts {
                    found += &format!("\n{fact}");
                }
                vec![
                    format!("{}", i + 1),
                    format!(
                        "{} {} ({})",
                        f.clause.number(lang),
                        f.clause.title.get(lang),
                        f.point.id
                    ),
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
                    title: l("检查项", "Test point"),
                    share: 0.24,
                },
                Column {
                    title: l("情况", "What was found"),
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

    // 4. What the findings concern (a report never speaks of its own violations).
    flow.heading(
        if self_exam {
            l("四、涉及的规定", "4. The rules concerned")
        } else {
            l("四、依据", "4. Legal basis")
        },
        13.0,
    );
    let remit: Vec<String> = input.checklist.laws.iter().map(|l| l.id.clone()).collect();
    let g = super::grounds::gather(
        input.checklist,
        findings.iter().flat_map(|f| f.point.basis.iter()),
        &on,
        &remit,
    );
    let mut cited = g.breached.clone();
    cited.extend(g.required_by.iter().cloned());
    let basis = if cited.is_empty() {
        input.checklist.document.get(lang).to_string()
    } else {
        super::grounds::render_list(&cited, lang)
    };
    let basis_text = match lang {
        Lang::Zh => format!("上述问题涉及{basis}的要求。"),
        Lang::En => format!("The problems above concern {basis}."),
    };
    flow.paragraph(&basis_text, BODY, 0.0, first, BLACK);

    if self_exam {
        flow.heading(l("五、承诺", "5. Commitment"), 13.0);
        flow.paragraph(
            &match lang {
                Lang::Zh => format!(
                    "本单位承诺：将于{}前完成上述问题的整改并留存整改记录备查；本报告内容真实、准确、完整。",
                    date(o.deadline)
                ),
                Lang::En => format!(
                    "We undertake to fix the problems above by {} and to keep records of the work for inspection; this report is true, accurate and complete.",
                    date(o.deadline)
                ),
            },
            BODY,
            0.0,
            first,
            BLACK,
        );
        flow.heading(l("六、联系方式", "6. Contact"), 13.0);
        flow.paragraph(&o.contact, BODY, 0.0, first, BLACK);
        company_signature(flow, &subject, o, false);
    } else {
        flow.ensure(BODY * 4.0);
        flow.gap(BODY);
        flow.right(
            &format!("{}{}", l("记录人：", "Recorded by: "), people.join(l("、", "; "))),
            BODY,
        );
        flow.right(&date(o.issued.date()), BODY);
    }

    appendix(flow, input, o);
    score_summary(flow, input, lang, self_exam);
}

/// The signature block of a company's own document: its name (with room for its seal, where the
/// document is sealed), its legal representative or personal-information protection officer, date.
pub(super) fn company_signature(flow: &mut Flow<'_>, subject: &str, o: &NoticeOptions, sealed: bool) {
    let l = |zh: &'static str, en: &'static str| o.lang.pick(zh, en);
    flow.ensure(BODY * 8.0);
    flow.gap(BODY * 2.0);
    if sealed {
        flow.right(&format!("{subject}{}", l("（盖章）", " (seal)")), BODY);
    } else {
        flow.right(subject, BODY);
    }
    flow.right(
        l(
            "法定代表人或个人信息保护负责人（签字）：__________",
            "Legal representative or PI protection officer (signature): __________",
        ),
        BODY,
    );
    flow.right(&o.date(o.issued.date()), BODY);
}

/// The organisation as every document names it, or a placeholder that says it was not given.
pub(super) fn subject_name(c: &crate::case::Case, lang: Lang) -> String {
    if c.subject.name.is_empty() {
        lang.pick("（未填写）", "(not given)").to_string()
    } else {
        c.subject.name.clone()
    }
}

/// An empty field as a dash, so a reader sees it was not given rather than lost.
pub(super) fn or_dash(s: &str) -> String {
    if s.trim().is_empty() {
        "—".into()
    } else {
        s.to_string()
    }
}

/// The organisation and App as every document identifies them: name, credit code, address, App,
/// version (and code), package, filing number, certificate and package fingerprints.
pub(super) fn identity_rows(input: &NoticeInput<'_>, subject: &str, lang: Lang) -> Vec<(String, String)> {
    let l = |zh: &str, en: &str| lang.pick(zh, en).to_string();
    let c = &input.view.case;
    let code = input
        .report
        .and_then(|r| r.version_code)
        .map(|v| format!(" ({v})"))
        .unwrap_or_default();
    vec![
        (l("单位名称", "Organisation"), subject.to_string()),
        (
            l("统一社会信用代码", "Unified social credit code"),
            or_dash(&c.subject.credit_code),
        ),
        (l("地址", "Address"), or_dash(&c.subject.address)),
        (l("应用名称", "App name"), c.app.name.clone()),
        (l("版本", "Version"), format!("{}{code}", c.app.version)),
        (l("包名", "Package name"), c.app.package.clone()),
        (l("APP备案号", "App filing number"), or_dash(&c.app.filing)),
        (
            l("签名证书SHA-256指纹", "Signing certificate SHA-256"),
            or_dash(&c.app.cert_sha256),
        ),
        (
            l("安装包SHA-256", "Package file SHA-256"),
            c.package_sha256.clone().unwrap_or_else(|| "—".into()),
        ),
    ]
}

/// The test device and its system as one line (empty when neither was recorded).
pub(super) fn test_device(t: &crate::case::TestConditions, lang: Lang) -> String {
    [t.device.as_str(), t.os.as_str()]
        .iter()
        .filter(|s| !s.trim().is_empty())
        .copied()
        .collect::<Vec<_>>()
        .join(lang.pick("，", ", "))
}

/// The evidence appendix: every image as collected, annotations drawn over it, with its facts.
pub(super) fn appendix(flow: &mut Flow<'_>, input: &NoticeInput<'_>, o: &NoticeOptions) {
    let lang = o.lang;
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
            l("入库时间 ", "stored "),
            o.local(&item.attached_at)
                .map(|t| o.time(t))
                .unwrap_or_else(|| item.attached_at.clone()),
            l("文件 ", "file "),
            item.original_name,
            item.sha256
        );
        place_evidence(flow, e, i, &facts, lang);
    }
}

/// One piece of evidence in an appendix: the image scaled to fit (its annotations drawn over it by
/// the renderer) with `facts` beneath, or for a document its facts and type.
pub(super) fn place_evidence(
    flow: &mut Flow<'_>,
    e: &super::EvidenceImage,
    index: usize,
    facts: &str,
    lang: Lang,
) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let item = &e.item;
    let lines = facts.lines().count().max(1) as f32 + 1.0;
    let caption_h = lines * SMALL * 1.6 + 6.0;
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
                index,
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
            flow.paragraph(facts, SMALL, 0.0, 0.0, GREY);
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

/// The score per section with bars, and the arithmetic of the total.
fn score_summary(flow: &mut Flow<'_>, input: &NoticeInput<'_>, lang: Lang, self_exam: bool) {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let s = input.score;
    flow.new_page();
    flow.centred(l("附件：合规评分摘要", "Appendix: compliance score"), 15.0, BLACK);
    flow.gap(8.0);
    let pct = crate::score::pct;
    flow.paragraph(
        &format!(
            "{}{}    {}{}    {}{} ({}/{})",
            l("结论：", "Verdict: "),
            // An enterprise's report needs fixing; only an authority orders rectification.
            if self_exam && s.verdict == crate::score::Verdict::RectificationRequired {
                l("需整改", "fixes required").to_string()
            } else {
                s.verdict.label().get(lang).to_string()
            },
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
            bold: false,
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
            bold: false,
        });
        flow.y += 22.0;
    }
}
