#!/usr/bin/env bash
# `recheck bench generate` next to llama.cpp (llama-cpp-python) on this machine: SmolLM2-135M-Instruct
# Q4_1 decode tokens/s (batch 1) and batched sampling throughput. Creates the llama-cpp-python venv under
# the Recheck cache when missing (first run builds llama.cpp from PyPI's sdist), fetches the model,
# builds in release, runs both. Extra arguments go to the bench (e.g. --peer-omp-passive --repeats 5).
set -euo pipefail
cd "$(dirname "$0")/.."
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
venv="$cache/venv-llamacpp"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import llama_cpp" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "llama-cpp-python==0.3.36"
fi
model="$(bash Scripts/fetch-smollm2.sh)"
swift build -c release -Xswiftc -enable-testing --product recheck >&2
.build/release/recheck bench generate --model "$model" --python "$venv/bin/python" "$@"
