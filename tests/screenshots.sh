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
# The sample re-inspected on its rectified version: the overview shows the two rounds side by side.
REINSPECTED=$("$BIN" case sample --reinspected)
# An issuing authority and two officers, so the notice view shows a notice that could be issued.
"$BIN" authority set 广东省通信管理局 --prefix 粤通管责改 --court 广州铁路运输法院 \
  --contact "网络安全管理处 王五 020-12345678" >/dev/null
"$BIN" case inspectors "$ID" --inspector 张三=粤A0001 --inspector 李四=粤A0002 >/dev/null
# The window reopens on the last case.
reopen_on() {
python3 - "$WORK/cases.ui.json" "$1" <<'PY'
import json, sys
json.dump({"lang": "zh", "last_case": sys.argv[2], "last_testpoint": "4.1", "inspector": "张三",
           "authority": "广东省通信管理局"}, open(sys.argv[1], "w"))
PY
}
reopen_on "$ID"
. "$(dirname "$0")/xvfb.sh"
XVFB_SCREEN=1920x1080 start_xvfb
# shot THEME SIZE VIEW FILE: the window in that theme and size, on that view, cropped to the window.
shot() {
  APP_INSPECTOR_THEME=$1 APP_INSPECTOR_WINDOW=$2 APP_INSPECTOR_VIEW=$3 "$BIN" >"$WORK/$3.log" 2>&1 &
  APP=$!
  sleep 4
  if ! kill -0 $APP 2>/dev/null; then
    echo "the window did not stay open for view $3 ($1, $2):" >&2
    cat "$WORK/$3.log" >&2
    exit 1
  fi
  import -window root -crop "$2+0+0" +repage "$4"
  kill $APP
  wait $APP 2>/dev/null || true
}
# The README's pictures: every view, light, 1280×720.
for view in cases overview walker evidence behaviours score notice settings; do
  # The overview on the re-inspected sample: its rounds and the two versions side by side.
  if [ $view = overview ]; then reopen_on "$REINSPECTED"; else reopen_on "$ID"; fi
  shot light 1280x720 $view "$OUT/$view.png"
done
reopen_on "$ID"
# Both themes at both sizes for the busiest views.
mkdir -p "$OUT/more"
for theme in light dark; do
  for size in 1280x720 1920x1080; do
    for view in walker notice; do
      shot $theme $size $view "$OUT/more/$theme-$size-$view.png"
    done
  done
done
# The light theme is light and the dark one dark (mean grey level of the whole window).
# ImageMagick 7 names it magick; 6 (Debian's until trixie) convert.
mean() {
  if command -v magick >/dev/null 2>&1; then
    magick "$1" -colorspace Gray -format "%[fx:mean]" info:
  else
    convert "$1" -colorspace Gray -format "%[fx:mean]" info:
  fi
}
for size in 1280x720 1920x1080; do
  light=$(mean "$OUT/more/light-$size-walker.png")
  dark=$(mean "$OUT/more/dark-$size-walker.png")
  python3 - "$light" "$dark" "$size" <<'PY'
import sys
light, dark, size = float(sys.argv[1]), float(sys.argv[2]), sys.argv[3]
assert light > 0.75, f"the light theme at {size} is not light: mean grey {light:.2f}"
assert dark < 0.35, f"the dark theme at {size} is not dark: mean grey {dark:.2f}"
print(f"themes at {size}: light {light:.2f}, dark {dark:.2f}")
PY
done
echo "screenshots in $OUT"
