#!/usr/bin/env bash
# Regenerate Tests/ModelsTests/Fixtures/smollm2-llamacpp.json (llama.cpp reference tokens, logits and
# greedy continuation for SmolLM2-135M-Instruct Q4_1), dump the GGUF tokenizer arrays to
# $cache/smollm2/tokenizer-dump.json for the Tokenizers parity test, and regenerate
# Tests/TokenizersTests/Fixtures/pretokenizer-hf.json (HF tokenizers splits).
# Creates a venv at $cache/venv-llamacpp with llama-cpp-python (built from source: several minutes on
# 2 cores), gguf and tokenizers. Idempotent; pass --deps-only to only build the venv.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/.." && pwd)"
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
venv="$cache/venv-llamacpp"
# Pinned so the fixture's provenance is reproducible.
llama_pin="llama-cpp-python==0.3.36"
gguf_pin="gguf==0.19.0"
hf_pin="tokenizers==0.23.3"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import llama_cpp, gguf, tokenizers" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check --upgrade pip >&2
  echo "make-smollm2-fixture: building $llama_pin from source (several minutes)…" >&2
  CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
    nice -n 10 "$venv/bin/pip" install --disable-pip-version-check "$llama_pin" "$gguf_pin" "$hf_pin" >&2
fi
if [ "${1:-}" = "--deps-only" ]; then exit 0; fi
gguf_path="$(bash "$here/fetch-smollm2.sh")"
"$venv/bin/python" "$here/make-smollm2-fixture.py" \
  --gguf "$gguf_path" \
  --out "$root/Tests/ModelsTests/Fixtures/smollm2-llamacpp.json" \
  --dump "$cache/smollm2/tokenizer-dump.json"
"$venv/bin/python" "$here/make-pretokenizer-fixture.py"
