#!/usr/bin/env bash
# Make sure the OpenAI-compatible test server is available: llama-cpp-python with its [server] extras in
# $cache/venv-llamacpp (the venv Scripts/make-smollm2-fixture.sh builds; same pin) and the SmolLM2-135M
# GGUF. Fast when both are there; otherwise builds llama-cpp-python from source (several minutes).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
venv="$cache/venv-llamacpp"
llama_pin="llama-cpp-python==0.3.36"
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import llama_cpp" 2>/dev/null; then
  python3 -m venv "$venv"
  echo "setup-llamacpp-server: building $llama_pin from source (several minutes)…" >&2
  CMAKE_ARGS="${CMAKE_ARGS:--DGGML_NATIVE=OFF}" CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-2}" \
    nice -n 10 "$venv/bin/pip" install --quiet --disable-pip-version-check "$llama_pin" >&2
fi
if ! "$venv/bin/python" -c "import llama_cpp.server.app, uvicorn, sse_starlette, starlette_context, pydantic_settings" \
  2>/dev/null; then
  # The [server] extras only; never rebuild llama-cpp-python itself here.
  "$venv/bin/pip" install --quiet --disable-pip-version-check uvicorn fastapi sse-starlette pydantic-settings \
    starlette-context >&2
fi
bash "$here/fetch-smollm2.sh" >/dev/null
