//! The rectification notice (责令整改通知书) as an administration signs and serves it (see the
//! reference on the notice, element by element): header and 文号; addressee; an opening grounded on
//! the laws, the Notice as "按照…要求"; identification; how the App was inspected; the facts of each
//! finding ("经查，…") and what they fail; legal basis with the power to order correction; demands;
//! deadline; consequences; rights with the reconsideration body and court; contact; 附件说明;
//! the officers and a signature block with room for the seal; the 送达回证 on its own page; the
//! evidence the findings reference. No score, coverage, checklist or test-point ids: the decision is
//! the authority's, and those belong to the inspection record.

use super::compose::{identity_rows, or_dash, place_evidence, test_device};
use super::grounds::{self, Grounds};
use super::layout::{BLACK, Column, Flow, GREY, RED};
use super::{NoticeInput, NoticeOptions};
use crate::checklist::{Clause, LawKind, Provenance, TestPoint};
use crate::i18n::Lang;
use crate::status::Status;

const BODY: f32 = 11.5;
const SMALL: f32 = 9.5;
const HEADING: f32 = 13.0;
/// The clear height kept for the physical seal over the authority's name and date (about 45 mm).
const SEAL_ROOM: f32 = 45.0 * 72.0 / 25.4;

/// One finding of the notice, with the facts that support it.
pub struct Finding<'c> {
    pub clause: &'c Clause,
    pub point: &'c TestPoint,
    pub status: Status,
    /// What was found, in plain words: the inspector's note, then the facts of the accepted
    /// automatic suggestions that support the finding.
    pub facts: Vec<String>,
    /// Evidence reference numbers (E1, E2 …) linked to this test point.
    pub evidence: Vec<usize>,
}

/// The findings of a case, in checklist order: test points that count for the case (binding one of
/// its roles, mandatory or with their condition met) judged non-compliant or partly compliant.
/// Advisory test points are never findings: they are recommendations, not breaches.
pub fn findings<'c>(input: &'c NoticeInput<'_>, o: &NoticeOptions) -> Vec<Finding<'c>> {
    let counts: std::collections::BTreeSet<&str> = input
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
            if !matches!(status, Status::NonCompliant | Status::Partial) {
                continue;
            }
            let mut facts = Vec::new();
            if let Some(a) = input.view.assessment(&point.id)
                && !a.note.trim().is_empty()
            {
                facts.push(a.note.trim().to_string());
            }
            // The facts behind accepted automatic findings; hints (not checked) are instructions to
            // the inspector, not facts of a breach.
            for s in input.view.suggestions.iter().filter(|s| {
                s.testpoint == point.id
                    && s.review == "accepted"
                    && matches!(s.suggested_status, Status::NonCompliant | Status::Partial)
            }) {
                let fact = s.evidence.get(o.lang).trim().to_string();
                if !fact.is_empty() && !facts.contains(&fact) {
                    facts.push(fact);
                }
            }
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
                facts,
                evidence,
            });
        }
    }
    out
}

/// Whether a finding rests on an instrument the authority enforces: a binding basis (not guidance)
/// in its remit. One that does not (an advertising rule before a telecom administration) is left
/// out of the notice and referred elsewhere.
pub fn in_remit(f: &Finding<'_>, checklist: &crate::checklist::Checklist, remit: &[String]) -> bool {
    f.point
        .basis
        .iter()
        .any(|b| remit.contains(&b.law) && checklist.law(&b.law).is_none_or(|l| l.binding()))
}

/// The Notice's own reference to a measure, 一、（三）9: from the test point's basis, else from
/// its section's heading (一、（三）加强个人信息保护 → 一、（三）) and the measure's number.
fn measure_ref(
    f: &Finding<'_>,
    input: &NoticeInput<'_>,
    basis: Option<&crate::i18n::Text>,
    lang: Lang,
) -> String {
    if let Some(a) = basis {
        return a.get(lang).to_string();
    }
    let heading = input
        .checklist
        .section(&f.clause.section)
        .map(|s| s.title.get(lang).to_string())
        .unwrap_or_default();
    let prefix = match lang {
        Lang::Zh => heading.rsplit_once('）').map(|(head, _)| format!("{head}）")),
        Lang::En => heading.split_whitespace().next().map(str::to_string),
    };
    match prefix {
        Some(p) if f.clause.id != f.clause.section => match lang {
            Lang::Zh => format!("{p}{}", f.clause.id),
            Lang::En => format!("Part {p} {}", f.clause.id),
        },
        _ => f.clause.number(lang),
    }
}

