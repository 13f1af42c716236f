#!/usr/bin/env python3
"""Builds assets/sdk-catalogue.toml from the curated list and the public signature sets.

Usage: tools/build_sdk_catalogue.py [SIGNATURES_DIR]   (default ../shared/reference/sdk-signatures)

Order of precedence: curated entries (tools/sdk-curated.toml, sdk-china.toml, sdk-open-source.toml), then
LibChecker-Rules (Apache-2.0), Exodus ETIP trackers (ODbL 1.0), LibRadar tag rules (Apache-2.0).
Curated entries are all kept (a longer prefix names a sub-product); a generated entry whose every
signature is already covered by an earlier entry is dropped. Regex signatures that are not plain
prefixes are skipped (their count is printed). Vendors' legal entities come from
tools/sdk-vendors.toml: by the curated entry's vendor, or by LibChecker's team name.
The output is a derived database: see assets/sdk-signatures/NOTICE.md.
"""
import csv, hashlib, json, os, re, sqlite3, sys, tomllib

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SRC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "..", "shared", "reference", "sdk-signatures")
PLAIN = re.compile(r"^[A-Za-z0-9_$.]+$")
SKIP_PREFIX = ("android.", "java.", "javax.", "dalvik.", "kotlin.", "org.w3c.", "org.xml.", "org.json.")

def category_of(text):
    t = text.lower()
    for cat, words in [
        ("hot-update", ["热更新", "热修复", "hotfix", "hot fix", "tinker", "插件化"]),
        ("push", ["推送", "push"]),
        ("advertising", ["广告", "advert", " ads", "ad sdk", "admob", "mobads"]),
        ("payment", ["支付", " pay", "pay ", "billing", "alipay", "unionpay"]),
        ("location", ["地图", "定位", " map", "map ", "location", "lbs"]),
        ("analytics", ["统计", "分析", "analytic", "tracking", "tracker"]),
        ("crash-reporting", ["崩溃", "crash", "apm", "性能监控"]),
        ("social", ["分享", "登录", "share", "login", "social", "即时通讯", " im "]),
        ("identification", ["设备标识", "oaid", "fingerprint", "设备指纹", "认证", "verify"]),
    ]:
        if any(w in t for w in words):
            return cat
    return "library"

EXODUS_CAT = {"Advertisement": "advertising", "Analytics": "analytics", "Crash reporting": "crash-reporting",
              "Location": "location", "Identification": "identification", "Profiling": "analytics"}
LIBRADAR_CAT = {"Advertisement": "advertising", "Social Network": "social", "Mobile Analytics": "analytics",
                "Payment": "payment", "Map/LBS": "location", "Digital Identity": "identification",
                "App Market": "library"}

def slug(text, prefix):
    s = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    if not s or len(s) < 2:
        s = hashlib.sha1(text.encode()).hexdigest()[:8]
    return f"{prefix}-{s}"

CURATED_LICENCE = "Apache-2.0 (this project)"

def load_vendors():
    vendors = tomllib.load(open(os.path.join(HERE, "sdk-vendors.toml"), "rb"))["vendor"]
    by_name = {}
    for key, v in vendors.items():
        for name in [key, v["display"], *v.get("aliases", [])]:
            by_name.setdefault(name.lower(), v)
    return vendors, by_name

