#!/usr/bin/env bash
# `recheck bench tensor` next to NumPy and PyTorch CPU on this machine. Creates a venv with numpy and
# torch under the Recheck cache (the pinned CPU wheel torch==2.13.0), builds in release, runs both.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
venv="$cache/venv-torch"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torch, numpy" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check torch==2.13.0 numpy
fi
swift build -c release -Xswiftc -enable-testing --product recheck >&2
.build/release/recheck bench tensor --peer "$venv/bin/python" "$@"
