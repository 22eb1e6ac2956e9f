#!/usr/bin/env bash
# Installs the Debian packages the test suite uses for real, only when missing.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium chromium-driver)
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
command -v soffice >/dev/null 2>&1 || need+=(libreoffice-calc-nogui)
# Writer renders bulletin.docx to PDF (tests/test_reports_outputs.py)
[ -e /usr/lib/libreoffice/program/libswlo.so ] || need+=(libreoffice-writer-nogui)
command -v fc-list >/dev/null 2>&1 && fc-list :lang=zh | grep -q . || need+=(fonts-noto-cjk)
if [ ${#need[@]} -gt 0 ]; then
  echo "installing Debian packages: ${need[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