def main():
    vendors, vendor_by_name = load_vendors()
    curated = tomllib.load(open(os.path.join(HERE, "sdk-curated.toml"), "rb"))["sdk"]
    for e in curated:
        v = vendor_by_name.get(e["vendor"].lower())
        e["vendor_entity"] = v["entity"] if v else ""
        e["licence"] = CURATED_LICENCE
    for e in tomllib.load(open(os.path.join(HERE, "sdk-china.toml"), "rb"))["sdk"]:
        v = vendors[e["vendor"]]  # a KeyError here is a typo in sdk-china.toml
        e["vendor"], e["vendor_entity"] = v["display"], v["entity"]
        e["source"] = "curated from vendor documentation (tools/sdk-china.toml)"
        e["licence"] = CURATED_LICENCE
        curated.append(e)
    for e in tomllib.load(open(os.path.join(HERE, "sdk-open-source.toml"), "rb"))["sdk"]:
        e["vendor_entity"] = ""
        e["source"] = "curated from project documentation (tools/sdk-open-source.toml)"
        e["licence"] = CURATED_LICENCE
        curated.append(e)
    ids = [e["id"] for e in curated]
    assert len(ids) == len(set(ids)), sorted({i for i in ids if ids.count(i) > 1})
    seen = {}
    for e in curated:
        for sig in e.get("classes", []) + e.get("native", []):
            assert sig not in seen, f"{sig} in both {seen[sig]} and {e['id']}"
            seen[sig] = e["id"]
    entries = list(curated)
    covered_classes = [c for e in curated for c in e.get("classes", [])]
    covered_native = {n for e in curated for n in e.get("native", [])}
    covered_components = set()
    skipped_regex = 0

    def class_covered(p):
        return any(p.startswith(c) for c in covered_classes)

    def add(entry):
        classes = [c for c in entry.get("classes", []) if not class_covered(c)]
        native = [n for n in entry.get("native", []) if not any(n.startswith(k) for k in covered_native)]
        components = [c for c in entry.get("components", []) if not class_covered(c) and c not in covered_components]
        if not (classes or native or components):
            return
        entry["classes"], entry["native"], entry["components"] = classes, native, components
        # A name two entries share gets a suffix from the entry's own signatures, never a running
        # number: an id keeps meaning the same SDK when other entries come or go.
        ids = {e["id"] for e in entries}
        if entry["id"] in ids:
            sig = "|".join([entry.get("name", "")] + classes + native + components)
            entry["id"] = f'{entry["id"]}-{hashlib.sha1(sig.encode()).hexdigest()[:6]}'
        base, n = entry["id"], 2
        while entry["id"] in ids:
            entry["id"] = f"{base}-{n}"; n += 1
        entries.append(entry)
        covered_classes.extend(classes); covered_native.update(native); covered_components.update(components)

    # LibChecker-Rules: grouped by label.
    lc_dir = os.path.join(SRC, "libchecker-rules")
    db = sqlite3.connect(os.path.join(lc_dir, "rules.db"))
    groups = {}
    for name, label, typ, is_regex in db.execute("select name, label, type, isRegexRule from rules_table"):
        if is_regex:
            skipped_regex += 1
            continue
        g = groups.setdefault(label, {"classes": [], "native": [], "components": [], "meta": None})
        folder = {0: "native-libs", 1: "services-libs", 2: "activities-libs", 3: "receivers-libs",
                  4: "providers-libs", 5: "static-libs", 6: "static-libs"}.get(typ)
        meta_path = os.path.join(lc_dir, folder or "", name + ".json")
        if g["meta"] is None and os.path.exists(meta_path):
            g["meta"] = json.load(open(meta_path, encoding="utf-8"))
        if typ == 0:
            g["native"].append(name[:-3] if name.endswith(".so") else name)
        elif typ == 5:
            if not name.startswith(SKIP_PREFIX) and not name.startswith("androidx."):
                g["classes"].append(name + ".")
        elif typ in (1, 2, 3, 4):
            g["components"].append(name)
    for label, g in sorted(groups.items()):
        meta = g["meta"] or {}
        team = meta.get("team", "")
        v = vendor_by_name.get(team.lower())
        add({"id": slug(label, "lc"), "name": label, "name_zh": label, "vendor": team,
             "vendor_entity": v["entity"] if v else "", "category": category_of(label),
             "classes": g["classes"], "native": sorted(set(g["native"])), "components": g["components"],
             "source": "LibChecker-Rules", "licence": "Apache-2.0"})

    # Exodus trackers.
    data = json.load(open(os.path.join(SRC, "exodus-trackers.json"), encoding="utf-8"))
    trackers = data.get("trackers", data)
    for t in sorted(trackers.values(), key=lambda t: int(t["id"])):
        classes = []
        for alt in (t.get("code_signature") or "").split("|"):
            alt = alt.replace("\\.", ".").strip()
            if not alt:
                continue
            if not PLAIN.match(alt):
                skipped_regex += 1
                continue
            if not alt.startswith(SKIP_PREFIX):
                classes.append(alt)
        cats = [EXODUS_CAT.get(c, "analytics") for c in t.get("categories") or []]
        web = (t.get("website") or "").split("/")[2] if "://" in (t.get("website") or "") else ""
        add({"id": f"exodus-{t['id']}", "name": t["name"], "name_zh": t["name"], "vendor": web,
             "category": cats[0] if cats else category_of(t["name"]), "classes": classes,
             "source": f"Exodus ETIP tracker {t['id']}", "licence": "ODbL-1.0"})

    # LibRadar: only the kinds that bear on personal information.
    with open(os.path.join(SRC, "libradar-tag_rules.csv"), encoding="utf-8") as f:
        for row in csv.DictReader(f):
            cat = LIBRADAR_CAT.get(row.get("Type") or "")
            path = row.get("Package Name") or ""
            if not cat or not path.startswith("L"):
                continue
            prefix = path[1:].replace("/", ".") + "."
            if prefix.startswith(SKIP_PREFIX):
                continue
            add({"id": slug(row["Library Name"], "lr"), "name": row["Library Name"], "name_zh": row["Library Name"],
                 "vendor": (row.get("Official Website") or "").split("/")[2] if "://" in (row.get("Official Website") or "") else "",
                 "category": cat, "classes": [prefix], "source": "LibRadar", "licence": "Apache-2.0"})

    def q(s):
        return json.dumps(s, ensure_ascii=False)
    out = ["# GENERATED by tools/build_sdk_catalogue.py — edit tools/sdk-curated.toml and re-run.",
           "# Derived from Exodus ETIP (ODbL 1.0), LibChecker-Rules and LibRadar (Apache-2.0):",
           "# see assets/sdk-signatures/NOTICE.md for attribution and the licence of this database.",
           f"# {len(entries)} SDKs.", ""]
    for e in entries:
        out.append("[[sdk]]")
        for k in ("id", "name", "name_zh", "vendor", "category"):
            out.append(f"{k} = {q(e.get(k, ''))}")
        for k in ("vendor_entity", "pi_rules"):
            if e.get(k):
                out.append(f"{k} = {q(e[k])}")
        for k in ("classes", "native", "components"):
            if e.get(k):
                out.append(f"{k} = [{', '.join(q(v) for v in e[k])}]")
        out.append(f"source = {q(e.get('source', 'curated'))}")
        out.append(f"licence = {q(e['licence'])}")
        out.append("")
    open(os.path.join(ROOT, "assets", "sdk-catalogue.toml"), "w", encoding="utf-8").write("\n".join(out))
    with_entity = [e for e in entries if e.get("vendor_entity")]
    chinese = [e for e in with_entity if re.search(r"[\u4e00-\u9fff]", e["vendor_entity"])]
    print(f"{len(entries)} SDKs written; {len(with_entity)} name their vendor's legal entity "
          f"({len(chinese)} a company in China), {sum(1 for e in entries if e.get('pi_rules'))} their "
          f"personal-information rules; {skipped_regex} regex signatures skipped", file=sys.stderr)

main()
