#!/usr/bin/env bash
# Quick path to the SmolLM2 tokenizer dump used by TokenizersTests' llama.cpp parity tests: fetches
# the GGUF (Scripts/fetch-smollm2.sh) and writes $cache/smollm2/tokenizer-dump.json with only the
# pure-Python `gguf` package (venv at $cache/venv-gguf; seconds, no llama.cpp build). Idempotent;
# prints the dump's path.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
venv="$cache/venv-gguf"
dump="$cache/smollm2/tokenizer-dump.json"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import gguf" 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check "gguf==0.19.0" >&2
fi
gguf_path="$(bash "$here/fetch-smollm2.sh")"
if [ ! -s "$dump" ] || [ "$gguf_path" -nt "$dump" ]; then
  "$venv/bin/python" "$here/make-smollm2-fixture.py" --gguf "$gguf_path" --dump "$dump" --dump-only
fi
echo "$dump"
