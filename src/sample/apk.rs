//! Writes small, real APK files: a binary AndroidManifest.xml (AXML), optional DEX and icon,
//! zipped, unsigned. The first-run sample case is made from one; tests make them where the
//! corpus has no APK with the property under test (a blank label, a transparent icon, a boot
//! receiver …). Everything is written to memory, so the `expect`s cannot fire.

use std::io::Write as _;

/// A manifest component.
pub struct ComponentSpec {
    pub kind: &'static str,
    pub name: String,
    pub exported: Option<bool>,
    pub actions: Vec<String>,
    pub categories: Vec<String>,
}

/// What goes into the test APK.
pub struct ApkSpec {
    pub package: String,
    pub label: String,
    pub version_code: u32,
    pub version_name: String,
    pub min_sdk: u32,
    pub target_sdk: u32,
    pub permissions: Vec<String>,
    pub components: Vec<ComponentSpec>,
    pub debuggable: bool,
    /// (path inside the package, PNG bytes), referenced as the application icon.
    pub icon: Option<(String, Vec<u8>)>,
    /// Class descriptors (`Lcom/x/Y;`) for classes.dex.
    pub classes: Vec<String>,
    /// Extra raw entries.
    pub extra: Vec<(String, Vec<u8>)>,
}

impl Default for ApkSpec {
    fn default() -> Self {
        Self {
            package: "cn.example.demo".into(),
            label: "示例应用".into(),
            version_code: 7,
            version_name: "1.2.3".into(),
            min_sdk: 24,
            target_sdk: 33,
            permissions: vec!["android.permission.INTERNET".into()],
            components: vec![ComponentSpec {
                kind: "activity",
                name: "cn.example.demo.MainActivity".into(),
                exported: Some(true),
                actions: vec!["android.intent.action.MAIN".into()],
                categories: vec!["android.intent.category.LAUNCHER".into()],
            }],
            debuggable: false,
            icon: None,
            classes: vec!["Lcn/example/demo/MainActivity;".into()],
            extra: Vec::new(),
        }
    }
}

enum Value {
    Str(String),
    Int(u32),
    Bool(bool),
}

struct Element {
    name: &'static str,
    attrs: Vec<(&'static str, Value)>,
    children: Vec<Element>,
}

fn el(name: &'static str, attrs: Vec<(&'static str, Value)>, children: Vec<Element>) -> Element {
    Element {
        name,
        attrs,
        children,
    }
}

/// Android attribute resource ids, so parsers can resolve the names.
const ATTRS: &[(&str, u32)] = &[
    ("label", 0x0101_0001),
    ("icon", 0x0101_0002),
    ("name", 0x0101_0003),
    ("permission", 0x0101_0006),
    ("enabled", 0x0101_000e),
    ("debuggable", 0x0101_000f),
    ("exported", 0x0101_0010),
    ("minSdkVersion", 0x0101_020c),
    ("versionCode", 0x0101_021b),
    ("versionName", 0x0101_021c),
    ("targetSdkVersion", 0x0101_0270),
];
const ANDROID_NS: &str = "http://schemas.android.com/apk/res/android";

struct Pool {
    strings: Vec<String>,
}

impl Pool {
    fn idx(&mut self, s: &str) -> u32 {
        if let Some(i) = self.strings.iter().position(|x| x == s) {
            return i as u32;
        }
        self.strings.push(s.to_string());
        (self.strings.len() - 1) as u32
    }
}

