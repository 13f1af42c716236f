//! The Chinese wording of the errors the window meets. Each says, like its English original,
//! what happened and what to do; names of files, cases and test points stay as they are.

use std::error::Error;
use std::io::ErrorKind;

use crate::case::CaseError;
use crate::checklist::ChecklistError;
use crate::input::InputError;
use crate::notice::issue::IssueError;
use crate::output::OutputError;
use crate::package::PackageError;

/// The Chinese sentence for `e` itself (not its causes), when there is one.
pub(super) fn say(e: &(dyn Error + 'static)) -> Option<String> {
    if let Some(e) = e.downcast_ref::<CaseError>() {
        return case(e);
    }
    if let Some(e) = e.downcast_ref::<PackageError>() {
        return package(e);
    }
    if let Some(e) = e.downcast_ref::<OutputError>() {
        return Some(output(e));
    }
    if let Some(e) = e.downcast_ref::<InputError>() {
        return Some(input(e));
    }
    if let Some(e) = e.downcast_ref::<ChecklistError>() {
        return checklist(e);
    }
    if let Some(e) = e.downcast_ref::<IssueError>() {
        return issue(e);
    }
    if let Some(e) = e.downcast_ref::<crate::notice::sign::SignError>() {
        return sign(e);
    }
    if let Some(e) = e.downcast_ref::<crate::sheet::SheetError>() {
        let crate::sheet::SheetError::Xlsx(why) = e;
        return Some(format!("无法写入表格文件（{why}）"));
    }
    if let Some(e) = e.downcast_ref::<crate::runtime::LogError>() {
        return Some(log(e));
    }
    if let Some(e) = e.downcast_ref::<std::io::Error>() {
        return Some(io(e));
    }
    None
}

/// An operating-system error by its kind; the system's own words (often English) only when the
/// kind says nothing.
fn io(e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::NotFound => "文件或文件夹不存在".into(),
        ErrorKind::PermissionDenied => "没有访问权限".into(),
        ErrorKind::AlreadyExists => "文件已存在".into(),
        ErrorKind::StorageFull => "磁盘已满".into(),
        ErrorKind::ReadOnlyFilesystem => "文件系统为只读".into(),
        ErrorKind::IsADirectory => "这是一个文件夹，不是文件".into(),
        ErrorKind::NotADirectory => "路径中有一项不是文件夹".into(),
        ErrorKind::UnexpectedEof => "文件意外结束（可能不完整）".into(),
        ErrorKind::InvalidData => format!("文件内容无效（{e}）"),
        ErrorKind::Interrupted | ErrorKind::TimedOut => "操作被中断，请重试".into(),
        _ => format!("系统错误（{e}）"),
    }
}

