#!/usr/bin/env bash
# Builds the Debian package from the release binary, validates its desktop entry and AppStream
# metadata, installs it on this machine, runs the installed binary (--version, a scan, the
# window under Xvfb), then removes it again. Run as root on a Debian-based machine by .ci/run.
# Needs: cargo-deb, dpkg-dev, desktop-file-utils, appstream, xvfb (.ci/run installs them).
set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$(pwd)
TARGET="${CARGO_TARGET_DIR:-target}"
CORPUS="${APP_INSPECTOR_CORPUS:-$(cd .. && pwd)/shared/corpus}"

echo "-- desktop-file-validate, appstreamcli validate"
desktop-file-validate packaging/linux/cn.appinspector.AppInspector.desktop
appstreamcli validate --no-net packaging/linux/cn.appinspector.AppInspector.metainfo.xml

echo "-- cargo deb"
rm -f "$TARGET"/debian/app-inspector_*.deb
cargo deb --no-build --locked
DEB=$(ls "$TARGET"/debian/app-inspector_*.deb)
dpkg-deb --info "$DEB" | sed -n '/Package:/,/Description:/p'

echo "-- install $DEB"
export DEBIAN_FRONTEND=noninteractive
# apt resolves the libraries the window needs from the package's Depends.
apt-get install -y -qq "$(realpath "$DEB")" >/dev/null \
  || { apt-get update -qq && apt-get install -y -qq "$(realpath "$DEB")" >/dev/null; }
trap 'apt-get remove -y -qq app-inspector >/dev/null 2>&1 || true' EXIT
for f in /usr/bin/app-inspector /usr/share/applications/cn.appinspector.AppInspector.desktop \
         /usr/share/metainfo/cn.appinspector.AppInspector.metainfo.xml \
         /usr/share/icons/hicolor/256x256/apps/app-inspector.png \
         /usr/share/icons/hicolor/scalable/apps/app-inspector.svg \
         /usr/share/app-inspector/checklists/miit-2023-26.toml; do
  test -f "$f" || { echo "the package did not install $f" >&2; exit 1; }
done
# The installed metadata as the desktop sees it.
desktop-file-validate /usr/share/applications/cn.appinspector.AppInspector.desktop
appstreamcli validate --no-net /usr/share/metainfo/cn.appinspector.AppInspector.metainfo.xml >/dev/null

echo "-- the installed binary"
cd /tmp
VERSION=$(/usr/bin/app-inspector --version)
echo "$VERSION"
grep -q "data folder: /usr/share/app-inspector" <<<"$VERSION" || { echo "--version does not find the data folder" >&2; exit 1; }
grep -q "miit-2023-26.toml (same as built in)" <<<"$VERSION" || { echo "the installed checklist differs from the built-in one" >&2; exit 1; }
SCAN=$(/usr/bin/app-inspector scan --json "$CORPUS/apk/androguard_com.politedroid_4.apk")
grep -q '"package": "com.politedroid"' <<<"$SCAN" || { echo "scan from the installed binary failed: $SCAN" >&2; exit 1; }
echo "scan: com.politedroid read by the installed binary"

echo "-- the installed window opens (Xvfb)"
WORK=$(mktemp -d)
. "$REPO/tests/xvfb.sh"
start_xvfb
trap 'kill $XVFB_PID 2>/dev/null || true; rm -rf "$WORK"; apt-get remove -y -qq app-inspector >/dev/null 2>&1 || true' EXIT
set +e
APP_INSPECTOR_DB="$WORK/cases.sqlite" timeout 6 /usr/bin/app-inspector >"$WORK/log" 2>&1
rc=$?
set -e
if [ $rc -ne 124 ]; then
  echo "the installed window did not stay open (exit $rc):" >&2
  cat "$WORK/log" >&2
  exit 1
fi
echo "the installed window stayed open"
