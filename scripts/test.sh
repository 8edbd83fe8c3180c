#!/usr/bin/env bash
# Lint, type check and the tests. The tests read the official files from ../shared/data
# (or $MAGNITSKY_SHARED_DATA) and fail if they are missing.
# On a fresh Debian machine (Python 3.11 and git only) it first installs from Debian what
# the tests need, when it is missing: Chromium (the browser tests drive Debian's
# /usr/bin/chromium through Playwright, never a downloaded browser), and the ICU headers
# and pkg-config that PyICU (under rigour's name handling) builds from source. That needs
# root (or sudo); elsewhere, install them yourself.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v dpkg >/dev/null 2>&1 && { dpkg -s libicu-dev >/dev/null 2>&1 || need+=(libicu-dev); }
command -v pkg-config >/dev/null 2>&1 || need+=(pkg-config)
if [ ${#need[@]} -gt 0 ]; then
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "installing from Debian: ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq "${need[@]}" >/dev/null
fi
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check src
.venv/bin/mypy
.venv/bin/pytest "$@"
