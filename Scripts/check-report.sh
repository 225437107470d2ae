#!/usr/bin/env bash
# Renders a Recheck HTML report to a PNG with headless Chromium, for visual inspection.
#   bash Scripts/check-report.sh RUN_DIR [OUT.png] [HEIGHT]
# Rebuilds the report with `recheck report` (so the screenshot shows the current layout: facts,
# Table 1/2, Figures 1/2, per-stage curves, samples); installs Debian's chromium when it is not on
# PATH. HEIGHT (default 4000 px) is the window height: headless Chromium shoots only the window, so
# make it tall enough for the whole page.
set -euo pipefail
cd "$(dirname "$0")/.."
run_dir=${1:?usage: check-report.sh RUN_DIR [OUT.png]}
png=${2:-$run_dir/report.png}
height=${3:-4000}
html="$run_dir/report.html"
swift build -c release -Xswiftc -enable-testing --product recheck >/dev/null
.build/release/recheck report "$run_dir" --out "$html"
if ! command -v chromium >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ]; then apt-get update -qq && apt-get install -y -qq chromium >/dev/null
  else sudo apt-get update -qq && sudo apt-get install -y -qq chromium >/dev/null; fi
fi
abs_html=$(cd "$(dirname "$html")" && pwd)/$(basename "$html")
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars \
  --screenshot="$png" --window-size=1280,"$height" "file://$abs_html" 2>/dev/null
test -s "$png" || { echo "no screenshot written" >&2; exit 1; }
echo "screenshot: $png"
