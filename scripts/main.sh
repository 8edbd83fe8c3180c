#!/usr/bin/env bash
# The main job, end to end: get the official files, build the store, print the yearly
# US Global Magnitsky table and write the annual report (out/report/index.html).
#   MAGNITSKY_DATA=DIR   build from a folder laid out like ../shared/data (offline)
#   otherwise            download every official source first (magnitsky fetch) into
#                        MAGNITSKY_ARCHIVE (default ./archive); a rejected download is
#                        reported and never archived, and the build reads what the archive
#                        holds (the URLs are settings: see README, "Fetching")
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export MAGNITSKY_DB=${MAGNITSKY_DB:-magnitsky.duckdb}
M=.venv/bin/magnitsky
if [ -n "${MAGNITSKY_DATA:-}" ]; then
  data=$MAGNITSKY_DATA
else
  data=${MAGNITSKY_ARCHIVE:-archive}
  $M fetch --into "$data" || echo "magnitsky fetch: some downloads were rejected (above);" \
    "building from what the archive holds" >&2
fi
$M build "$data"
echo
echo "US Global Magnitsky (E.O. 13818) designations per calendar year:"
$M stats yearly --program US-GLOMAG
year=${MAGNITSKY_REPORT_YEAR:-2023}
out=${MAGNITSKY_REPORT_DIR:-out/report}
$M report --program US-GLOMAG --year "$year" --out "$out"
echo "report for $year: $out/index.html"
