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
        // Said on stderr with --json too: an empty list alone explains nothing.
        eprintln!(
            "app-inspector: {} is not a signed PDF (it has no signature)",
            file.display()
        );
        return Ok(ExitCode::from(super::EXIT_BAD_INPUT));
    }
    if !json {
        out.write_all(render(&result, pdf.len(), lang).as_bytes())?;
    }
    Ok(if result.valid {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(super::EXIT_PROBLEM)
    })
}

/// What the verification found, worst first: a signature that is intact but followed by content
/// added after signing is never announced as "valid".
fn render(result: &verify::Verification, file_len: usize, lang: Lang) -> String {
    let l = |zh: &'static str, en: &'static str| lang.pick(zh, en);
    let mut s = String::new();
    let verdict = if let Some(p) = &result.problem {
        format!("{} {p}", l("结论：无效——", "Verdict: INVALID —"))
    } else if result.valid {
        l(
            "结论：签名有效，签名后文档未被改动。",
            "Verdict: valid — the document is unchanged since it was signed.",
        )
        .to_string()
    } else if result.signatures.iter().all(|x| x.valid) {
        l(
            "结论：无效——签名之后文件又被追加了内容，最后的签名没有覆盖整个文件。",
            "Verdict: INVALID — content was added to the file after it was signed; no signature covers the whole file.",
        )
        .to_string()
    } else {
        l(
            "结论：无效——至少有一个签名不成立（见下）。",
            "Verdict: INVALID — at least one signature does not hold (see below).",
        )
        .to_string()
    };
    s += &verdict;
    s.push('\n');
    for (i, x) in result.signatures.iter().enumerate() {
        let state = match (x.valid, x.covers_whole_file) {
            (false, _) => format!(
                "{} {}",
                l("无效：", "INVALID:"),
                x.problem.as_deref().unwrap_or_default()
            ),
            (true, false) => match lang {
                Lang::Zh => format!(
                    "签名本身完好，但只覆盖文件的前 {} 字节（共 {file_len} 字节）：其后的内容是签名之后追加的",
                    x.byte_range[2] + x.byte_range[3]
                ),
                Lang::En => format!(
                    "intact, but it covers only the first {} bytes of {file_len}: what follows was added after signing",
                    x.byte_range[2] + x.byte_range[3]
                ),
            },
            (true, true) => l(
                "有效：签名后文档未被改动",
                "valid: the document is unchanged since signing",
            )
            .to_string(),
        };
        s += &format!("{} #{}: {state}\n", l("签名", "Signature"), i + 1);
        s += &format!(
            "    {} {}  {} {}\n",
            l("签名人", "signer"),
            x.signer,
            l("时间", "time"),
            x.time
        );
        s += &format!(
            "    {} {}\n",
            l("签名证书 SHA-256", "signer certificate SHA-256"),
            if x.cert_sha256.is_empty() {
                "—"
            } else {
                &x.cert_sha256
            }
        );
        s += &format!("    {} {}\n", l("证书主题", "subject"), x.subject);
        s += &format!("    {} {:?}\n", l("签名范围", "byte range"), x.byte_range);
    }
    s += l(
        "注：签名证书是否可信（是否由受信任的机构签发）需另行确认：请将上面的证书 SHA-256 与发文机关公布的核对。",
        "Note: whether the signing certificate is trusted (issued by a trusted authority) is a separate check: compare the certificate SHA-256 above with the one the issuing authority published.",
    );
    s.push('\n');
    s
}

pub fn cert_new(name: &str, org: Option<&str>, out: &Path, var: &str) -> anyhow::Result<ExitCode> {
    // A private key is never written unprotected.
    let password = std::env::var(var)
        .with_context(|| format!("the environment variable {var} (the password) is not set"))?;
    if password.is_empty() {
        anyhow::bail!("the environment variable {var} is empty; a signing key needs a password");
    }
    crate::output::check_target(out, false)?;
    let p12 = cert::new_pkcs12(name, org, 3, &password)?;
    crate::output::write_private(out, &p12)?;
    println!("{}", out.display());
    Ok(ExitCode::SUCCESS)
}