/// Chinese ordinal in parentheses: （一）… （二十）.
fn ordinal(n: usize, lang: Lang) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match lang {
        Lang::En => format!("({n})"),
        Lang::Zh => {
            let word = match n {
                1..=9 => DIGITS[n].to_string(),
                10 => "十".to_string(),
                11..=19 => format!("十{}", DIGITS[n - 10]),
                20..=99 => format!("{}十{}", DIGITS[n / 10], DIGITS[n % 10]),
                _ => n.to_string(),
            };
            format!("（{word}）")
        }
    }
}

/// E1、E2 / E1, E2.
fn refs(evidence: &[usize], lang: Lang) -> String {
    let refs: Vec<String> = evidence.iter().map(|n| format!("E{n}")).collect();
    refs.join(lang.pick("、", ", "))
}

/// A sentence without its closing stop, so sentences can be joined and closed once.
fn unstopped(s: &str) -> &str {
    s.trim().trim_end_matches(['。', '.', '；', ';'])
}

/// The checklist's own instrument (the Notice) among the laws: the normative document the
/// checklist is a checklist of.
fn notice_law<'c>(input: &'c NoticeInput<'_>) -> Option<&'c crate::checklist::Law> {
    let doc = &input.checklist.document.zh;
    input
        .checklist
        .laws
        .iter()
        .find(|l| !doc.is_empty() && l.name.zh.contains(doc.as_str()))
        .or_else(|| {
            input
                .checklist
                .laws
                .iter()
                .find(|l| l.kind == LawKind::NormativeDocument)
        })
}

