#!/usr/bin/env bash
# Lint, type check and the tests. The tests read the official files from ../shared/data
# (or $MAGNITSKY_SHARED_DATA) and fail if they are missing.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
.venv/bin/ruff check .
.venv/bin/ruff format --check src
.venv/bin/mypy
.venv/bin/pytest "$@"