fn case(e: &CaseError) -> Option<String> {
    use CaseError as E;
    Some(match e {
        E::NotADatabase { path } => format!(
            "{} 不是 App Inspector 案件数据库（不是 SQLite 文件），未作任何改动",
            path.display()
        ),
        E::Foreign { path } => format!(
            "{} 属于其他应用（是 SQLite 数据库，但不是 App Inspector 的案件数据库），未作任何改动；请用 --db 或 APP_INSPECTOR_DB 选择其他文件",
            path.display()
        ),
        E::ReadOnly { path, folder } => format!(
            "无法写入案件数据库 {}：文件夹 {}（或文件本身）为只读；请用 --db 或 APP_INSPECTOR_DB 选择可写的位置",
            path.display(),
            folder.display()
        ),
        E::Damaged { path, why } => format!(
            "案件数据库 {} 已损坏（{why}），未作任何改动；请从备份或案件包恢复",
            path.display()
        ),
        E::TooNew { path, found, known } => format!(
            "案件数据库 {} 由更新版本的 App Inspector 写入（结构版本 {found}，本版本最高支持 {known}），未作任何改动；请更新 App Inspector",
            path.display()
        ),
        E::Corrupt(why) => format!("案件数据库已损坏（{why}）；请从备份或案件包恢复"),
        E::Busy => "案件数据库正忙（另一个窗口或进程正在写入），请稍后重试".into(),
        E::NoSuchCase(id) => format!("没有案件“{id}”；案件列表中列出了所有案件"),
        E::NoSuchTestPoint { testpoint, checklist } => {
            format!("检查表 {checklist} 中没有检查项“{testpoint}”")
        }
        E::UnknownStatus(s) => format!("未知的结论“{s}”；可用：未检查、符合、部分符合、不符合、不适用"),
        E::UnknownSubjectType(s, known) => format!("未知的主体类型“{s}”；可用：{known}"),
        E::UnknownCondition { condition, known } => {
            format!("检查表没有条件“{condition}”；其条件为：{known}")
        }
        E::TestConditions(why) => format!("测试条件未保存：{why}；请缩短内容或删除控制字符后重试"),
        E::Authority(why) => format!("发文机关未保存：{why}"),
        E::UnknownAuthority(name) => format!("没有名为“{name}”的发文机关：请在“设置”中添加"),
        E::SerialTaken {
            authority,
            year,
            serial,
        } => format!("{authority} {year} 年的文号序号 {serial} 已被另一份通知书占用，请重新出具"),
        E::CreditCode(why) => format!("统一社会信用代码有误：{why}"),
        E::Filing(why) => format!("APP备案号未保存：{why}"),
        E::Inspectors(why) => format!("检查人员未保存：{why}"),
        E::SameChecklist { case, version } => {
            format!("案件 {case} 已在使用检查表 {version} 版")
        }
        E::PlanOutdated(case) => {
            format!("制定迁移方案后，案件 {case} 的检查表版本已改变；请重新制定方案")
        }
        E::Closed { case, state } => {
            format!(
                "案件 {case} {}；修改前请先重新打开",
                state.label(crate::i18n::Lang::Zh)
            )
        }
        E::Lifecycle(text) => text.zh.clone(),
        E::Unresolved { case, items } => format!(
            "案件 {case} 不能结案：{} 项问题既未整改到位也未说明：{}；请在当前版本上重新判定，或逐项说明理由",
            items.len(),
            crate::case::lifecycle::list(items, crate::i18n::Lang::Zh)
        ),
        E::Cancelled => "已取消，未作任何改动".into(),
        E::NoSuggestion(tp) => format!("检查项 {tp} 没有自动建议"),
        E::Evidence { name, why } => format!("证据 {name}：{why}"),
        E::EvidenceAltered { sha256 } => format!(
            "案件数据库中保存的证据文件 {sha256} 与其 SHA-256 不再相符：它在数据库中被改动过，因此未被使用；请从备份或案件包恢复数据库"
        ),
        E::ChecklistMissing { case, id, hash } => format!(
            "案件 {case} 依据的检查表 {id}（内容 SHA-256 {hash}）既未随案件保存，本机也没有；请把该检查表文件放入数据文件夹的 checklists/ 后重试"
        ),
        E::Bundle { path, why } => format!("案件包 {} 被拒绝：{why}", path.display()),
        E::Exists(case) => {
            format!("本数据库中已有案件 {case}，未被覆盖（请导入到另一个数据库，或先删除现有案件）")
        }
        E::Io { path, .. } => format!("无法读取 {}", path.display()),
        E::Package(p) => return package(p),
        E::Output(o) => output(o),
        E::Input(i) => input(i),
        E::Checklist(c) => return checklist(c),
        E::Log(l) => log(l),
        E::LogPackage { name, log, case } => format!(
            "{name} 记录的是 {log}，而本案件的App是 {case}；请导入本App的行为记录（或为 {log} 新建案件）"
        ),
        E::LogImported(name) => format!("{name} 已导入本案件"),
        E::ForeignPackage {
            case,
            file,
            expected,
            found,
        } => format!(
            "{file} 的包名是 {found}，而案件 {case} 检查的是 {expected}；如该App确已改名，请用 --force \"理由\" 说明（理由记入审计）"
        ),
        E::Reason(why) => format!("改名理由未保存：{why}"),
        E::SamePackage { case, file, round } => {
            format!("{file} 就是案件 {case} 第 {round} 轮检查的安装包；复查需要整改后的新版本")
        }
        E::NoSuchRound { case, round, last } => {
            format!("案件 {case} 没有第 {round} 轮（共 {last} 轮）")
        }
        E::RoundPackageMissing { round } => format!(
            "第 {round} 轮的安装包不在本数据库中（案件来自未携带该安装包的案件包）；请在两轮安装包都分析过的数据库中比较"
        ),
        E::Sql(why) => format!("数据库错误（{why}）"),
    })
}

