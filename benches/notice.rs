//! Notice speed and size: a case with 40 findings and 60 screenshot evidence items, laid out,
//! rendered and signed — target under 2 s, and no larger than the evidence plus 1 MB.
//! `cargo bench --bench notice`.

mod common;

use std::time::{Duration, Instant};

use app_inspector::case::Store;
use app_inspector::checklist::{self, SubjectType};
use app_inspector::i18n::Lang;
use app_inspector::notice::issue::{IssueRequest, issue};
use app_inspector::notice::{Kind, cert, sign::Identity};
use app_inspector::status::Status;
use common::corpus;

/// A phone screenshot: flat areas and text-like detail, as real ones compress.
fn screenshot(seed: u32) -> Vec<u8> {
    let (w, h) = (1080, 2400);
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        let band = (y / 120 + seed) % 7;
        let text = (x / 3 + y / 5 + seed) % 11 < 2 && (y % 120) > 40 && (y % 120) < 80 && x > 60 && x < 900;
        if text {
            image::Rgb([30, 30, 30])
        } else {
            image::Rgb([240 - band as u8 * 8, 242, 245 - (seed % 5) as u8 * 3])
        }
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

fn main() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let mut store = Store::open(&tmp.path().join("bench.sqlite")).expect("open");
    let id = common::bugly_case(&mut store, "深圳市基准测试科技有限公司");
    // What a rectification notice needs: the authority's profile and two officers.
    let mut authority = app_inspector::case::Authority::new("广东省通信管理局", "粤通管责改");
    authority.contact = "信息通信管理处 020-00000000".into();
    store.set_authority(&authority).expect("authority");
    store
        .set_inspectors(&id, &["张三=粤A0001".into(), "李四=粤A0002".into()], "张三")
        .expect("inspectors");
    let checklist = checklist::builtin("miit-2023-26").expect("checklist");
    let points: Vec<String> = checklist
        .clauses
        .iter()
        .filter(|c| c.subjects.contains(&SubjectType::AppOperator))
        .flat_map(|c| c.test_points.iter().map(|t| t.id.clone()))
        .take(40)
        .collect();
    for (n, tp) in points.iter().enumerate() {
        let status = if n % 3 == 0 {
            Status::Partial
        } else {
            Status::NonCompliant
        };
        store
            .assess(
                &id,
                tp,
                status,
                "检查发现该项不符合要求，详见所附截图及录屏记录。",
                "张三",
            )
            .expect("assess");
    }
    // Real phone screenshots from the corpus, cycled to 60 (a few bytes after IEND make each
    // one distinct evidence; decoders ignore them), plus synthetic ones if the corpus is short.
    let mut real: Vec<Vec<u8>> = std::fs::read_dir(corpus().join("screens"))
        .map(|rd| {
            rd.filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "png"))
                .filter_map(|p| std::fs::read(p).ok())
                .collect()
        })
        .unwrap_or_default();
    real.sort_by_key(Vec::len);
    let mut evidence_bytes = 0usize;
    for n in 0..60u32 {
        let png = match real.get(n as usize % real.len().max(1)) {
            Some(base) => {
                let mut b = base.clone();
                b.extend_from_slice(&n.to_le_bytes());
                b
            }
            None => screenshot(n),
        };
        evidence_bytes += png.len();
        let tp = &points[n as usize % points.len()];
        store
            .attach_bytes(&id, &format!("shot{n}.png"), &png, Some(tp), "截图", "张三")
            .expect("attach");
    }
    println!(
        "case: {} findings, 60 screenshots, {:.1} MB of evidence",
        points.len(),
        evidence_bytes as f64 / 1e6
    );
    let p12 = cert::new_pkcs12("基准测试", Some("广东省通信管理局"), 1, "pw").expect("cert");
    let identity = Identity::from_pkcs12(&p12, "pw", "bench.p12").expect("identity");
    let mut times: Vec<Duration> = Vec::new();
    let mut size = 0;
    let out = tempfile::tempdir().expect("temporary folder");
    for n in 0..3 {
        let t = Instant::now();
        let pdf = issue(
            &mut store,
            &id,
            &IssueRequest {
                kind: Kind::Rectification,
                lang: Lang::Zh,
                number: None,
                deadline_days: 15,
                authority: Some("广东省通信管理局".into()),
                contact: Some("信息通信管理处 020-00000000".into()),
                identity: Some(&identity),
                now: chrono::Utc::now(),
            },
            &out.path().join(format!("notice-{n}.pdf")),
            false,
            "张三",
        )
        .expect("notice");
        times.push(t.elapsed());
        size = pdf.pdf.len();
    }
    times.sort();
    println!(
        "notice generated and signed: {:.0} ms median (target < 2000 ms)",
        times[1].as_secs_f64() * 1000.0
    );
    println!(
        "size: {:.2} MB = evidence {:.2} MB {} {:.2} MB (target: evidence + 1 MB at most)",
        size as f64 / 1e6,
        evidence_bytes as f64 / 1e6,
        if size >= evidence_bytes { "+" } else { "−" },
        (size as f64 - evidence_bytes as f64).abs() / 1e6
    );
}
