#!/usr/bin/env bash
# `recheck bench train` next to PyTorch CPU: tokens/s of one training step (forward, cross-entropy,
# backward, AdamW) of a 4-layer d=128 model at seq 128, batch 32. Creates the torch venv under the Recheck
# cache when missing (the pinned CPU wheel, torch==2.13.0; plain `torch` would pull ~3 GB of CUDA),
# builds in release, runs both.
# `--rounds N` repeats the (Recheck, PyTorch) pair N times and prints the median ratio: the machine's
# speed drifts between minutes, so one pair can mislead either way.
# On shared cores, PyTorch's OpenMP threads spin at barriers and its figure swings by several times from
# run to run; `OMP_WAIT_POLICY=passive bash Scripts/bench-train.sh` gives steadier peer figures.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
venv="$cache/venv-torch"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torch" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check torch==2.13.0 numpy
fi
swift build -c release -Xswiftc -enable-testing --product recheck >&2
.build/release/recheck bench train --python "$venv/bin/python" "$@"
