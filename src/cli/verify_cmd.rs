//! `verify` and `cert new`.

use std::io::Write as _;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context as _;

use crate::i18n::Lang;
use crate::notice::{cert, verify};

pub fn verify(file: &Path, json: bool, lang: Lang) -> anyhow::Result<ExitCode> {
    let pdf = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    if !pdf.starts_with(b"%PDF-") {
        anyhow::bail!("{} is not a PDF file", file.display());
    }
    let result = verify::verify(&pdf);
    let mut out = std::io::stdout().lock();
    if json {
        serde_json::to_writer_pretty(&mut out, &result)?;
        writeln!(out)?;
    }
    if result.signatures.is_empty() {
        if !json {
            eprintln!(
                "app-inspector: {} is not a signed PDF (it has no signature)",
                file.display()
            );
        }
        return Ok(ExitCode::from(super::EXIT_BAD_INPUT));
    }
    if !json {
        for (i, s) in result.signatures.iter().enumerate() {
            writeln!(
                out,
                "{} #{}: {}  {}  {}",
                lang.pick("签名", "Signature"),
                i + 1,
                s.signer,
                s.time,
                if s.valid {
                    lang.pick(
                        "有效：签名后文档未被改动",
                        "valid: the document is unchanged since signing",
                    )
                } else {
                    lang.pick("无效", "INVALID")
                }
            )?;
            writeln!(out, "    {} {}", lang.pick("证书主题", "subject"), s.subject)?;
            writeln!(
                out,
                "    {} {:?}  {}",
                lang.pick("签名范围", "byte range"),
                s.byte_range,
                if s.covers_whole_file {
                    lang.pick("覆盖整个文件", "covers the whole file")
                } else {
                    lang.pick(
                        "未覆盖文件末尾（签名后有追加内容）",
                        "does not cover the end of the file (content was appended after signing)",
                    )
                }
            )?;
            if let Some(p) = &s.problem {
                writeln!(out, "    {}", p)?;
            }
        }
        writeln!(
            out,
            "{}",
            lang.pick(
                "注：签名证书是否可信（是否由受信任的机构签发）需另行确认。",
                "Note: whether the signing certificate is trusted (issued by a trusted authority) is a separate check."
            )
        )?;
    }
    Ok(if result.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_PROBLEM)
    })
}

pub fn cert_new(
    name: &str,
    org: Option<&str>,
    out: &Path,
    password_env: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let password = match password_env {
        Some(var) => std::env::var(var)
            .with_context(|| format!("the environment variable {var} (the password) is not set"))?,
        None => {
            eprintln!(
                "app-inspector: no --password-env given: the PKCS#12 file is protected by an empty password"
            );
            String::new()
        }
    };
    let p12 = cert::new_pkcs12(name, org, 3, &password)?;
    if out.exists() {
        anyhow::bail!("{} already exists; it was not overwritten", out.display());
    }
    std::fs::write(out, p12).with_context(|| format!("cannot write {}", out.display()))?;
    println!("{}", out.display());
    Ok(ExitCode::SUCCESS)
}