fn log(e: &crate::runtime::LogError) -> String {
    use crate::runtime::LogError as E;
    match e {
        E::UnknownFormat { name } => format!(
            "{name} 既不是 camille 表格（.xls、.xlsx），也不是 JSON 行格式或本工具的 CSV 格式（首行列名含 time 和 action）；如确是其中之一，请在命令行用 --format 指定格式；如要把其他文件作为证据保存，请改用“附加证据”（“证据”页面或 case attach）"
        ),
        E::Spreadsheet { name, why } => {
            format!("{name} 无法作为表格读取（{why}），文件可能已损坏或不完整：请从记录工具重新导出")
        }
        E::Columns { name, missing, found } => {
            format!(
                "{name} 不是 camille 导出的表格：首行缺少“{missing}”列（现有：{found}）；如要把其他表格作为证据保存，请改用“附加证据”（“证据”页面或 case attach）"
            )
        }
        E::Line { name, line, why } => format!("{name} 第 {line} 行：{}", line_why(why)),
        E::StackTooLong { name, record, size } => format!(
            "{name} 第 {record} 条记录的调用堆栈有 {size} 字节，超过行为记录每条的上限；文件已损坏或不是行为记录"
        ),
        E::TooMany { name } => format!("{name} 的记录超过 {} 条，请分段录制", crate::runtime::MAX_RECORDS),
        E::Empty { name } => format!("{name} 中没有行为记录"),
    }
}

/// A JSON line's problem, as the reader words it.
fn line_why(why: &str) -> String {
    if why.contains("cut short") {
        "JSON 在中途结束（文件可能不完整）".into()
    } else if why.contains("UTF-8") {
        "不是 UTF-8 文本".into()
    } else {
        format!("不是 JSON 对象（{why}）")
    }
}

fn package(e: &PackageError) -> Option<String> {
    use PackageError as E;
    Some(match e {
        E::Io { path, .. } => format!("无法读取 {}", path.display()),
        E::NotAPackage { path, why } => format!("{} 不是 App 安装包：{why}", path.display()),
        E::NotSupported { path, kind } => format!(
            "{} 是 {kind} 安装包；目前只能分析 Android APK（{kind} 的支持在计划中）",
            path.display()
        ),
        E::CorruptArchive { path, why } => format!("{} 是损坏的 zip 压缩包：{why}", path.display()),
        E::TooLarge { path, why } => {
            format!("{} 疑似压缩炸弹，已拒绝：{why}", path.display())
        }
        E::CorruptManifest { path, why } => {
            format!("{} 的 AndroidManifest.xml 已损坏：{why}", path.display())
        }
        E::Input(i) => input(i),
    })
}

fn output(e: &OutputError) -> String {
    use OutputError as E;
    match e {
        E::Exists(path) => format!("{} 已存在，未被覆盖（请另选文件名，或确认替换）", path.display()),
        E::NotRegular(path) => format!(
            "{} 不是普通文件（是设备、管道、文件夹或链接），文书绝不写在它上面",
            path.display()
        ),
        E::NoFolder { path, folder } => {
            format!("无法写入 {}：文件夹 {} 不存在", path.display(), folder.display())
        }
        E::Io { path, .. } => format!("无法写入 {}", path.display()),
    }
}

fn input(e: &InputError) -> String {
    use InputError as E;
    match e {
        E::NotRegular(path) => format!(
            "{} 不是普通文件（是设备、管道、套接字或文件夹），未读取",
            path.display()
        ),
        E::TooLarge {
            path,
            size_mib,
            max_mib,
            ..
        } => format!(
            "{} 有 {size_mib} MiB，此类文件最多读取 {max_mib} MiB",
            path.display()
        ),
        E::Io { path, .. } => format!("无法读取 {}", path.display()),
    }
}

fn checklist(e: &ChecklistError) -> Option<String> {
    use ChecklistError as E;
    Some(match e {
        E::Io { path, .. } => format!("无法读取检查表文件 {}", path.display()),
        // Each problem names its line; the list stays as written.
        E::Invalid { path, problems } => {
            format!("检查表文件 {} 有 {} 处问题：{e}", path.display(), problems.len())
        }
        E::NotFound { id, known } => format!("没有 id 为“{id}”的检查表；已知的检查表：{known}"),
        E::NoSuchVersion { id, version, known } => {
            format!("检查表 {id} 没有“{version}”版；已知版本：{known}")
        }
    })
}

