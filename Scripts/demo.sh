#!/usr/bin/env bash
# The main job on a fresh machine: installs what is missing, builds in release, runs `recheck demo`
# (arguments are passed through, e.g. --quick, --full, --seed 2, --json tables.json).
set -euo pipefail
cd "$(dirname "$0")/.."
bash Scripts/install-deps.sh
swift build -c release -Xswiftc -enable-testing --product recheck >&2
exec .build/release/recheck demo "$@"
