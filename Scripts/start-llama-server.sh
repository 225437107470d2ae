#!/usr/bin/env bash
# Start llama.cpp's `llama-server` (Scripts/setup-llama-server.sh) on a loopback port, in the background,
# with several slots decoded as one batch; wait until it answers GET /v1/models, then print its PID.
#   usage: Scripts/start-llama-server.sh PORT [MODEL.gguf] [LOGFILE]
# Binary: $RECHECK_LLAMA_SERVER, else Scripts/setup-llama-server.sh's. Slots: $RECHECK_LLAMA_SERVER_SLOTS
# (default 8; send that many requests at once: `--max-concurrency`, `s2r collect --chunk`), context per
# slot $RECHECK_LLAMACPP_CTX (default 1536), threads $RECHECK_LLAMACPP_THREADS (default 2).
set -euo pipefail
port="${1:?usage: start-llama-server.sh PORT [MODEL.gguf] [LOGFILE]}"
here="$(cd "$(dirname "$0")" && pwd)"
bin="${RECHECK_LLAMA_SERVER:-$(bash "$here/setup-llama-server.sh")}"
model="${2:-$(bash "$here/fetch-smollm2.sh")}"
log="${3:-/dev/null}"
slots="${RECHECK_LLAMA_SERVER_SLOTS:-8}"
ctx="${RECHECK_LLAMACPP_CTX:-1536}"
threads="${RECHECK_LLAMACPP_THREADS:-2}"
"$bin" --model "$model" --host 127.0.0.1 --port "$port" --threads "$threads" --parallel "$slots" \
  --ctx-size $((slots * ctx)) --no-webui --seed 1234 >"$log" 2>&1 &
exec bash "$here/wait-for-server.sh" start-llama-server "$!" "$port" "$log"