/// Lays out the whole notice.
pub fn compose(flow: &mut Flow<'_>, input: &NoticeInput<'_>, o: &NoticeOptions) {
    let lang = o.lang;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let c = &input.view.case;
    let findings: Vec<Finding<'_>> = findings(input, o)
        .into_iter()
        .filter(|f| in_remit(f, input.checklist, &o.authority.remit))
        .collect();
    let on = o.issued.date().format("%Y-%m-%d").to_string();
    let first = BODY * 2.0;
    let para = |flow: &mut Flow<'_>, text: &str| flow.paragraph(text, BODY, 0.0, first, BLACK);
    let subject = super::compose::subject_name(c, lang);
    let notice = notice_law(input);
    let notice_id = notice.map(|n| n.id.as_str()).unwrap_or("");
    let grounds: Grounds = grounds::gather(
        input.checklist,
        findings.iter().flat_map(|f| f.point.basis.iter()),
        &on,
        &o.authority.remit,
    );
    let short_notice = l("《通知》", "the Notice");

    // Header.
    flow.gap(10.0);
    flow.title(&o.authority.name, 20.0, RED);
    flow.title(l("责令整改通知书", "Rectification Notice"), 20.0, RED);
    flow.gap(4.0);
    flow.centred(&o.number, BODY, BLACK);
    flow.gap(4.0);
    flow.rule(RED, 1.2);
    flow.gap(8.0);
    translation_note(flow, o);

    // Addressee and opening: laws first, the Notice as what is required.
    para(flow, &format!("{subject}{}", l("：", ":")));
    let laws: Vec<String> = grounds
        .breached
        .iter()
        .map(|c| c.name.get(lang).to_string())
        .collect();
    let (start, end) = inspection_days(input, o);
    let days = if start == end {
        o.date(start)
    } else {
        match lang {
            Lang::Zh => format!("{}至{}", o.date(start), o.date(end)),
            Lang::En => format!("from {} to {}", o.date(start), o.date(end)),
        }
    };
    // 《…通知》（工信部信管函〔2023〕26号，以下简称《通知》）
    let notice_name = notice.map(|n| n.name.get(lang).to_string()).unwrap_or_default();
    let notice_name = match lang {
        Lang::Zh => match notice_name.strip_suffix('）') {
            Some(head) => format!("{head}，以下简称《通知》）"),
            None => format!("{notice_name}（以下简称《通知》）"),
        },
        Lang::En => format!("{notice_name} (“the Notice”)"),
    };
    let version = if c.app.version.is_empty() {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!("（版本 {}）", c.app.version),
            Lang::En => format!(" (version {})", c.app.version),
        }
    };
    let opening = match lang {
        Lang::Zh => format!(
            "{}按照{notice_name}要求，{}于{days}对你单位运营的移动互联网应用程序“{}”{version}进行了检查。",
            if laws.is_empty() {
                String::new()
            } else {
                format!("依据{}等法律法规，", laws.concat())
            },
            l("我局", "we"),
            c.app.name
        ),
        Lang::En => format!(
            "{}and as required by {notice_name}, we inspected the mobile App “{}”{version} operated by your organisation {}{days}.",
            if laws.is_empty() {
                String::new()
            } else {
                format!("Under {} and other laws and regulations, ", laws.join(", "))
            },
            c.app.name,
            if start == end { "on " } else { "" }
        ),
    };
    para(flow, &opening);

    // 一、Identification.
    flow.heading(
        l("一、被检查单位及应用基本情况", "1. The organisation and the App"),
        HEADING,
    );
    let t = &input.view.test_conditions;
    let mut rows = identity_rows(input, &subject, lang);
    rows.push((
        l("安装包来源", "Where the package came from").to_string(),
        or_dash(&t.channel),
    ));
    let device = test_device(t, lang);
    if !device.is_empty() {
        rows.push((l("测试设备及系统", "Test device and OS").to_string(), device));
    }
    let rows: Vec<Vec<String>> = rows.into_iter().map(|(k, v)| vec![k, v]).collect();
    let form = [
        Column {
            title: "",
            share: 0.3,
        },
        Column {
            title: "",
            share: 0.7,
        },
    ];
    flow.table(&form, &rows, 10.0);

    // 二、How it was inspected: only what was actually done.
    flow.heading(l("二、检查情况", "2. How the App was inspected"), HEADING);
    para(flow, &method_sentence(input, lang, &c.inspectors));
    let conditions: Vec<String> = t
        .lines(lang)
        .into_iter()
        .map(|(k, v)| format!("{k}{}{v}", l("：", ": ")))
        .collect();
    if !conditions.is_empty() {
        para(
            flow,
            &format!(
                "{}{}{}",
                l("检查条件：", "Test conditions: "),
                conditions.join(l("；", "; ")),
                l("。", ".")
            ),
        );
    }

    // 三、Facts.
    flow.heading(l("三、经查发现的问题", "3. What was found"), HEADING);
    for (i, f) in findings.iter().enumerate() {
        let facts: Vec<&str> = f.facts.iter().map(|s| unstopped(s)).collect();
        let notice_basis = f
            .point
            .basis
            .iter()
            .find(|b| b.law == notice_id)
            .map(|b| b.article_on(notice, &on));
        let own = grounds::gather(input.checklist, f.point.basis.iter(), &on, &o.authority.remit);
        let partly = f.status == Status::Partial;
        // What the facts fail: the Notice's measure only where the duty is the Notice's own, then
        // the laws; a duty from another normative document (预置和分发管理暂行规定) by its name.
        let mut fails: Vec<String> = Vec::new();
        if let Some(article) = notice_basis {
            let measure = measure_ref(f, input, article, lang);
            // The measure's title is quoted only where it is the Notice's own wording: the titles
            // of measures 11–26 here are a translation, and a legal act never quotes those.
            let title = (f.clause.title_provenance == Provenance::Official).then(|| match lang {
                Lang::Zh => format!("关于“{}”", f.clause.title.zh),
                Lang::En => format!(" (“{}”)", f.clause.title.en),
            });
            fails.push(match lang {
                Lang::Zh => format!(
                    "{}不符合{short_notice}{measure}{}的要求",
                    if partly { "部分" } else { "" },
                    title.unwrap_or_default()
                ),
                Lang::En => format!(
                    "{}fails the requirement of {short_notice}, {measure}{}",
                    if partly { "partly " } else { "" },
                    title.unwrap_or_default()
                ),
            });
        }
        let others: Vec<_> = own
            .required_by
            .iter()
            .filter(|c| c.law != notice_id)
            .cloned()
            .collect();
        if !others.is_empty() {
            fails.push(match lang {
                Lang::Zh => format!("不符合{}的要求", grounds::render_list(&others, lang)),
                Lang::En => format!(
                    "fails the requirements of {}",
                    grounds::render_list(&others, lang)
                ),
            });
        }
        if !own.breached.is_empty() {
            fails.push(match lang {
                Lang::Zh => format!("违反了{}的规定", grounds::render_list(&own.breached, lang)),
                Lang::En => format!("violates {}", grounds::render_list(&own.breached, lang)),
            });
        }
        let mut text = match lang {
            Lang::Zh => format!(
                "{}经查，{}。上述情况{}",
                ordinal(i + 1, lang),
                facts.join("；"),
                fails.join("，")
            ),
            Lang::En => format!(
                "{} It was found that {}. This {}",
                ordinal(i + 1, lang),
                facts.join("; "),
                fails.join(", and ")
            ),
        };
        text += l("。", ".");
        if !f.evidence.is_empty() {
            text += &format!(
                "{}{}{}",
                l("（证据：", "(Evidence: "),
                refs(&f.evidence, lang),
                l("）", ")")
            );
        }
        para(flow, &text);
    }

    // 四、Legal basis.
    flow.heading(l("四、处理依据", "4. Legal basis"), HEADING);
    let mut basis = String::new();
    if grounds.breached.is_empty() {
        basis += l(
            "你单位上述行为不符合《通知》的要求。",
            "The conduct above fails the requirements of the Notice. ",
        );
    } else {
        basis += &match lang {
            Lang::Zh => format!(
                "你单位上述行为违反了{}的规定。",
                grounds::render_list(&grounds.breached, lang)
            ),
            Lang::En => format!(
                "The conduct above violates {}. ",
                grounds::render_list(&grounds.breached, lang)
            ),
        };
    }
    basis += &match (lang, grounds.powers.is_empty()) {
        (Lang::Zh, false) => format!(
            "依据{}的规定，现责令你单位限期改正。",
            grounds::render_list(&grounds.powers, lang)
        ),
        (Lang::En, false) => format!(
            "Under {}, you are ordered to correct it within the time limit.",
            grounds::render_list(&grounds.powers, lang)
        ),
        (Lang::Zh, true) => "现责令你单位限期改正。".to_string(),
        (Lang::En, true) => "You are ordered to correct it within the time limit.".to_string(),
    };
    if !grounds.followed.is_empty() {
        let names: Vec<&str> = grounds.followed.iter().map(|c| c.name.get(lang)).collect();
        basis += &match lang {
            Lang::Zh => format!("上述行为的认定参照了{}。", names.concat()),
            Lang::En => format!(" The conduct was identified following {}.", names.join(", ")),
        };
    }
    para(flow, &basis);

    // 五、Demands, per finding.
    flow.heading(l("五、整改要求", "5. What must be corrected"), HEADING);
    for (i, f) in findings.iter().enumerate() {
        para(
            flow,
            &format!(
                "{}{}{}",
                ordinal(i + 1, lang),
                if lang == Lang::En { " " } else { "" },
                f.point.demand.get(lang)
            ),
        );
    }

    // 六、Deadline and report.
    flow.heading(l("六、整改期限及报告", "6. Deadline and report"), HEADING);
    let to = if o.authority.address.trim().is_empty() {
        String::new()
    } else {
        match lang {
            Lang::Zh => format!("（{}）", o.authority.address.trim()),
            Lang::En => format!(" ({})", o.authority.address.trim()),
        }
    };
    para(
        flow,
        &match lang {
            Lang::Zh => format!(
                "请你单位于{}前（含当日）完成整改，并将加盖公章的书面整改报告（包括整改措施、整改后的版本及安装包、相关截图或录屏）报送我局{to}。",
                o.date(o.deadline)
            ),
            Lang::En => format!(
                "Complete the correction by {} (inclusive) and send us a written rectification report bearing your seal (the measures taken, the corrected version and its package, screenshots or recordings){to}.",
                o.date(o.deadline)
            ),
        },
    );

    // 七、Consequences.
    flow.heading(l("七、逾期后果", "7. If the deadline is not met"), HEADING);
    para(flow, &consequences(lang, &laws));

    // 八、Rights: the reconsideration body named (an unnamed one extends the period) and the court.
    flow.heading(l("八、权利告知", "8. Your rights"), HEADING);
    para(flow, &rights(o, l("本通知", "this notice")));

    // 九、Contact.
    flow.heading(l("九、联系方式", "9. Contact"), HEADING);
    let mut contact = o.contact.clone();
    if !o.authority.address.trim().is_empty() && !contact.contains(o.authority.address.trim()) {
        contact += &format!("{}{}", l("；地址：", "; address: "), o.authority.address.trim());
    }
    para(flow, &contact);

    // 附件说明 before the signature block.
    let referenced: Vec<usize> = {
        let mut v: Vec<usize> = findings.iter().flat_map(|f| f.evidence.iter().copied()).collect();
        v.sort_unstable();
        v.dedup();
        v
    };
    if !input.evidence.is_empty() {
        flow.gap(BODY);
        let listed = if referenced.is_empty() {
            String::new()
        } else {
            format!("{}{}{}", l("（", " ("), refs(&referenced, lang), l("）", ")"))
        };
        flow.paragraph(
            &format!("{}{listed}", l("附件：1. 证据材料", "Attachment: 1. Evidence")),
            BODY,
            0.0,
            0.0,
            BLACK,
        );
    }

    signature_block(flow, input, o);
    receipt(flow, input, o, &subject);
    appendix(flow, input, o, &findings, &referenced);
}

