//! `authority`: the issuing authorities' profiles.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use super::args::AuthorityCommand;
use crate::case::{Authority, Store};
use crate::i18n::Lang;

pub fn run(command: AuthorityCommand, db: Option<&Path>, lang: Lang) -> anyhow::Result<ExitCode> {
    let mut store = Store::open(&super::case_cmd::db_path(db))?;
    let mut out = std::io::stdout().lock();
    match command {
        AuthorityCommand::Set {
            name,
            prefix,
            reconsideration,
            court,
            timezone,
            address,
            contact,
            seal,
        } => {
            let name = name.trim().to_string();
            let mut a = match store.authority(&name) {
                Ok(a) => a,
                Err(crate::case::CaseError::UnknownAuthority(_)) => {
                    let Some(prefix) = &prefix else {
                        anyhow::bail!(
                            "a new authority needs its 机关代字: app-inspector authority set {name} --prefix 粤通管责改"
                        );
                    };
                    Authority::new(&name, prefix)
                }
                Err(e) => return Err(e.into()),
            };
            for (field, value) in [
                (&mut a.prefix, prefix),
                (&mut a.reconsideration, reconsideration),
                (&mut a.court, court),
                (&mut a.timezone, timezone),
                (&mut a.address, address),
                (&mut a.contact, contact),
            ] {
                if let Some(v) = value {
                    *field = v.trim().to_string();
                }
            }
            store.set_authority(&a)?;
            match seal {
                Some(p) if p.as_os_str() == "none" => store.set_authority_seal(&a.name, None)?,
                Some(p) => {
                    let png = crate::input::read_regular(&p, 2 << 20, "seal image")?;
                    store.set_authority_seal(&a.name, Some(&png))?;
                }
                None => {}
            }
            out.write_all(render(&a, lang).as_bytes())?;
            if store.authority_seal(&a.name)?.is_some() {
                writeln!(out, "  {}", lang.pick("印章图像：已设置", "seal image: set"))?;
            }
        }
        AuthorityCommand::List { json } => {
            let all = store.authorities()?;
            if json {
                serde_json::to_writer_pretty(&mut out, &all)?;
                writeln!(out)?;
            } else if all.is_empty() {
                writeln!(
                    out,
                    "{}",
                    lang.pick(
                        "还没有发文机关。用 app-inspector authority set 名称 --prefix 机关代字 添加。",
                        "No authority yet. Add one with app-inspector authority set NAME --prefix PREFIX."
                    )
                )?;
            } else {
                for a in &all {
                    out.write_all(render(a, lang).as_bytes())?;
                }
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn render(a: &Authority, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let dash = |s: &str| {
        if s.is_empty() {
            "—".to_string()
        } else {
            s.to_string()
        }
    };
    let number = format!("{}〔{}〕{}号", a.prefix, l("年份", "YEAR"), l("序号", "N"));
    let mut out = format!("{}\n", a.name);
    for (label, value) in [
        (l("文号：", "number: "), number),
        (l("复议机关：", "reconsideration: "), a.reconsideration.clone()),
        (l("诉讼法院：", "court: "), dash(&a.court)),
        (l("时区：", "time zone: "), a.timezone.clone()),
        (l("地址：", "address: "), dash(&a.address)),
        (l("联系方式：", "contact: "), dash(&a.contact)),
    ] {
        out += &format!("  {label}{value}\n");
    }
    out
}