fn issue(e: &IssueError) -> Option<String> {
    use crate::notice::issue::{MAX_DEADLINE_DAYS, MIN_DEADLINE_DAYS};
    use IssueError as E;
    Some(match e {
        E::Case(c) => return case(c),
        E::Checklist(c) => return checklist(c),
        E::Output(o) => output(o),
        E::Sign(s) => return sign(s),
        E::Notice(crate::notice::NoticeError::Font) => "无法读取 App Inspector 自带的中文字体".into(),
        E::Notice(crate::notice::NoticeError::Layout) => "文书排版失败".into(),
        E::Notice(crate::notice::NoticeError::Pdf(why)) => format!("无法写出 PDF：{why}"),
        E::Deadline(days) => format!("整改期限 {days} 天不可行；请给出 1 至 {MAX_DEADLINE_DAYS} 天"),
        E::DeadlineTooShort(days) => {
            format!("整改期限 {days} 天过短：至少给企业 {MIN_DEADLINE_DAYS} 天")
        }
        E::TooLong { field, chars, max } => {
            format!("{field} 有 {chars} 个字符，通知书中最多 {max} 个")
        }
        E::NoAuthority => "责令整改通知书须由发文机关出具：请在“设置”中添加发文机关并选择它".into(),
        E::NoContact => "通知书缺少承办处室的联系方式：请填写，或在发文机关资料中设置".into(),
        E::Inspectors(n) => format!(
            "责令整改通知书须列明至少两名执法人员及其执法证号（行政处罚法第四十二条），本案件有 {n} 名"
        ),
        E::NoFacts(tp) => format!("检查项 {tp} 的问题没有事实陈述：请先填写检查记录"),
        E::SampleSigned => "示例案件的文书标有“示例 — 非正式文书”，不能签名".into(),
        E::NoFindings => "本案件没有不符合或部分符合的检查项，无需责令整改".into(),
        E::NoChineseNotice => "英文译本沿用中文通知书的文号：请先出具中文通知书，或填写文号".into(),
        E::FollowUp(f) => {
            use crate::notice::reinspection::FollowUpError as F;
            match f {
                F::NoNotice => "本案件没有可复查的责令整改通知书；请先出具通知书".into(),
                F::NotReinspected(n) => {
                    format!("通知书 {n} 出具后尚未开始复查；请先在新版本上开始复查（case reinspect）")
                }
                F::Unjudged(list) => format!("通知书所列问题 {list} 在本轮尚未复查判定；请先作出判定"),
            }
        }
    })
}

fn sign(e: &crate::notice::sign::SignError) -> Option<String> {
    use crate::notice::sign::SignError as E;
    Some(match e {
        E::Read(path, _) => format!("无法读取证书文件 {path}"),
        E::Password(path) => format!("{path} 的密码错误（或该文件不是 PKCS#12 证书文件）"),
        E::NoKey(path) => format!("{path} 中只有证书，没有私钥"),
        E::KeyType(path) => format!("{path} 中的密钥既不是 RSA 也不是 P-256，PDF 验证工具不接受"),
        E::Cms(why) => format!("无法生成签名：{why}"),
        E::Pdf(crate::notice::pdf::PdfError::Structure(why)) => {
            format!("无法读取 PDF 的结构（{why}）；只能为 App Inspector 写出的 PDF 签名")
        }
        E::Pdf(crate::notice::pdf::PdfError::TooLarge(n)) => {
            format!("签名（{n} 字节）超出为其预留的空间")
        }
    })
}

#[cfg(test)]
mod tests {
    use super::super::explain_in;
    use crate::i18n::Lang;

    #[test]
    fn a_missing_file_is_said_in_chinese_with_its_path() {
        let source = std::fs::File::open("/nonexistent/app.apk").unwrap_err();
        let e = crate::case::CaseError::Package(crate::package::PackageError::Io {
            path: "/nonexistent/app.apk".into(),
            source,
        });
        let zh = explain_in(&e, Lang::Zh);
        assert_eq!(zh, "无法读取 /nonexistent/app.apk：文件或文件夹不存在");
        let en = explain_in(&e, Lang::En);
        assert!(en.starts_with("cannot read /nonexistent/app.apk: "), "{en}");
    }

    #[test]
    fn every_case_error_the_window_meets_has_chinese_words() {
        let errors = [
            crate::case::CaseError::Busy,
            crate::case::CaseError::Closed {
                case: "c1".into(),
                state: crate::case::CaseState::Escalated,
            },
            crate::case::CaseError::Exists("c1".into()),
            crate::case::CaseError::Cancelled,
            crate::case::CaseError::Output(crate::output::OutputError::Exists("/x/n.pdf".into())),
        ];
        for e in errors {
            let zh = explain_in(&e, Lang::Zh);
            assert!(zh.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{zh}");
        }
    }
}