fn u16le(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}
fn u32le(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn write_element(e: &Element, pool: &mut Pool, out: &mut Vec<u8>, ns: u32) {
    let name = pool.idx(e.name);
    let mut attrs = Vec::new();
    for (k, v) in &e.attrs {
        let (attr_ns, key) = if *k == "package" {
            (u32::MAX, pool.idx(k))
        } else {
            (ns, pool.idx(k))
        };
        let (raw, ty, data) = match v {
            Value::Str(s) => {
                let i = pool.idx(s);
                (i, 0x03u8, i)
            }
            Value::Int(n) => (u32::MAX, 0x10, *n),
            Value::Bool(b) => (u32::MAX, 0x12, if *b { u32::MAX } else { 0 }),
        };
        attrs.push((attr_ns, key, raw, ty, data));
    }
    let mut chunk = Vec::new();
    u16le(&mut chunk, 0x0102);
    u16le(&mut chunk, 16);
    u32le(&mut chunk, (36 + 20 * attrs.len()) as u32);
    u32le(&mut chunk, 1);
    u32le(&mut chunk, u32::MAX);
    u32le(&mut chunk, u32::MAX);
    u32le(&mut chunk, name);
    u16le(&mut chunk, 20);
    u16le(&mut chunk, 20);
    u16le(&mut chunk, attrs.len() as u16);
    u16le(&mut chunk, 0);
    u16le(&mut chunk, 0);
    u16le(&mut chunk, 0);
    for (attr_ns, key, raw, ty, data) in attrs {
        u32le(&mut chunk, attr_ns);
        u32le(&mut chunk, key);
        u32le(&mut chunk, raw);
        u16le(&mut chunk, 8);
        chunk.push(0);
        chunk.push(ty);
        u32le(&mut chunk, data);
    }
    out.extend_from_slice(&chunk);
    for c in &e.children {
        write_element(c, pool, out, ns);
    }
    u16le(out, 0x0103);
    u16le(out, 16);
    u32le(out, 24);
    u32le(out, 1);
    u32le(out, u32::MAX);
    u32le(out, u32::MAX);
    u32le(out, name);
}

/// Encodes the manifest of `spec` as binary XML.
pub fn manifest(spec: &ApkSpec) -> Vec<u8> {
    let mut app_children = Vec::new();
    for c in &spec.components {
        let mut attrs = vec![("name", Value::Str(c.name.clone()))];
        if let Some(e) = c.exported {
            attrs.push(("exported", Value::Bool(e)));
        }
        let mut filter_children = Vec::new();
        for a in &c.actions {
            filter_children.push(el("action", vec![("name", Value::Str(a.clone()))], vec![]));
        }
        for k in &c.categories {
            filter_children.push(el("category", vec![("name", Value::Str(k.clone()))], vec![]));
        }
        let children = if filter_children.is_empty() {
            vec![]
        } else {
            vec![el("intent-filter", vec![], filter_children)]
        };
        app_children.push(el(c.kind, attrs, children));
    }
    let mut app_attrs = vec![("label", Value::Str(spec.label.clone()))];
    if let Some((path, _)) = &spec.icon {
        app_attrs.push(("icon", Value::Str(path.clone())));
    }
    if spec.debuggable {
        app_attrs.push(("debuggable", Value::Bool(true)));
    }
    let mut root_children = vec![el(
        "uses-sdk",
        vec![
            ("minSdkVersion", Value::Int(spec.min_sdk)),
            ("targetSdkVersion", Value::Int(spec.target_sdk)),
        ],
        vec![],
    )];
    for p in &spec.permissions {
        root_children.push(el(
            "uses-permission",
            vec![("name", Value::Str(p.clone()))],
            vec![],
        ));
    }
    root_children.push(el("application", app_attrs, app_children));
    let root = el(
        "manifest",
        vec![
            ("versionCode", Value::Int(spec.version_code)),
            ("versionName", Value::Str(spec.version_name.clone())),
            ("package", Value::Str(spec.package.clone())),
        ],
        root_children,
    );

    // Attribute names first, so the resource map lines up with the string pool.
    let mut pool = Pool {
        strings: ATTRS.iter().map(|(n, _)| n.to_string()).collect(),
    };
    let ns_prefix = pool.idx("android");
    let ns_uri = pool.idx(ANDROID_NS);
    let mut body = Vec::new();
    // start namespace
    u16le(&mut body, 0x0100);
    u16le(&mut body, 16);
    u32le(&mut body, 24);
    u32le(&mut body, 1);
    u32le(&mut body, u32::MAX);
    u32le(&mut body, ns_prefix);
    u32le(&mut body, ns_uri);
    write_element(&root, &mut pool, &mut body, ns_uri);
    u16le(&mut body, 0x0101);
    u16le(&mut body, 16);
    u32le(&mut body, 24);
    u32le(&mut body, 1);
    u32le(&mut body, u32::MAX);
    u32le(&mut body, ns_prefix);
    u32le(&mut body, ns_uri);

    // String pool, UTF-16.
    let mut strings = Vec::new();
    let mut offsets = Vec::new();
    for s in &pool.strings {
        offsets.push(strings.len() as u32);
        let units: Vec<u16> = s.encode_utf16().collect();
        u16le(&mut strings, units.len() as u16);
        for u in units {
            u16le(&mut strings, u);
        }
        u16le(&mut strings, 0);
    }
    while strings.len() % 4 != 0 {
        strings.push(0);
    }
    let mut sp = Vec::new();
    let header = 28u32;
    let strings_start = header + 4 * offsets.len() as u32;
    u16le(&mut sp, 0x0001);
    u16le(&mut sp, 28);
    u32le(&mut sp, strings_start + strings.len() as u32);
    u32le(&mut sp, pool.strings.len() as u32);
    u32le(&mut sp, 0);
    u32le(&mut sp, 0);
    u32le(&mut sp, strings_start);
    u32le(&mut sp, 0);
    for o in offsets {
        u32le(&mut sp, o);
    }
    sp.extend_from_slice(&strings);

    let mut map = Vec::new();
    u16le(&mut map, 0x0180);
    u16le(&mut map, 8);
    u32le(&mut map, 8 + 4 * ATTRS.len() as u32);
    for (_, id) in ATTRS {
        u32le(&mut map, *id);
    }

    let mut out = Vec::new();
    u16le(&mut out, 0x0003);
    u16le(&mut out, 8);
    u32le(&mut out, (8 + sp.len() + map.len() + body.len()) as u32);
    out.extend_from_slice(&sp);
    out.extend_from_slice(&map);
    out.extend_from_slice(&body);
    out
}

/// A minimal valid DEX defining the given classes.
pub fn dex(descriptors: &[String]) -> Vec<u8> {
    let n = descriptors.len();
    let string_ids_off = 0x70;
    let type_ids_off = string_ids_off + 4 * n;
    let class_defs_off = type_ids_off + 4 * n;
    let mut out = vec![0u8; class_defs_off + 32 * n];
    out[..8].copy_from_slice(b"dex\n035\0");
    let put = |out: &mut Vec<u8>, at: usize, v: u32| out[at..at + 4].copy_from_slice(&v.to_le_bytes());
    put(&mut out, 36, 0x70);
    put(&mut out, 40, 0x1234_5678);
    for (at, off) in [(56, string_ids_off), (64, type_ids_off), (96, class_defs_off)] {
        put(&mut out, at, n as u32);
        put(&mut out, at + 4, off as u32);
    }
    for (i, d) in descriptors.iter().enumerate() {
        let str_off = out.len();
        out.push(d.chars().count() as u8);
        out.extend_from_slice(d.as_bytes());
        out.push(0);
        put(&mut out, string_ids_off + 4 * i, str_off as u32);
        put(&mut out, type_ids_off + 4 * i, i as u32);
        put(&mut out, class_defs_off + 32 * i, i as u32);
    }
    let len = out.len() as u32;
    put(&mut out, 32, len);
    out
}

/// A zip with the given entries (deflated).
pub fn zip(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, data) in entries {
        w.start_file(name.as_str(), opts).expect("zip entry");
        w.write_all(data).expect("zip data");
    }
    w.finish().expect("zip finish").into_inner()
}

/// The whole APK.
pub fn build(spec: &ApkSpec) -> Vec<u8> {
    let mut entries = vec![("AndroidManifest.xml".to_string(), manifest(spec))];
    if !spec.classes.is_empty() {
        entries.push(("classes.dex".into(), dex(&spec.classes)));
    }
    if let Some((path, png)) = &spec.icon {
        entries.push((path.clone(), png.clone()));
    }
    entries.extend(spec.extra.iter().cloned());
    zip(&entries)
}

/// A PNG of one colour.
pub fn png(width: u32, height: u32, rgba: [u8; 4]) -> Vec<u8> {
    let img = image::RgbaImage::from_pixel(width, height, image::Rgba(rgba));
    let mut out = Vec::new();
    img.write_to(&mut std::io::Cursor::new(&mut out), image::ImageFormat::Png)
        .expect("encode png");
    out
}
