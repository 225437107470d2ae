#!/usr/bin/env bash
# Start llama-cpp-python's OpenAI-compatible server on a loopback port, in the background; wait until it
# answers GET /v1/models, then print its PID on stdout. Used by the OpenAICompatibleModel integration test.
#   usage: Scripts/start-llamacpp-server.sh PORT [MODEL.gguf] [LOGFILE]
# Python: $RECHECK_LLAMACPP_PYTHON, else <cache>/venv-llamacpp/bin/python (set up by Scripts/test.sh).
# Model: the argument, else Scripts/fetch-smollm2.sh. Stop it with `kill PID`.
set -euo pipefail
port="${1:?usage: start-llamacpp-server.sh PORT [MODEL.gguf] [LOGFILE]}"
here="$(cd "$(dirname "$0")" && pwd)"
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
python="${RECHECK_LLAMACPP_PYTHON:-$cache/venv-llamacpp/bin/python}"
model="${2:-$(bash "$here/fetch-smollm2.sh")}"
log="${3:-/dev/null}"
"$python" -c "import llama_cpp.server, uvicorn" 2>/dev/null \
  || { echo "start-llamacpp-server: $python lacks llama_cpp.server (pip install 'llama-cpp-python[server]')" >&2; exit 2; }
# One thread (RECHECK_LLAMACPP_THREADS to change) and a small context (RECHECK_LLAMACPP_CTX) keep the
# 135M model light on a shared 2-core machine; `seed` fixes the server's default RNG (each request
# also sends its own).
threads="${RECHECK_LLAMACPP_THREADS:-1}"
"$python" -m llama_cpp.server --model "$model" --host 127.0.0.1 --port "$port" \
  --n_ctx "${RECHECK_LLAMACPP_CTX:-1024}" --n_threads "$threads" --n_threads_batch "$threads" --seed 1234 >"$log" 2>&1 &
exec bash "$here/wait-for-server.sh" start-llamacpp-server "$!" "$port" "$log"