/// The first and last day of the inspection on the authority's clock: from the case's opening to
/// the last judgement (or the day of issue when nothing was judged after it).
fn inspection_days(input: &NoticeInput<'_>, o: &NoticeOptions) -> (chrono::NaiveDate, chrono::NaiveDate) {
    let issued = o.issued.date();
    let start = o.local(&input.view.case.created_at).map_or(issued, |t| t.date());
    let end = input
        .view
        .assessments
        .iter()
        .filter_map(|a| o.local(&a.updated_at))
        .map(|t| t.date())
        .max()
        .unwrap_or(start)
        .max(start)
        .min(issued);
    (start.min(end), end)
}

/// What was done, in one sentence, and by whom: package analysis only when a package was analysed,
/// screenshots or recordings only when there are some.
fn method_sentence(input: &NoticeInput<'_>, lang: Lang, inspectors: &[crate::case::Inspector]) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut methods: Vec<&str> = Vec::new();
    if input.view.case.package_sha256.is_some() {
        methods.push(l(
            "对安装包进行技术检测（清单文件、权限、组件、签名及第三方SDK）",
            "technical analysis of the installation package (manifest, permissions, components, signatures and third-party SDKs)",
        ));
    }
    let kinds = |p: fn(&str) -> bool| input.evidence.iter().any(|e| p(&e.item.media_type));
    if kinds(|m| m.starts_with("image/")) {
        methods.push(l(
            "在测试设备上操作并截图",
            "operating the App on a test device and taking screenshots",
        ));
    }
    if kinds(|m| m.starts_with("video/")) {
        methods.push(l("录屏", "screen recordings"));
    }
    if kinds(|m| !m.starts_with("image/") && !m.starts_with("video/")) {
        methods.push(l("审查相关文档", "reviewing documents"));
    }
    let by = crate::case::Inspector::names(inspectors, lang);
    match lang {
        Lang::Zh => format!(
            "检查方式：{}。检查人员：{by}。",
            if methods.is_empty() {
                "人工核查".to_string()
            } else {
                methods.join("、")
            }
        ),
        Lang::En => format!(
            "Method: {}. Inspectors: {by}.",
            if methods.is_empty() {
                "manual review".to_string()
            } else {
                methods.join("; ")
            }
        ),
    }
}

