//! The signed notice as the enterprise and the archive receive it, checked with real verifiers:
//! poppler's pdfsig, pdffonts, pdftotext and pdfimages, and pyHanko.

#![allow(clippy::unwrap_used)] // tests may unwrap: a panic is a failure with its place

mod support;

use std::path::Path;
use std::process::Command;

use app_inspector::case::Store;
use support::Dir;

/// Runs an external tool the tests depend on; a missing tool fails the test (never a skip).
fn tool(name: &str, args: &[&str]) -> std::process::Output {
    Command::new(name).args(args).output().unwrap_or_else(|e| {
        panic!(
            "{name} is needed by this test ({e}); .ci/run installs it (poppler-utils, pyhanko-cli, openssl)"
        )
    })
}

fn stdout(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned() + &String::from_utf8_lossy(&o.stderr)
}

/// The issuing authority every rectification notice here comes from.
const AUTHORITY: &str = "广东省通信管理局";

/// Adds the authority's profile to the folder's database.
fn authority(dir: &Dir) {
    dir.run(&[
        "authority",
        "set",
        AUTHORITY,
        "--prefix",
        "粤通管责改",
        "--court",
        "广州铁路运输法院",
        "--address",
        "广州市越秀区示例路1号",
        "--contact",
        "网络安全管理处 王五 020-12345678",
    ])
    .ok();
}

/// A case with two findings backed by a PNG (annotated) and a JPEG, one finding from an accepted
/// automatic suggestion, one compliant point; two officers with their certificate numbers.
fn case_with_evidence(dir: &Dir) -> (String, Vec<u8>, Vec<u8>) {
    authority(dir);
    let bugly = support::corpus().join("apk/bugly_hotfix_demo-release.apk");
    let id = dir
        .run(&[
            "case",
            "new",
            "--package",
            bugly.to_str().unwrap(),
            "--subject-name",
            "深圳市示例科技有限公司",
            "--credit-code",
            "91440300708461136T",
            "--filing",
            "粤ICP备2023000001号-1A",
            "--inspector",
            "张三=粤A0001",
            "--inspector",
            "李四=粤A0002",
        ])
        .ok()
        .trim()
        .to_string();
    dir.run(&[
        "case",
        "review",
        &id,
        "14.2",
        "--accept",
        "--rule",
        "allow-backup",
    ])
    .ok();
    dir.run(&[
        "case",
        "assess",
        &id,
        "9.2",
        "--status",
        "non-compliant",
        "--note",
        "需5次点击才能访问隐私政策",
    ])
    .ok();
    dir.run(&[
        "case",
        "assess",
        &id,
        "10.4",
        "--status",
        "non-compliant",
        "--note",
        "拒绝存储权限后APP退出",
    ])
    .ok();
    dir.run(&["case", "assess", &id, "3.1", "--status", "compliant"])
        .ok();
    let png = std::fs::read(support::corpus().join("screens/zh-CN_settings__keepalive.png")).unwrap();
    let img = image::load_from_memory(&png).unwrap().to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&img)
        .unwrap();
    let png_file = dir.write("settings.png", &png);
    // Named as Android names a screenshot: the notice states when it was captured.
    let jpg_file = dir.write("Screenshot_20261130-101500.jpg", &jpeg);
    dir.run(&[
        "case",
        "attach",
        &id,
        png_file.to_str().unwrap(),
        "--testpoint",
        "9.2",
        "--caption",
        "设置页无隐私政策入口",
    ])
    .ok();
    dir.run(&[
        "case",
        "attach",
        &id,
        jpg_file.to_str().unwrap(),
        "--testpoint",
        "10.4",
        "--caption",
        "权限弹窗",
    ])
    .ok();
    // Annotate the PNG: a rectangle, an arrow and a label, stored as data.
    let mut store = Store::open(&dir.join("cases.sqlite")).unwrap();
    let view = store.load(&id).unwrap();
    let link = view
        .evidence
        .iter()
        .find(|e| e.media_type == "image/png")
        .unwrap()
        .link_id;
    let shapes = serde_json::json!([
        {"kind": "rect", "x": 0.05, "y": 0.1, "w": 0.6, "h": 0.08},
        {"kind": "arrow", "x": 0.8, "y": 0.4, "x2": 0.6, "y2": 0.15},
        {"kind": "text", "x": 0.5, "y": 0.45, "text": "此处无入口"}
    ]);
    store
        .annotate(&id, link, "设置页无隐私政策入口", &shapes, "张三")
        .unwrap();
    drop(store);
    // The PNG says nothing of its capture: the inspector enters it (audited, proven).
    dir.run(&[
        "case",
        "capture",
        &id,
        &format!("#{link}"),
        "--at",
        "2026-11-29 09:05",
        "--device",
        "Xiaomi 14 (23127PN0CC)",
    ])
    .ok();
    dir.run(&["case", "log", &id, "--verify"]).ok();
    (id, png, jpeg)
}

fn flip(file: &Path, out: &Path, at: usize) {
    let mut d = std::fs::read(file).unwrap();
    d[at] ^= 0x01;
    std::fs::write(out, d).unwrap();
}

