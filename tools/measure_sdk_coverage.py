#!/usr/bin/env python3
"""How many of the SDKs another tool lists the catalogue names: for README's figure.

Usage: tools/measure_sdk_coverage.py LIST
LIST is camille's utlis/sdk.json (a Python-literal list of {sdk_name, package_name}); it is read to
measure, never copied (camille publishes no licence). An SDK counts as named when the catalogue has
a class prefix covering one of its package names (or the package name covers the catalogue prefix,
for lists that give a class instead of a package).
"""
import ast, os, sys, tomllib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
catalogue = tomllib.load(open(os.path.join(ROOT, "assets", "sdk-catalogue.toml"), "rb"))["sdk"]
prefixes = [(p if p.endswith(".") else p + ".", e) for e in catalogue for p in e.get("classes", [])]

listed = ast.literal_eval(open(sys.argv[1], encoding="utf-8").read())
by_name = {}
for row in listed:
    by_name.setdefault(row["sdk_name"], []).append(row["package_name"].rstrip(".") + ".")

def named(pkg):
    return any(pkg.startswith(p) or p.startswith(pkg) for p, _ in prefixes)

hits = {n for n, pkgs in by_name.items() if any(named(p) for p in pkgs)}
with_entity = {n for n, pkgs in by_name.items()
               if any(pkg.startswith(p) and e.get("vendor_entity") for pkg in pkgs for p, e in prefixes)}
print(f"{len(hits)} of {len(by_name)} listed SDKs named ({100 * len(hits) // len(by_name)}%); "
      f"{len(with_entity)} with the vendor's legal entity")
if "-v" in sys.argv:
    for n in sorted(set(by_name) - hits):
        print("  unnamed:", n, " ".join(by_name[n]))
