#!/usr/bin/env bash
# `recheck bench train --model FILE` next to transformers + PyTorch CPU: tokens/s and peak memory of one
# full fine-tuning step (forward, cross-entropy, backward, AdamW) of SmolLM2-135M per (seq, batch) shape,
# each side in a fresh process per shape. Creates the transformers venv under the Recheck cache when
# missing (as Scripts/check-hf-export.sh), fetches the model, builds in release, runs both.
# Extra flags pass through, e.g. `--seq 256 --batch 1 --steps 2`.
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
venv="$cache/venv-hf"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torch, transformers" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check torch==2.13.0 transformers==5.25.0 \
    safetensors numpy
fi
model="$(bash Scripts/fetch-smollm2.sh)"
swift build -c release -Xswiftc -enable-testing --product recheck >&2
OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}" \
  .build/release/recheck bench train --model "$model" --python "$venv/bin/python" "$@"
