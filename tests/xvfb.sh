# Sourced by the scripts that open the real window: starts Xvfb on a free display (Xvfb picks it
# with -displayfd, so a stale lock from an earlier run cannot get in the way), exports DISPLAY
# and sets XVFB_PID. Mesa's software GL draws the window.
start_xvfb() {
  local out
  out=$(mktemp)
  Xvfb -displayfd 3 -screen 0 "${XVFB_SCREEN:-1280x800}x24" -nolisten tcp 3>"$out" >/dev/null 2>&1 &
  XVFB_PID=$!
  for _ in $(seq 100); do
    [ -s "$out" ] && break
    sleep 0.1
  done
  [ -s "$out" ] || { echo "Xvfb did not start" >&2; return 1; }
  export DISPLAY=":$(tr -d '\n' <"$out")" LIBGL_ALWAYS_SOFTWARE=1
  rm -f "$out"
}