#[test]
fn a_signed_notice_is_valid_for_pdfsig_pyhanko_and_verify_and_invalid_after_one_byte() {
    let dir = Dir::new();
    let (id, png, jpeg) = case_with_evidence(&dir);
    let p12 = dir.join("inspector.p12");
    let run = Command::new(env!("CARGO_BIN_EXE_app-inspector"))
        .args([
            "cert",
            "new",
            "--name",
            "李四",
            "--org",
            "广东省通信管理局",
            "--out",
            p12.to_str().unwrap(),
            "--password-env",
            "P12PW",
        ])
        .env("P12PW", "检查员密码")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stdout(&run));
    let pdf = dir.join("notice.pdf");
    let run = Command::new(env!("CARGO_BIN_EXE_app-inspector"))
        .args([
            "notice",
            &id,
            "--out",
            pdf.to_str().unwrap(),
            "--authority",
            AUTHORITY,
            "--sign",
            p12.to_str().unwrap(),
            "--password-env",
            "P12PW",
        ])
        .env("APP_INSPECTOR_DB", dir.join("cases.sqlite"))
        .env("P12PW", "检查员密码")
        .output()
        .unwrap();
    assert!(run.status.success(), "{}", stdout(&run));

    let sig = stdout(&tool("pdfsig", &[pdf.to_str().unwrap()]));
    assert!(sig.contains("Signature is Valid"), "{sig}");
    assert!(
        sig.contains("ETSI.CAdES.detached") && sig.contains("李四"),
        "{sig}"
    );
    assert!(sig.contains("Total document signed"), "{sig}");
    let hanko = stdout(&tool("pyhanko", &["sign", "validate", pdf.to_str().unwrap()]));
    assert!(hanko.contains("INTACT"), "{hanko}");
    let ours = dir.run(&["verify", pdf.to_str().unwrap(), "--json"]);
    assert_eq!(ours.code(), 0, "{}", ours.stderr());
    let v: serde_json::Value = serde_json::from_str(&ours.stdout()).unwrap();
    assert_eq!(v["signatures"][0]["valid"], true);
    assert_eq!(v["signatures"][0]["signer"], "李四");

    // One byte changed anywhere in the signed ranges: all three call it invalid.
    let len = std::fs::metadata(&pdf).unwrap().len() as usize;
    for (label, at) in [("start", 2000), ("end", len - 30)] {
        let bad = dir.join(&format!("bad-{label}.pdf"));
        flip(&pdf, &bad, at);
        let sig = stdout(&tool("pdfsig", &[bad.to_str().unwrap()]));
        assert!(!sig.contains("Signature is Valid"), "{label}: {sig}");
        let hanko = stdout(&tool("pyhanko", &["sign", "validate", bad.to_str().unwrap()]));
        assert!(!hanko.contains("INTACT"), "{label}: {hanko}");
        let run = dir.run(&["verify", bad.to_str().unwrap()]);
        assert_eq!(run.code(), 1, "{label}: {}", run.stdout());
    }

    // Fonts are subset, the Chinese text comes back, and the evidence is the evidence.
    let fonts = stdout(&tool("pdffonts", &[pdf.to_str().unwrap()]));
    let font_lines: Vec<&str> = fonts.lines().skip(2).filter(|l| !l.trim().is_empty()).collect();
    assert!(!font_lines.is_empty());
    for l in &font_lines {
        assert!(
            l.split('+').next().unwrap().len() == 6 && l.contains(" yes yes "),
            "not an embedded subset: {l}"
        );
    }
    // Lines wrap inside table cells: compare without white space.
    let text: String = stdout(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]))
        .split_whitespace()
        .collect();
    for needle in [
        "责令整改通知书",
        "粤通管责改〔",
        "深圳市示例科技有限公司",
        "91440300708461136T",
        "粤ICP备2023000001号-1A",
        "com.tencent.bugly.hotfix",
        // Facts: the inspector's note and the accepted suggestion's facts, in plain words.
        "经查，需5次点击才能访问隐私政策",
        "android:allowBackup",
        // Measure 14's Chinese title is a translation: cited by its number, never quoted.
        "部分不符合《通知》二、（一）14的要求",
        "违反了《中华人民共和国个人信息保护法》第十七条的规定",
        // Laws first; the Notice as what is required; the power to order correction.
        "依据《中华人民共和国个人信息保护法》",
        "第六十六条的规定，现责令你单位限期改正",
        "上述行为的认定参照了《App违法违规收集使用个人信息行为认定方法》",
        // Rights with the reconsideration body and the court named.
        "六十日内向工业和信息化部申请行政复议",
        "广州铁路运输法院提起行政诉讼",
        "执法人员：张三（执法证号粤A0001）、李四（执法证号粤A0002）",
        "附件：1.证据材料（E1、E2）",
        "送达回证",
        "第1页共",
        "附件1证据材料",
        "原始文件由广东省通信管理局留存",
        "拍摄时间：2026年11月30日10:15（设备时钟，据文件名）",
        "拍摄时间：2026年11月29日09:05（设备时钟，检查人员录入）",
        "设备：Xiaomi14(23127PN0CC)",
        // The digital signature said for what it is, by the signature block.
        "本文书由李四于",
        "不是电子印章",
        "入库时间：",
    ] {
        assert!(text.contains(needle), "pdftotext lacks {needle:?}");
    }
    let laws_at = text.find("依据《中华人民共和国个人信息保护法》").unwrap();
    assert!(
        laws_at < text.find("按照《工业和信息化部").unwrap(),
        "laws come first"
    );
    // What an enforcement notice never carries: a score, the checklist, test-point ids, a
    // "第N条" of the Notice (it has none), or a breach of a law outside the remit.
    for absent in [
        "得分",
        "覆盖率",
        "检查表",
        "miit-2023-26",
        "《通知》第",
        "（9.2）",
        "消费者权益保护法",
        "“加强技术保障能力”",
    ] {
        assert!(!text.contains(absent), "the notice says {absent:?}");
    }
    // The 送达回证 has a page of its own.
    let pages = stdout(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
    let receipt = pages.split('\u{c}').find(|p| p.contains("送达回证")).unwrap();
    assert!(
        receipt.contains("受送达人") && receipt.contains("送达方式") && !receipt.contains("联系方式"),
        "{receipt}"
    );
    let images = dir.join("img");
    std::fs::create_dir(&images).unwrap();
    tool(
        "pdfimages",
        &["-all", pdf.to_str().unwrap(), images.join("e").to_str().unwrap()],
    );
    let mut found_png = false;
    let mut found_jpeg = false;
    for entry in std::fs::read_dir(&images).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        if path.extension().is_some_and(|e| e == "jpg") && bytes == jpeg {
            found_jpeg = true;
        }
        if path.extension().is_some_and(|e| e == "png") {
            let a = image::load_from_memory(&bytes).unwrap().to_rgba8();
            let b = image::load_from_memory(&png).unwrap().to_rgba8();
            if a.dimensions() == b.dimensions() && a.as_raw() == b.as_raw() {
                found_png = true;
            }
        }
    }
    assert!(found_jpeg, "the JPEG evidence is not embedded byte for byte");
    assert!(found_png, "the PNG evidence is not the same pixels");
    // The case records what was issued.
    let show = dir.run(&["case", "show", &id, "--json"]).json();
    let notice = &show["notices"][0];
    assert_eq!(notice["signer"], "李四");
    let sha = notice["pdf_sha256"].as_str().unwrap();
    assert_eq!(
        sha,
        app_inspector::case::sha256_hex(&std::fs::read(&pdf).unwrap())
    );
}

