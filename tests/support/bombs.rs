//! Hostile inputs built on the fly (never committed): packages that would inflate many times their
//! size, and bundles that would. Shared by tests/hostile.rs and benches/memory.rs.

#![allow(dead_code)] // each user takes its own part
#![allow(clippy::unwrap_used)]

use app_inspector::sample::apk::{self, ApkSpec};

/// Runs `program args` (with `envs`) under GNU time: its output and its peak resident memory in MiB.
pub fn peak_memory(
    program: &std::path::Path,
    args: &[&str],
    envs: &[(&str, &std::path::Path)],
) -> (std::process::Output, u64) {
    let report = std::env::temp_dir().join(format!(
        "app-inspector-peak-{}-{:?}.txt",
        std::process::id(),
        std::thread::current().id()
    ));
    let mut command = std::process::Command::new("/usr/bin/time");
    command
        .args(["-f", "%M", "-o", report.to_str().unwrap()])
        .arg(program)
        .args(args);
    for (k, v) in envs {
        command.env(k, v);
    }
    let out = command
        .output()
        .expect("GNU time (/usr/bin/time) is needed; tests/install-deps.sh installs it");
    let kib: u64 = std::fs::read_to_string(&report)
        .unwrap()
        .lines()
        .last()
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    let _ = std::fs::remove_file(&report);
    (out, kib >> 10)
}

/// An APK whose DEX files are `count` entries of `size` zero bytes each.
pub fn dex_flood(count: usize, size: usize) -> Vec<u8> {
    let mut entries = vec![(
        "AndroidManifest.xml".to_string(),
        apk::manifest(&ApkSpec::default()),
    )];
    let zeros = vec![0u8; size];
    for i in 0..count {
        let name = if i == 0 {
            "classes.dex".to_string()
        } else {
            format!("classes{}.dex", i + 1)
        };
        entries.push((name, zeros.clone()));
    }
    apk::zip(&entries)
}

/// A zip whose central directory has `copies` entries all pointing at one local entry holding
/// `size` deflated zeros: a few KiB that would inflate `copies` times.
pub fn overlapping(copies: usize, size: usize) -> Vec<u8> {
    let data = {
        let mut e = raw_deflate(&vec![0u8; size]);
        e.shrink_to_fit();
        e
    };
    let crc = crc32(&vec![0u8; size]);
    let name = b"classes.dex";
    let mut out = Vec::new();
    let header = |out: &mut Vec<u8>, sig: &[u8]| out.extend_from_slice(sig);
    header(&mut out, b"PK\x03\x04");
    out.extend_from_slice(&20u16.to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(&8u16.to_le_bytes());
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&crc.to_le_bytes());
    out.extend_from_slice(&(data.len() as u32).to_le_bytes());
    out.extend_from_slice(&(size as u32).to_le_bytes());
    out.extend_from_slice(&(name.len() as u16).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out.extend_from_slice(name);
    out.extend_from_slice(&data);
    let cd_start = out.len();
    for i in 0..copies {
        let n = if i == 0 {
            name.to_vec()
        } else {
            format!("classes{}.dex", i + 1).into_bytes()
        };
        header(&mut out, b"PK\x01\x02");
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&20u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&8u16.to_le_bytes());
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&crc.to_le_bytes());
        out.extend_from_slice(&(data.len() as u32).to_le_bytes());
        out.extend_from_slice(&(size as u32).to_le_bytes());
        out.extend_from_slice(&(n.len() as u16).to_le_bytes());
        out.extend_from_slice(&[0; 12]);
        out.extend_from_slice(&0u32.to_le_bytes());
        out.extend_from_slice(&n);
    }
    let cd_len = out.len() - cd_start;
    header(&mut out, b"PK\x05\x06");
    out.extend_from_slice(&[0; 4]);
    out.extend_from_slice(&(copies as u16).to_le_bytes());
    out.extend_from_slice(&(copies as u16).to_le_bytes());
    out.extend_from_slice(&(cd_len as u32).to_le_bytes());
    out.extend_from_slice(&(cd_start as u32).to_le_bytes());
    out.extend_from_slice(&0u16.to_le_bytes());
    out
}

/// Deflate through the zip writer the project already uses (one stored-by-deflate entry).
fn raw_deflate(data: &[u8]) -> Vec<u8> {
    let zip = apk::zip(&[("x".into(), data.to_vec())]);
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(&zip)).unwrap();
    let raw = archive.by_index_raw(0).unwrap();
    let start = raw.data_start().unwrap() as usize;
    let len = raw.compressed_size() as usize;
    zip[start..start + len].to_vec()
}

pub fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 {
                (crc >> 1) ^ 0xEDB8_8320
            } else {
                crc >> 1
            };
        }
    }
    !crc
}

/// A case bundle holding `count` evidence files of `size` zero bytes each, named by their real
/// SHA-256 and listed in the manifest (every hash agrees): a few MB that inflate `count × size`.
pub fn evidence_bomb(count: usize, size: usize) -> Vec<u8> {
    use std::io::Write as _;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    let mut manifest = String::new();
    for i in 0..count {
        // Zeros ending in the file's number: each file distinct, each named by its own hash.
        let mut data = vec![0u8; size];
        let n = data.len();
        data[n - 8..].copy_from_slice(&(i as u64).to_le_bytes());
        let sha = app_inspector::case::sha256_hex(&data);
        let name = format!("evidence/{sha}.png");
        w.start_file(name.as_str(), opts).unwrap();
        w.write_all(&data).unwrap();
        manifest += &format!("{sha}  {name}\n");
    }
    w.start_file("MANIFEST.sha256", opts).unwrap();
    w.write_all(manifest.as_bytes()).unwrap();
    w.finish().unwrap().into_inner()
}

/// A case bundle whose case.json inflates to `size` bytes of white space.
pub fn case_json_bomb(size: usize) -> Vec<u8> {
    use std::io::Write as _;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    w.start_file("case.json", opts).unwrap();
    let chunk = vec![b' '; 1 << 20];
    for _ in 0..size >> 20 {
        w.write_all(&chunk).unwrap();
    }
    w.finish().unwrap().into_inner()
}
