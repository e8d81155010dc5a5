#!/usr/bin/env bash
# Make sure Debian's chromium (and a CJK font, so screenshots show the Chinese text) is
# installed for the browser test (tests/pages/test_browser.py, marker `browser`); the same font
# draws the Chinese PDFs that tests/test_sources.py reads back (fonts-wqy-zenhei). Installs with
# apt-get when missing, quietly and without questions; needs root (CI runs as root). Playwright
# drives this chromium: `playwright install` is never run (it downloads its own browser build).
set -euo pipefail
missing=()
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
[ -e /usr/share/fonts/truetype/wqy/wqy-zenhei.ttc ] || missing+=(fonts-wqy-zenhei)
if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "browser test: ${missing[*]} missing; install with: sudo apt-get install -y ${missing[*]}" >&2
  exit 0  # the browser test then fails and says the same
fi
export DEBIAN_FRONTEND=noninteractive
echo "installing ${missing[*]} for the browser test (apt-get)"
apt-get update -qq >/dev/null
apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