/// 送达回证: on its own page, with the fields a server fills in by hand.
fn receipt(flow: &mut Flow<'_>, input: &NoticeInput<'_>, o: &NoticeOptions, subject: &str) {
    let lang = o.lang;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    flow.new_page();
    flow.centred(&o.authority.name, 16.0, BLACK);
    flow.title(l("送达回证", "Proof of Service"), 18.0, BLACK);
    flow.gap(12.0);
    let blank = "\n\n".to_string();
    let rows: Vec<Vec<String>> = [
        (
            l("送达文书名称", "Document served"),
            l("责令整改通知书", "Rectification Notice").to_string(),
        ),
        (l("文号", "Number"), o.number.clone()),
        (l("送达单位", "Served by"), o.authority.name.clone()),
        (l("受送达人", "Served on"), subject.to_string()),
        (
            l("送达地点", "Place of service"),
            input.view.case.subject.address.clone() + "\n",
        ),
        (
            l("送达方式", "Manner of service"),
            l(
                "□直接送达　□邮寄送达　□电子送达　□留置送达",
                "□ in person   □ by post   □ electronically   □ left at the address",
            )
            .to_string(),
        ),
        (
            l("送达时间", "Time of service"),
            l("　　　　年　　月　　日　　时　　分", "____-__-__  __:__").to_string(),
        ),
        (
            l("收件人签名或盖章", "Recipient's signature or seal"),
            blank.clone(),
        ),
        (
            l("收件人与受送达人关系", "Recipient's relation to the party"),
            "\n".to_string(),
        ),
        (l("送达人签名", "Server's signature"), blank.clone()),
        (
            l("见证人签名（留置送达时）", "Witness (when left at the address)"),
            blank.clone(),
        ),
        (l("备注", "Remarks"), blank),
    ]
    .into_iter()
    .map(|(k, v)| vec![k.to_string(), v])
    .collect();
    flow.table(
        &[
            Column {
                title: "",
                share: 0.32,
            },
            Column {
                title: "",
                share: 0.68,
            },
        ],
        &rows,
        11.0,
    );
}