#[test]
fn rsa_and_legacy_pkcs12_from_openssl_sign_too_and_a_wrong_password_is_named() {
    let dir = Dir::new();
    let (id, _, _) = case_with_evidence(&dir);
    let key = dir.join("k.pem");
    let cert = dir.join("c.pem");
    let out = tool(
        "openssl",
        &[
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-keyout",
            key.to_str().unwrap(),
            "-out",
            cert.to_str().unwrap(),
            "-days",
            "30",
            "-nodes",
            "-subj",
            "/CN=RSA Inspector",
        ],
    );
    assert!(out.status.success(), "{}", stdout(&out));
    let p12 = dir.join("legacy.p12");
    let out = tool(
        "openssl",
        &[
            "pkcs12",
            "-export",
            "-legacy",
            "-inkey",
            key.to_str().unwrap(),
            "-in",
            cert.to_str().unwrap(),
            "-out",
            p12.to_str().unwrap(),
            "-passout",
            "pass:pw",
        ],
    );
    assert!(out.status.success(), "{}", stdout(&out));
    let pdf = dir.join("rsa.pdf");
    let run = |password: &str, out: &Path| {
        Command::new(env!("CARGO_BIN_EXE_app-inspector"))
            .args([
                "notice",
                &id,
                "--out",
                out.to_str().unwrap(),
                "--lang",
                "en",
                "--authority",
                AUTHORITY,
                "--number",
                "粤通管责改[2026]9号",
                "--sign",
                p12.to_str().unwrap(),
                "--password-env",
                "PW",
            ])
            .env("APP_INSPECTOR_DB", dir.join("cases.sqlite"))
            .env("PW", password)
            .output()
            .unwrap()
    };
    let ok = run("pw", &pdf);
    assert!(ok.status.success(), "{}", stdout(&ok));
    let sig = stdout(&tool("pdfsig", &[pdf.to_str().unwrap()]));
    assert!(
        sig.contains("Signature is Valid") && sig.contains("RSA Inspector"),
        "{sig}"
    );
    let text = stdout(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
    assert!(
        text.contains("Rectification Notice") && text.contains("Page 1 of"),
        "{text}"
    );
    // A translation, saying so, under the Chinese notice's number (brackets normalised).
    let flat: String = text.split_whitespace().collect();
    assert!(
        flat.contains("Englishtranslationforreference.TheChineseversion(粤通管责改〔2026〕9号)prevails."),
        "{text}"
    );
    let wrong = dir.join("wrong.pdf");
    let bad = run("not-the-password", &wrong);
    assert_eq!(bad.status.code(), Some(2));
    let err = String::from_utf8_lossy(&bad.stderr);
    assert!(err.contains("password") && err.contains("legacy.p12"), "{err}");
    assert!(!wrong.exists(), "a notice was written despite the wrong password");
}

#[test]
fn the_self_examination_report_is_addressed_to_the_enterprise() {
    let dir = Dir::new();
    let (id, _, _) = case_with_evidence(&dir);
    let pdf = dir.join("self.pdf");
    dir.run(&[
        "notice",
        &id,
        "--kind",
        "self-exam",
        "--out",
        pdf.to_str().unwrap(),
    ])
    .ok();
    let text = stdout(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
    assert!(text.contains("自查报告") && text.contains("本单位"), "{text}");
    assert!(!text.contains("权利告知"));
    // Unsigned: verify says so with exit 2.
    let run = dir.run(&["verify", pdf.to_str().unwrap()]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("not a signed PDF"));
}

/// The files in a folder, but the case database's own.
fn files_in(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| !n.starts_with("cases.sqlite"))
        .collect();
    names.sort();
    names
}

fn notices_of(dir: &Dir, id: &str) -> usize {
    dir.run(&["case", "show", id, "--json"]).json()["notices"]
        .as_array()
        .unwrap()
        .len()
}

/// A small case: Polite Droid, one finding, no evidence, two officers; the authority's profile.
fn small_case(dir: &Dir) -> String {
    authority(dir);
    let id = dir.politedroid_case(&["--inspector", "张三=粤A0001", "--inspector", "李四=粤A0002"]);
    dir.run(&[
        "case",
        "assess",
        &id,
        "9.2",
        "--status",
        "non-compliant",
        "--note",
        "需5次点击才能访问隐私政策",
    ])
    .ok();
    id
}

#[test]
fn a_notice_is_recorded_only_once_its_pdf_is_complete_and_never_over_a_file_unasked() {
    let dir = Dir::new();
    let id = small_case(&dir);
    // A folder that does not exist: nothing recorded, nothing left.
    let run = dir.run(&[
        "notice",
        &id,
        "--authority",
        AUTHORITY,
        "--out",
        "no-such-folder/n.pdf",
    ]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("does not exist"), "{}", run.stderr());
    assert_eq!(notices_of(&dir, &id), 0);

    // An existing file is kept unless --force.
    let out = dir.write("n.pdf", b"an older notice");
    let run = dir.run(&[
        "notice",
        &id,
        "--authority",
        AUTHORITY,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("--force"), "{}", run.stderr());
    assert_eq!(std::fs::read(&out).unwrap(), b"an older notice");
    assert_eq!(notices_of(&dir, &id), 0);
    dir.run(&[
        "notice",
        &id,
        "--authority",
        AUTHORITY,
        "--out",
        out.to_str().unwrap(),
        "--force",
    ])
    .ok();
    assert!(std::fs::read(&out).unwrap().starts_with(b"%PDF-"));
    assert_eq!(notices_of(&dir, &id), 1);
    assert_eq!(files_in(dir.path()), ["n.pdf"], "no partial file beside it");

    // Devices and pipes are never written over, --force or not.
    let fifo = dir.join("pipe.pdf");
    assert!(Command::new("mkfifo").arg(&fifo).status().unwrap().success());
    for target in ["/dev/full", "/dev/null", fifo.to_str().unwrap()] {
        let run = dir.run(&[
            "notice",
            &id,
            "--authority",
            AUTHORITY,
            "--out",
            target,
            "--force",
        ]);
        assert_eq!(run.code(), 2, "{target}");
        assert!(
            run.stderr().contains("not a regular file"),
            "{target}: {}",
            run.stderr()
        );
    }
    use std::os::unix::fs::FileTypeExt as _;
    assert!(
        std::fs::metadata("/dev/full")
            .unwrap()
            .file_type()
            .is_char_device()
    );
    assert_eq!(notices_of(&dir, &id), 1);
}

#[test]
fn a_full_disk_or_a_killed_process_leaves_no_record_and_no_partial_file() {
    let dir = Dir::new();
    let id = small_case(&dir);
    // An 8 KiB file system (a private mount namespace; the database stays outside it).
    let small = dir.join("small");
    std::fs::create_dir(&small).unwrap();
    let script = format!(
        "mount -t tmpfs -o size=8k tmpfs '{0}' && '{1}' notice {id} --authority {AUTHORITY} --out '{0}/n.pdf'; rc=$?; echo LEFT:; ls -A '{0}'; exit $rc",
        small.display(),
        env!("CARGO_BIN_EXE_app-inspector"),
    );
    let run = Command::new("unshare")
        .args(["-rm", "sh", "-c", &script])
        .env("APP_INSPECTOR_DB", dir.join("cases.sqlite"))
        .env("APP_INSPECTOR_DATA", dir.join("data"))
        .output()
        .unwrap();
    let said = stdout(&run);
    assert_eq!(run.status.code(), Some(2), "{said}");
    assert!(
        said.contains("No space left") || said.contains("cannot write"),
        "{said}"
    );
    let left = String::from_utf8_lossy(&run.stdout);
    let left = left.split("LEFT:").nth(1).unwrap_or_default().trim();
    assert!(left.is_empty(), "a file was left on the full disk: {left}");
    assert_eq!(notices_of(&dir, &id), 0, "nothing recorded");

    // Killed at various moments: either the notice is there and recorded, or neither.
    for delay_ms in [0, 30, 80, 150, 300] {
        let out = dir.join(&format!("k{delay_ms}.pdf"));
        let before = notices_of(&dir, &id);
        let mut child = Command::new(env!("CARGO_BIN_EXE_app-inspector"))
            .args([
                "notice",
                &id,
                "--authority",
                AUTHORITY,
                "--out",
                out.to_str().unwrap(),
            ])
            .env("APP_INSPECTOR_DB", dir.join("cases.sqlite"))
            .env("APP_INSPECTOR_DATA", dir.join("data"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(delay_ms));
        let _ = child.kill();
        let _ = child.wait();
        let recorded = notices_of(&dir, &id) - before;
        if out.exists() {
            let pdf = std::fs::read(&out).unwrap();
            assert!(
                pdf.ends_with(b"%%EOF\n") || pdf.ends_with(b"%%EOF"),
                "{delay_ms} ms: half a PDF"
            );
        }
        assert!(recorded <= 1);
        assert!(
            recorded == 0 || out.exists(),
            "{delay_ms} ms: recorded without its file"
        );
        let stray: Vec<String> = files_in(dir.path())
            .into_iter()
            .filter(|n| !n.ends_with(".pdf") && n != "small" && n != "data")
            .collect();
        assert!(stray.is_empty(), "{delay_ms} ms: left {stray:?}");
    }
}

#[test]
fn deadlines_are_bounded_and_text_the_font_lacks_never_stops_a_notice() {
    let dir = Dir::new();
    let id = small_case(&dir);
    let run = dir.run(&[
        "notice",
        &id,
        "--authority",
        AUTHORITY,
        "--out",
        "n.pdf",
        "--deadline-days",
        "100000000",
    ]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("1..=365") || run.stderr().contains("365"),
        "{}",
        run.stderr()
    );
    // The library refuses it too, with a sentence.
    let mut store = Store::open(&dir.join("cases.sqlite")).unwrap();
    let err = app_inspector::notice::issue::issue(
        &mut store,
        &id,
        &app_inspector::notice::issue::IssueRequest {
            kind: app_inspector::notice::Kind::Rectification,
            lang: app_inspector::i18n::Lang::Zh,
            number: None,
            deadline_days: u32::MAX,
            authority: Some(AUTHORITY.into()),
            contact: None,
            identity: None,
            now: chrono::Utc::now(),
        },
        &dir.join("lib.pdf"),
        false,
        "张三",
    )
    .err()
    .unwrap();
    assert!(err.to_string().contains("not possible"), "{err}");
    drop(store);
    // An authority of 40,000 characters: a sentence, not the PDF library's "TooLongString".
    let long = "广".repeat(40_000);
    let run = dir.run(&["notice", &id, "--out", "long.pdf", "--authority", &long]);
    assert_eq!(run.code(), 2);
    assert!(
        run.stderr().contains("40000 characters long") && !run.stderr().contains("TooLong"),
        "{}",
        app_inspector::i18n::clip(&run.stderr(), 300)
    );

    // A tab, emoji, a bidirectional override and characters no shipped font has.
    dir.run(&[
        "case",
        "assess",
        &id,
        "9.2",
        "--status",
        "non-compliant",
        "--note",
        "制表符\t之后 😀🎉 蒙古文 ᠮᠣᠩᠭᠣᠯ 𠀀 \u{202e}RTL",
    ])
    .ok();
    let pdf = dir.join("n.pdf");
    dir.run(&[
        "notice",
        &id,
        "--authority",
        AUTHORITY,
        "--out",
        pdf.to_str().unwrap(),
    ])
    .ok();
    let text = stdout(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]));
    assert!(
        text.contains("之后") && text.contains("😀") && text.contains("□"),
        "{text}"
    );
    let fonts = stdout(&tool("pdffonts", &[pdf.to_str().unwrap()]));
    assert!(fonts.contains("NotoEmoji"), "{fonts}");
}

#[test]
fn verify_says_what_is_wrong_first_and_never_panics_on_a_cut_file() {
    let dir = Dir::new();
    let id = small_case(&dir);
    let p12 = dir.join("i.p12");
    // `cert new` into `out`, the password in $PW (named with --password-env unless `unnamed`).
    let cert = |out: &Path, pw: &str, unnamed: bool| {
        let mut args = vec!["cert", "new", "--name", "张三", "--out", out.to_str().unwrap()];
        if !unnamed {
            args.extend(["--password-env", "PW"]);
        }
        Command::new(env!("CARGO_BIN_EXE_app-inspector"))
            .args(&args)
            .env("PW", pw)
            .output()
            .unwrap()
    };
    // The key file: owner only; an empty password, or none, is refused.
    let made = cert(&p12, "pw", false);
    assert!(made.status.success(), "{}", stdout(&made));
    use std::os::unix::fs::PermissionsExt as _;
    assert_eq!(
        std::fs::metadata(&p12).unwrap().permissions().mode() & 0o777,
        0o600
    );
    let other = dir.join("other.p12");
    let empty = cert(&other, "", false);
    assert_eq!(empty.status.code(), Some(2));
    assert!(stdout(&empty).contains("is empty"), "{}", stdout(&empty));
    let none = cert(&other, "pw", true);
    assert_eq!(none.status.code(), Some(2));
    assert!(!other.exists());
    let again = cert(&p12, "pw", false);
    assert_eq!(again.status.code(), Some(2), "an existing key is never replaced");

    let pdf = dir.join("signed.pdf");
    let run = signed_notice(&dir, &id, &p12, &pdf);
    assert!(run.status.success(), "{}", stdout(&run));
    let signed = std::fs::read(&pdf).unwrap();
    let ok = dir.run(&["verify", pdf.to_str().unwrap()]).ok();
    assert!(ok.starts_with("结论：签名有效"), "{ok}");
    assert!(ok.contains("签名证书 SHA-256"), "{ok}");

    // Content added after signing: the first thing said is that it is not valid.
    let appended = dir.join("appended.pdf");
    let mut bytes = signed.clone();
    bytes.extend_from_slice(b"\n% added after signing\n%%EOF\n");
    std::fs::write(&appended, &bytes).unwrap();
    let run = dir.run(&["--lang", "en", "verify", appended.to_str().unwrap()]);
    assert_eq!(run.code(), 1);
    let first = run.stdout().lines().next().unwrap().to_string();
    assert!(
        first.contains("INVALID") && first.contains("added"),
        "{}",
        run.stdout()
    );
    assert!(
        !run.stdout().contains("valid: the document is unchanged"),
        "{}",
        run.stdout()
    );

    // Cut inside `/M (` and at many other places: a sentence and an exit code, never a panic.
    let m = signed.windows(4).position(|w| w == b"/M (").unwrap();
    let mut cuts: Vec<usize> = vec![m + 2, m + 4, m + 6];
    cuts.extend((1..40).map(|k| signed.len() * k / 40));
    for cut in cuts {
        let cut_file = dir.join("cut.pdf");
        std::fs::write(&cut_file, &signed[..cut]).unwrap();
        let run = dir.run(&["verify", cut_file.to_str().unwrap()]);
        assert!(matches!(run.code(), 1 | 2), "cut at {cut}: {}", run.stderr());
        assert!(
            !run.stderr().contains("panicked"),
            "cut at {cut}: {}",
            run.stderr()
        );
    }

    // Thousands of signature dictionaries (each would hash the whole file): the first 32 only.
    let many = dir.join("many.pdf");
    let mut bytes = signed.clone();
    for _ in 0..5_000 {
        bytes.extend_from_slice(b"<< /ByteRange [0 10 20 30] /Contents <00> >>\n");
    }
    std::fs::write(&many, &bytes).unwrap();
    let run = dir.run(&["--lang", "en", "verify", many.to_str().unwrap(), "--json"]);
    assert_eq!(run.code(), 1);
    let v: serde_json::Value = serde_json::from_str(&run.stdout()).unwrap();
    assert_eq!(v["signatures"].as_array().unwrap().len(), 32);
    assert!(
        v["problem"].as_str().unwrap().contains("more than 32"),
        "{}",
        v["problem"]
    );

    // --json on an unsigned PDF still explains on stderr.
    let plain = dir.join("plain.pdf");
    dir.run(&[
        "notice",
        &id,
        "--authority",
        AUTHORITY,
        "--out",
        plain.to_str().unwrap(),
    ])
    .ok();
    let run = dir.run(&["verify", plain.to_str().unwrap(), "--json"]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("not a signed PDF"), "{}", run.stderr());
}

/// A self-signed certificate of 张三 (of `org`) made by `cert new` in `dir`; its password is "pw".
fn certificate(dir: &Dir, org: Option<&str>) -> std::path::PathBuf {
    let p12 = dir.join("i.p12");
    let mut args = vec![
        "cert",
        "new",
        "--name",
        "张三",
        "--out",
        p12.to_str().unwrap(),
        "--password-env",
        "PW",
    ];
    if let Some(org) = org {
        args.extend(["--org", org]);
    }
    let made = Command::new(env!("CARGO_BIN_EXE_app-inspector"))
        .args(&args)
        .env("PW", "pw")
        .output()
        .unwrap();
    assert!(made.status.success(), "{}", stdout(&made));
    p12
}

/// `notice` of case `id` by the test authority, signed with `p12` (password "pw"), to `out`.
fn signed_notice(dir: &Dir, id: &str, p12: &Path, out: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_app-inspector"))
        .args([
            "notice",
            id,
            "--authority",
            AUTHORITY,
            "--out",
            out.to_str().unwrap(),
            "--sign",
            p12.to_str().unwrap(),
            "--password-env",
            "PW",
        ])
        .env("APP_INSPECTOR_DB", dir.join("cases.sqlite"))
        .env("PW", "pw")
        .output()
        .unwrap()
}

/// The text of a PDF, white space removed (lines wrap anywhere).
fn text_of(pdf: &Path) -> String {
    stdout(&tool("pdftotext", &[pdf.to_str().unwrap(), "-"]))
        .split_whitespace()
        .collect()
}

#[test]
fn one_authoritys_notices_take_consecutive_serials_and_a_translation_keeps_the_number() {
    let dir = Dir::new();
    let first = small_case(&dir);
    let second = small_case(&dir);
    let year = chrono::Utc::now()
        .with_timezone(&chrono_tz::Asia::Shanghai)
        .format("%Y")
        .to_string();
    for (id, out) in [(&first, "a.pdf"), (&second, "b.pdf")] {
        dir.run(&["notice", id, "--authority", AUTHORITY, "--out", out])
            .ok();
    }
    let number = |id: &str| {
        dir.run(&["case", "show", id, "--json"]).json()["notices"][0]["number"]
            .as_str()
            .unwrap()
            .to_string()
    };
    assert_eq!(number(&first), format!("粤通管责改〔{year}〕1号"));
    assert_eq!(number(&second), format!("粤通管责改〔{year}〕2号"));
    assert!(text_of(&dir.join("b.pdf")).contains(&format!("粤通管责改〔{year}〕2号")));
    // A failed issue takes no serial: the next notice is number 3.
    dir.write("taken.pdf", b"x");
    assert_eq!(
        dir.run(&["notice", &first, "--authority", AUTHORITY, "--out", "taken.pdf"])
            .code(),
        2
    );
    // The English translation carries the Chinese notice's number and takes no serial.
    dir.run(&[
        "--lang",
        "en",
        "notice",
        &first,
        "--authority",
        AUTHORITY,
        "--out",
        "a-en.pdf",
    ])
    .ok();
    let en = dir.run(&["case", "show", &first, "--json"]).json()["notices"][1]["number"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(en, number(&first));
    dir.run(&["notice", &first, "--authority", AUTHORITY, "--out", "c.pdf"])
        .ok();
    let third = dir.run(&["case", "show", &first, "--json"]).json()["notices"][2]["number"]
        .as_str()
        .unwrap()
        .to_string();
    assert_eq!(third, format!("粤通管责改〔{year}〕3号"));
    let list = dir.run(&["authority", "list", "--json"]).json();
    assert_eq!(list[0]["reconsideration"], "工业和信息化部");
    assert_eq!(list[0]["timezone"], "Asia/Shanghai");
}

#[test]
fn a_notice_an_authority_could_not_serve_is_refused_with_a_sentence() {
    let dir = Dir::new();
    let id = small_case(&dir);
    let refused = |args: &[&str], says: &str| {
        let mut all = vec!["notice", id.as_str(), "--out", "x.pdf"];
        all.extend_from_slice(args);
        let run = dir.run(&all);
        assert_eq!(run.code(), 2, "{args:?}: {}", run.stdout());
        assert!(run.stderr().contains(says), "{args:?}: {}", run.stderr());
        assert!(!dir.join("x.pdf").exists(), "{args:?} wrote a file");
    };
    // No authority, or one without a profile.
    refused(&[], "authority set");
    refused(&["--authority", "某省通信管理局"], "no authority profile named");
    // A deadline under five days.
    refused(
        &["--authority", AUTHORITY, "--deadline-days", "3"],
        "at least 5 days",
    );
    // A finding without facts.
    dir.run(&["case", "assess", &id, "10.4", "--status", "non-compliant"])
        .ok();
    refused(&["--authority", AUTHORITY], "finding 10.4 states no facts");
    dir.run(&["case", "assess", &id, "10.4", "--status", "not-checked"])
        .ok();
    // One officer only.
    dir.run(&["case", "inspectors", &id, "--inspector", "张三=粤A0001"])
        .ok();
    refused(
        &["--authority", AUTHORITY],
        "at least two law-enforcement officers",
    );
    dir.run(&[
        "case",
        "inspectors",
        &id,
        "--inspector",
        "张三=粤A0001",
        "--inspector",
        "李四=粤A0002",
    ])
    .ok();
    // The filing number, recorded later, audited and proven.
    dir.run(&["case", "filing", &id, "粤ICP备2023000002号-1A"]).ok();
    assert_eq!(
        dir.run(&["case", "filing", &id]).ok().trim(),
        "粤ICP备2023000002号-1A"
    );
    let trail = dir.run(&["case", "log", &id, "--verify"]);
    assert_eq!(trail.code(), 0, "{}", trail.stderr());
    // No contact anywhere.
    dir.run(&["authority", "set", "某市管理局", "--prefix", "某管责改"])
        .ok();
    refused(&["--authority", "某市管理局"], "no contact");
    // A mistyped credit code never makes a case.
    let apk = support::corpus().join("apk/androguard_com.politedroid_4.apk");
    let run = dir.run(&[
        "case",
        "new",
        "--package",
        apk.to_str().unwrap(),
        "--credit-code",
        "91440300708461136X",
    ]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("check character"), "{}", run.stderr());
    // Nothing above took a serial or recorded a notice.
    assert_eq!(notices_of(&dir, &id), 0);
    dir.run(&["notice", &id, "--authority", AUTHORITY, "--out", "ok.pdf"])
        .ok();
    assert!(
        dir.run(&["case", "show", &id, "--json"]).json()["notices"][0]["number"]
            .as_str()
            .unwrap()
            .ends_with("〕1号")
    );
}

#[test]
fn the_sample_cases_documents_are_marked_and_never_signed() {
    let dir = Dir::new();
    authority(&dir);
    let id = dir.run(&["case", "sample"]).ok().trim().to_string();
    dir.run(&[
        "case",
        "inspectors",
        &id,
        "--inspector",
        "张三=粤A0001",
        "--inspector",
        "李四=粤A0002",
    ])
    .ok();
    let p12 = certificate(&dir, None);
    let signed = signed_notice(&dir, &id, &p12, &dir.join("s.pdf"));
    assert_eq!(signed.status.code(), Some(2), "{}", stdout(&signed));
    assert!(stdout(&signed).contains("never signed"), "{}", stdout(&signed));
    assert!(!dir.join("s.pdf").exists());
    dir.run(&["notice", &id, "--authority", AUTHORITY, "--out", "s.pdf"])
        .ok();
    assert!(text_of(&dir.join("s.pdf")).contains("示例—非正式文书"));
}

#[test]
fn a_configured_seal_shows_only_on_a_digitally_signed_notice() {
    let dir = Dir::new();
    let id = small_case(&dir);
    // A red ring on a transparent ground, as an authority's seal image is.
    let mut seal = image::RgbaImage::new(200, 200);
    for (x, y, p) in seal.enumerate_pixels_mut() {
        let d = ((x as f32 - 100.0).powi(2) + (y as f32 - 100.0).powi(2)).sqrt();
        if (80.0..95.0).contains(&d) {
            *p = image::Rgba([220, 20, 20, 230]);
        }
    }
    let seal_file = dir.join("seal.png");
    seal.save(&seal_file).unwrap();
    dir.run(&[
        "authority",
        "set",
        AUTHORITY,
        "--seal",
        seal_file.to_str().unwrap(),
    ])
    .ok();
    // Not a PNG: refused with a sentence.
    let bad = dir.write("seal.jpg", b"\xff\xd8\xff not a png");
    let run = dir.run(&["authority", "set", AUTHORITY, "--seal", bad.to_str().unwrap()]);
    assert_eq!(run.code(), 2);
    assert!(run.stderr().contains("must be a PNG"), "{}", run.stderr());
    let images = |pdf: &Path| -> usize {
        stdout(&tool("pdfimages", &["-list", pdf.to_str().unwrap()]))
            .lines()
            .skip(2)
            .filter(|l| l.split_whitespace().nth(2) == Some("image"))
            .count()
    };
    dir.run(&["notice", &id, "--authority", AUTHORITY, "--out", "plain.pdf"])
        .ok();
    assert_eq!(
        images(&dir.join("plain.pdf")),
        0,
        "no seal on a paper-bound notice"
    );
    let p12 = certificate(&dir, Some(AUTHORITY));
    let signed = dir.join("signed.pdf");
    let run = signed_notice(&dir, &id, &p12, &signed);
    assert!(run.status.success(), "{}", stdout(&run));
    assert_eq!(images(&signed), 1, "the seal over the signature block");
    assert!(stdout(&tool("pdfsig", &[signed.to_str().unwrap()])).contains("Signature is Valid"));
}

#[test]
fn a_finding_outside_the_authoritys_remit_is_left_out_and_said() {
    let dir = Dir::new();
    let id = small_case(&dir);
    // 4.6 rests on the Advertising Law and SAMR's rules alone: not a 通信管理局's to enforce.
    dir.run(&[
        "case",
        "assess",
        &id,
        "4.6",
        "--status",
        "non-compliant",
        "--note",
        "开屏广告无关闭按钮",
    ])
    .ok();
    let run = dir.run(&["notice", &id, "--authority", AUTHORITY, "--out", "n.pdf"]);
    assert_eq!(run.code(), 0, "{}", run.stderr());
    assert!(
        run.stderr().contains("检查项 4.6 的问题仅以") && run.stderr().contains("未列入通知书"),
        "{}",
        run.stderr()
    );
    let text = text_of(&dir.join("n.pdf"));
    assert!(
        !text.contains("开屏广告无关闭按钮"),
        "the finding is not in the notice"
    );
    assert!(
        !text.contains("广告法") && !text.contains("互联网广告管理办法"),
        "no breach of SAMR's rules claimed"
    );
    assert!(
        text.contains("需5次点击才能访问隐私政策"),
        "the other finding stays"
    );
}

#[test]
fn a_run_time_finding_states_its_facts_with_the_sdk_named_in_the_notice() {
    let dir = Dir::new();
    let id = small_case(&dir);
    // Frida's lines: Getui's push SDK reads the IMEI before the user agrees.
    let mut lines = vec![r#"{"type":"session","package":"com.politedroid"}"#.to_string()];
    for s in 0..4 {
        lines.push(format!(
            r#"{{"type":"notice","time":"2026-11-30 10:00:0{s}","action":"获取电话相关信息","messages":"获取IMEI","stacks":"at android.telephony.TelephonyManager.getImei(Native Method)\nat com.igexin.push.core.a.b(Unknown Source:12)"}}"#
        ));
    }
    lines.push(r#"{"type":"consent","time":"2026-11-30 10:00:05","state":"agreed"}"#.into());
    let log = dir.write("run.jsonl", lines.join("\n"));
    dir.run(&["case", "import-log", &id, log.to_str().unwrap()]).ok();
    let show = dir.run(&["case", "show", &id, "--json"]).json();
    let rule = show["suggestions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["testpoint"] == "9.1" && s["rule"].as_str().unwrap().starts_with("runtime-"))
        .map(|s| s["rule"].as_str().unwrap().to_string())
        .unwrap();
    dir.run(&["case", "review", &id, "9.1", "--accept", "--rule", &rule])
        .ok();
    let out = dir.join("notice.pdf");
    dir.run(&[
        "notice",
        &id,
        "--authority",
        AUTHORITY,
        "--out",
        out.to_str().unwrap(),
    ])
    .ok();
    let text = text_of(&out);
    // The finding states what was seen, by whom, how often and from which log — and cites the
    // law for collecting before consent, with the Notice's measure only as 按照…要求.
    for fact in ["同意隐私政策前", "个推", "读取IMEI4次", "run.jsonl"] {
        assert!(text.contains(fact), "{fact} not in the notice: {text}");
    }
    assert!(text.contains("个人信息保护法"), "{text}");
}
