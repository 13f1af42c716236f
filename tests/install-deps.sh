# Sourced by tests/run and .ci/run: installs what the tests run for real, only when missing, so a
# second run is quick. Debian-based machines (apt); pyHanko from PyPI.
#   poppler-utils (pdfsig, pdffonts, pdftotext, pdfimages), openssl — the notice tests
#   xvfb, imagemagick (import; convert or magick for the themes' check), Mesa GL — the real window
#   and the clipboard under Xvfb
#   (poppler's pdfimages -list also counts the seal image; calamine, a crate, reads spreadsheets)
#   desktop-file-utils, appstream, dpkg-dev — the Debian package's checks
#   pyHanko — a second, independent PDF signature verifier
#   time (GNU time) — peak memory of the real binary on hostile packages
#   util-linux (unshare, setpriv), mount, coreutils (mkfifo) — a full disk, a read-only folder and an
#   unreadable one, made in a private mount namespace or as another user
#   python3 with pip — to install pyHanko, and xlwt (camille's spreadsheet writer)
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

need_apt=()
for pair in pdfsig:poppler-utils openssl:openssl Xvfb:xvfb import:imagemagick \
            desktop-file-validate:desktop-file-utils appstreamcli:appstream dpkg-shlibdeps:dpkg-dev \
            /usr/bin/time:time mkfifo:coreutils setpriv:util-linux unshare:util-linux mount:mount \
            python3:python3; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || need_apt+=("${pair##*:}")
done
# Mesa's software GL and the X libraries the window loads.
dpkg -s libgl1-mesa-dri libglx-mesa0 libegl1 libxkbcommon-x11-0 libxcursor1 libxi6 libx11-xcb1 >/dev/null 2>&1 \
  || need_apt+=(libgl1-mesa-dri libglx-mesa0 libegl1 libxkbcommon-x11-0 libxcursor1 libxi6 libx11-xcb1)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "== apt-get install ${need_apt[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

# pip as the machine has it: a plain install, Debian's Python's --break-system-packages, or pip
# itself from apt first.
pip_install() {
  python3 -m pip install -q "$@" 2>/dev/null \
    || python3 -m pip install -q --break-system-packages "$@" \
    || { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-pip >/dev/null \
         && python3 -m pip install -q --break-system-packages "$@"; }
}
if ! command -v pyhanko >/dev/null 2>&1; then
  echo "== pip install pyhanko pyhanko-cli"
  pip_install pyhanko pyhanko-cli
  command -v pyenv >/dev/null 2>&1 && pyenv rehash || true
fi
# xlwt: the library camille writes its Excel export with; the behaviour-log tests write real
# camille files with it.
if ! python3 -c 'import xlwt' >/dev/null 2>&1; then
  echo "== pip install xlwt"
  pip_install xlwt
fi
# The script directory pip wrote to, on the PATH the tests inherit.
PATH="$PATH:$(python3 -c 'import sysconfig; print(sysconfig.get_path("scripts"))'):$HOME/.local/bin"
export PATH
command -v pyhanko >/dev/null || { echo "pyhanko is not on the PATH after installing it" >&2; exit 1; }
python3 -c 'import xlwt' 2>/dev/null || { echo "xlwt cannot be imported after installing it" >&2; exit 1; }
