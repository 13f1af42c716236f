//! Case store speed: opening a large case, and attaching a screenshot.
//!
//! `cargo bench --bench case` builds, in a temporary folder, a case with 300 assessments and 200
//! screenshot evidence items of a few MB each, then measures (median of repeated runs):
//! - opening it as the window does: open the database, load the case (assessments, suggestions,
//!   evidence list) and read every thumbnail — target under 100 ms;
//! - attaching a new 5 MB screenshot, thumbnail included — target under 150 ms.

mod common;

use std::time::{Duration, Instant};

use app_inspector::case::Store;

/// A phone-sized screenshot whose PNG is about `target` bytes (noise in the low bits).
fn screenshot(w: u32, h: u32, seed: u32) -> Vec<u8> {
    let mut state = seed.wrapping_mul(2_654_435_761) | 1;
    let img = image::RgbImage::from_fn(w, h, |x, y| {
        state ^= state << 13;
        state ^= state >> 17;
        state ^= state << 5;
        let n = (state & 0x03) as u8;
        image::Rgb([(x / 8) as u8 ^ n, (y / 8) as u8 ^ n, n.wrapping_mul(3)])
    });
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("png");
    out
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn main() {
    let tmp = tempfile::tempdir().expect("temporary folder");
    let db = tmp.path().join("bench.sqlite");
    let mut store = Store::open(&db).expect("open");
    let id = common::bugly_case(&mut store, "基准测试");
    let base = screenshot(1080, 2400, 1);
    println!("synthetic screenshot: {:.1} MB", base.len() as f64 / 1e6);
    let sha = store
        .attach_bytes(&id, "base.png", &base, Some("9.1"), "", "bench")
        .expect("attach");
    {
        // 199 more distinct files (bytes after IEND are ignored by decoders) and 300 assessments,
        // written directly: this sets the scene, it is not what is measured.
        let conn = rusqlite::Connection::open(&db).expect("seed");
        let thumb: Vec<u8> = conn
            .query_row("SELECT thumbnail FROM evidence WHERE sha256 = ?1", [&sha], |r| {
                r.get(0)
            })
            .expect("thumb");
        let tx = conn.unchecked_transaction().expect("tx");
        for n in 1..200u32 {
            let mut bytes = base.clone();
            bytes.extend_from_slice(&n.to_le_bytes());
            let s: String = {
                use sha2::Digest as _;
                sha2::Sha256::digest(&bytes)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect()
            };
            tx.execute(
                "INSERT INTO evidence (sha256, media_type, size, original_name, width, height, thumbnail) VALUES (?1, 'image/png', ?2, ?3, 1080, 2400, ?4)",
                rusqlite::params![s, bytes.len() as i64, format!("s{n}.png"), thumb],
            )
            .expect("evidence");
            tx.execute(
                "INSERT INTO evidence_data (sha256, bytes) VALUES (?1, ?2)",
                rusqlite::params![s, bytes],
            )
            .expect("evidence data");
            tx.execute(
                "INSERT INTO evidence_links (case_id, sha256, testpoint, caption, actor, attached_at) VALUES (?1, ?2, '9.1', '', 'bench', '2026-01-01T00:00:00Z')",
                rusqlite::params![id, s],
            )
            .expect("link");
        }
        for n in 0..300u32 {
            tx.execute(
                "INSERT INTO assessments (case_id, testpoint, status, note, source, actor, updated_at) VALUES (?1, ?2, 'compliant', '已核实', 'inspector', 'bench', '2026-01-01T00:00:00Z')",
                rusqlite::params![id, format!("{}.{}", n / 10 + 1, n % 10 + 1)],
            )
            .expect("assessment");
        }
        tx.commit().expect("commit");
    }
    drop(store);
    let size = std::fs::metadata(&db).map(|m| m.len()).unwrap_or(0)
        + std::fs::metadata(db.with_extension("sqlite-wal"))
            .map(|m| m.len())
            .unwrap_or(0);
    println!("database: {:.0} MB", size as f64 / 1e6);

    let open = median(
        (0..9)
            .map(|_| {
                let t = Instant::now();
                let store = Store::open(&db).expect("open");
                let view = store.load(&id).expect("load");
                let thumbs: usize = view
                    .evidence
                    .iter()
                    .map(|e| store.thumbnail(&e.sha256).ok().flatten().map_or(0, |t| t.len()))
                    .sum();
                assert_eq!(view.evidence.len(), 200);
                assert_eq!(view.assessments.len(), 300);
                assert!(thumbs > 0);
                t.elapsed()
            })
            .collect(),
    );
    println!(
        "open case (300 assessments, 200 evidence with thumbnails): {} (target < 100 ms)",
        ms(open)
    );

    let mut store = Store::open(&db).expect("open");
    let shots: Vec<Vec<u8>> = (0..5).map(|n| screenshot(1440, 3200, 100 + n)).collect();
    println!(
        "screenshots to attach: {:.1} MB each",
        shots[0].len() as f64 / 1e6
    );
    let attach = median(
        shots
            .iter()
            .enumerate()
            .map(|(n, bytes)| {
                let t = Instant::now();
                store
                    .attach_bytes(&id, &format!("new{n}.png"), bytes, Some("10.3"), "", "bench")
                    .expect("attach");
                t.elapsed()
            })
            .collect(),
    );
    println!(
        "attach one screenshot, thumbnail included: {} (target < 150 ms)",
        ms(attach)
    );
}
