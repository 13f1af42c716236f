#!/usr/bin/env bash
# Starts the real window under Xvfb on the sample case and saves a screenshot of each view in
# OUT_DIR (default target/screenshots). A window that cannot open fails this script.
# Needs: xvfb, imagemagick (import), Mesa GL (libgl1-mesa-dri); .ci/run installs them.
set -euo pipefail
BIN="${1:?usage: tests/screenshots.sh path/to/app-inspector [OUT_DIR]}"
OUT="${2:-target/screenshots}"
CORPUS="${APP_INSPECTOR_CORPUS:-$(cd "$(dirname "$0")/../.." && pwd)/shared/corpus}"
mkdir -p "$OUT"
WORK=$(mktemp -d)
XVFB_PID=
trap '[ -n "$XVFB_PID" ] && kill $XVFB_PID 2>/dev/null; rm -rf "$WORK"' EXIT
export APP_INSPECTOR_DB="$WORK/cases.sqlite" APP_INSPECTOR_ACTOR=张三
# A real package from the corpus, judged a little, and the sample case (synthetic package and
# screenshots, annotated), which the window reopens on.
REAL=$("$BIN" case new --package "$CORPUS/apk/bugly_hotfix_demo-release.apk" --subject-name 深圳市示例科技有限公司 --inspector 张三)
"$BIN" case assess "$REAL" 9.2 --status non-compliant --note "从主界面需5次点击才能访问隐私政策" >/dev/null
"$BIN" case assess "$REAL" 3.1 --status compliant >/dev/null
ID=$("$BIN" case sample)
# An issuing authority and two officers, so the notice view shows a notice that could be issued.
"$BIN" authority set 广东省通信管理局 --prefix 粤通管责改 --court 广州铁路运输法院 \
  --contact "网络安全管理处 王五 020-12345678" >/dev/null
"$BIN" case inspectors "$ID" --inspector 张三=粤A0001 --inspector 李四=粤A0002 >/dev/null
# The window reopens on the last case.
python3 - "$WORK/cases.ui.json" "$ID" <<'PY'
import json, sys
json.dump({"lang": "zh", "last_case": sys.argv[2], "last_testpoint": "4.1", "inspector": "张三",
           "authority": "广东省通信管理局"}, open(sys.argv[1], "w"))
PY
. "$(dirname "$0")/xvfb.sh"
start_xvfb
for view in cases overview walker evidence score notice settings; do
  APP_INSPECTOR_VIEW=$view "$BIN" >"$WORK/$view.log" 2>&1 &
  APP=$!
  sleep 4
  if ! kill -0 $APP 2>/dev/null; then
    echo "the window did not stay open for view $view:" >&2
    cat "$WORK/$view.log" >&2
    exit 1
  fi
  import -window root "$OUT/$view.png"
  kill $APP
  wait $APP 2>/dev/null || true
done
echo "screenshots in $OUT"