/// On page 1 of an English version of an act: a translation for reference, the Chinese version
/// under its 文号 prevails (the notice and the re-inspection opinion alike).
pub(super) fn translation_note(flow: &mut Flow<'_>, o: &NoticeOptions) {
    if o.lang != Lang::En {
        return;
    }
    let text = if o.number.is_empty() {
        "English translation for reference. The Chinese version prevails.".to_string()
    } else {
        format!(
            "English translation for reference. The Chinese version ({}) prevails.",
            o.number
        )
    };
    flow.paragraph(&text, BODY, 0.0, 0.0, GREY);
    flow.gap(6.0);
}

/// The evidence the findings reference, then any other evidence as supporting material, with the
/// facts a reviewer needs to match each picture to the original the authority keeps.
fn appendix(
    flow: &mut Flow<'_>,
    input: &NoticeInput<'_>,
    o: &NoticeOptions,
    findings: &[Finding<'_>],
    referenced: &[usize],
) {
    let lang = o.lang;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    if input.evidence.is_empty() {
        return;
    }
    flow.new_page();
    flow.centred(l("附件1　证据材料", "Attachment 1: Evidence"), 15.0, BLACK);
    flow.gap(6.0);
    flow.paragraph(
        &match lang {
            Lang::Zh => format!(
                "原始文件由{}留存。本附件中的图像为原始文件的重新编码副本，所列SHA-256为原始文件的哈希值。",
                o.authority.name
            ),
            Lang::En => format!(
                "The original files are kept by {}. Images in this attachment are re-encoded copies; the SHA-256 given is that of each original file.",
                o.authority.name
            ),
        },
        SMALL,
        0.0,
        0.0,
        GREY,
    );
    flow.gap(6.0);
    let t = &input.view.test_conditions;
    let device = test_device(t, lang);
    let mut order: Vec<usize> = referenced.to_vec();
    let supporting: Vec<usize> = (1..=input.evidence.len())
        .filter(|n| !referenced.contains(n))
        .collect();
    order.extend(&supporting);
    for n in order {
        let e = &input.evidence[n - 1];
        let item = &e.item;
        let finding = findings
            .iter()
            .position(|f| f.evidence.contains(&n))
            .map(|i| {
                // Named by its number, and by the measure's title only where that is official.
                let f = &findings[i];
                let title = if f.clause.title_provenance == Provenance::Official {
                    format!("{}{}", l("：", ": "), f.clause.title.get(lang))
                } else {
                    String::new()
                };
                match lang {
                    Lang::Zh => format!("问题{}{title}", ordinal(i + 1, lang)),
                    Lang::En => format!("finding {}{title}", ordinal(i + 1, lang)),
                }
            })
            .unwrap_or_else(|| {
                l(
                    "佐证材料（未被上述问题引用）",
                    "supporting material (not referenced by a finding)",
                )
                .to_string()
            });
        let mut facts = format!("E{n}  {finding}");
        if !item.caption.is_empty() {
            facts += &format!("\n{}{}", l("说明：", "Caption: "), item.caption);
        }
        if let Some(c) = &item.capture {
            facts += &format!("\n{}{}", l("拍摄时间：", "Captured: "), o.captured(c));
        }
        facts += &format!(
            "\n{}{}",
            l("入库时间：", "Stored: "),
            o.local(&item.attached_at)
                .map(|t| o.time(t))
                .unwrap_or_else(|| item.attached_at.clone())
        );
        // The device the inspector entered, else the camera the file names, else the case's.
        match (&item.device, &item.camera, device.is_empty()) {
            (Some(d), _, _) => facts += &format!("{}{d}", l("；设备：", "; device: ")),
            (None, Some(camera), _) => {
                facts += &format!("{}{camera}", l("；设备（据EXIF）：", "; device (EXIF): "))
            }
            (None, None, false) => facts += &format!("{}{device}", l("；测试设备：", "; test device: ")),
            (None, None, true) => {}
        }
        facts += &format!(
            "\n{}{}  SHA-256 {}",
            l("原始文件：", "Original file: "),
            item.original_name,
            item.sha256
        );
        place_evidence(flow, e, n - 1, &facts, lang);
    }
}

/// What follows a missed deadline: the measures, and penalties under the laws the findings
/// breach (none named when there are none).
pub(super) fn consequences(lang: Lang, laws: &[String]) -> String {
    match (lang, laws.is_empty()) {
        (Lang::Zh, false) => format!(
            "逾期未整改或整改不到位的，我局将依法采取向社会通报、组织下架、停止接入等处置措施，并依据{}等法律法规予以处罚。",
            laws.concat()
        ),
        (Lang::Zh, true) => {
            "逾期未整改或整改不到位的，我局将依法采取向社会通报、组织下架、停止接入等处置措施。".to_string()
        }
        (Lang::En, false) => format!(
            "If the problems are not corrected in time, or not fully, we will take measures under the law — public notification, removal from distribution platforms, suspension of network access — and impose penalties under {} and other laws and regulations.",
            laws.join(", ")
        ),
        (Lang::En, true) => "If the problems are not corrected in time, or not fully, we will take measures under the law — public notification, removal from distribution platforms, suspension of network access.".to_string(),
    }
}

/// The rights paragraph: reconsideration before the named body within sixty days, a lawsuit
/// within six months; `act` names the document ("本通知").
pub(super) fn rights(o: &NoticeOptions, act: &str) -> String {
    let court = if o.authority.court.trim().is_empty() {
        o.lang
            .pick("有管辖权的人民法院", "the competent people's court")
            .to_string()
    } else {
        o.authority.court.trim().to_string()
    };
    match o.lang {
        Lang::Zh => format!(
            "你单位如不服{act}，可以自收到{act}之日起六十日内向{}申请行政复议，或者自收到{act}之日起六个月内依法向{court}提起行政诉讼。",
            o.authority.reconsideration
        ),
        Lang::En => format!(
            "If you disagree with {act}, you may apply to {} for administrative reconsideration within sixty days of receiving it, or bring an administrative lawsuit before {court} within six months of receiving it.",
            o.authority.reconsideration
        ),
    }
}

/// The officers, then the authority and date with the seal's room around them, and what a
/// digital signature is where the seal goes.
pub(super) fn signature_block(flow: &mut Flow<'_>, input: &NoticeInput<'_>, o: &NoticeOptions) {
    let lang = o.lang;
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let c = &input.view.case;
    flow.gap(BODY);
    let officers: Vec<String> = c.inspectors.iter().map(|i| i.describe(lang)).collect();
    // The officers stay on the page of the authority's name and the seal; a page that holds only
    // them says so, as official documents do.
    if flow.room() < SEAL_ROOM + BODY * 4.0 {
        flow.new_page();
        flow.paragraph(
            l("（此页无正文）", "(This page has no body text.)"),
            BODY,
            0.0,
            0.0,
            BLACK,
        );
        flow.gap(BODY);
    }
    flow.paragraph(
        &format!(
            "{}{}",
            l("执法人员：", "Law-enforcement officers: "),
            officers.join(l("、", "; "))
        ),
        BODY,
        0.0,
        0.0,
        BLACK,
    );
    flow.ensure(SEAL_ROOM + BODY);
    let top = flow.y;
    // A configured seal image, about 42 mm across, over the authority's name and date at the
    // right (drawn after them, as a seal is pressed over the text).
    let seal = (o.seal.is_some() && o.signer.is_some()).then(|| {
        let side = 42.0 * 72.0 / 25.4;
        let name_w = flow.measure.width(&o.authority.name, BODY);
        let centre = super::layout::LEFT + super::layout::CONTENT_W - name_w / 2.0;
        super::layout::Op::Seal {
            x: centre - side / 2.0,
            y: top + (SEAL_ROOM - side) / 2.0,
            w: side,
            h: side,
        }
    });
    flow.gap(SEAL_ROOM * 0.35);
    flow.right(&o.authority.name, BODY);
    flow.gap(BODY * 0.5);
    flow.right(&o.date(o.issued.date()), BODY);
    if let Some(seal) = seal {
        flow.push(seal);
    }
    flow.y = flow.y.max(top + SEAL_ROOM);
    // What the digital signature is, where the seal goes: who signed and when, and that it
    // protects the document's integrity — it is not an electronic seal (GB/T 38540).
    if let Some(signer) = &o.signer {
        flow.paragraph(
            &match lang {
                Lang::Zh => format!(
                    "本文书由{signer}于{}加具数字签名（PAdES），可使用PDF阅读器或pdfsig等工具验证。数字签名用于保护文书完整性，不是电子印章。",
                    o.time(o.issued)
                ),
                Lang::En => format!(
                    "Digitally signed (PAdES) by {signer} on {}; verify it with a PDF reader or a tool such as pdfsig. The digital signature protects the document's integrity; it is not an electronic seal.",
                    o.time(o.issued)
                ),
            },
            SMALL,
            0.0,
            0.0,
            GREY,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ordinals_read_as_chinese_documents_number_items() {
        assert_eq!(ordinal(1, Lang::Zh), "（一）");
        assert_eq!(ordinal(10, Lang::Zh), "（十）");
        assert_eq!(ordinal(12, Lang::Zh), "（十二）");
        assert_eq!(ordinal(20, Lang::Zh), "（二十）");
        assert_eq!(ordinal(23, Lang::Zh), "（二十三）");
        assert_eq!(ordinal(3, Lang::En), "(3)");
    }
}
