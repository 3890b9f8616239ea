#!/usr/bin/env bash
# Installs everything cardscan needs on a Debian machine: system packages, then a venv
# in .venv with the project and its test tools. Safe to run again.
#   ./setup.sh               everything, for development and the tests
#   ./setup.sh --production  only what the server needs (no browser, no test tools): for a
#                            server install (deploy/cardscan.service) or a container image
set -euo pipefail
cd "$(dirname "$0")"

PRODUCTION=0
[ "${1:-}" = "--production" ] && PRODUCTION=1

APT_PACKAGES=(
  python3-venv
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-deu tesseract-ocr-fra tesseract-ocr-spa
  tesseract-ocr-por tesseract-ocr-ita tesseract-ocr-nld
  tesseract-ocr-kor tesseract-ocr-vie tesseract-ocr-rus tesseract-ocr-tha tesseract-ocr-hin
  tesseract-ocr-ara tesseract-ocr-osd
)
# Only for the tests, the screenshots and sample_cards/generate.py: a browser, fonts,
# libical (through GObject) that checks the calendar feed, and Redis for the queue tests (a
# server whose OCR workers run on several machines installs Redis itself: docs/deploy.md).
DEV_APT_PACKAGES=(
  chromium fonts-dejavu-core fonts-liberation
  fonts-noto-cjk fonts-noto-core
  gir1.2-ical-3.0
  khard
  python3-gi
  redis-server
)
[ "$PRODUCTION" = 1 ] || APT_PACKAGES+=("${DEV_APT_PACKAGES[@]}")

missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  echo "setup: installing system packages: ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

PYTHON=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install -q --upgrade pip
if [ "$PRODUCTION" = 1 ]; then
  .venv/bin/python -m pip install -q --no-cache-dir -e .
else
  .venv/bin/python -m pip install -q -e '.[test]'
fi
echo "setup: done. Run .venv/bin/cardscan --help"
