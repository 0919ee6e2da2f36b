#!/usr/bin/env bash
# The browser the directory's tests drive: Debian's Chromium (Playwright's own browser download is
# not reachable from the project's machines), plus a CJK font so Chinese text renders in the
# screenshots (the site embeds Hangul and Latin/Vietnamese fonts; Chinese uses the system's).
# Installs only what is missing; prints the Chromium path on the last line.
set -euo pipefail

need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
fc-list 2>/dev/null | grep -qi "Noto Sans CJK" || need+=(fonts-noto-cjk)

if ((${#need[@]})); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "install_browser.sh: root needed to install ${need[*]} (apt-get) / 설치에 root 권한이 필요합니다" >&2
    exit 1
  fi
  bash "$(dirname "$0")/apt_install.sh" "${need[@]}" >/dev/null
fi
command -v chromium
