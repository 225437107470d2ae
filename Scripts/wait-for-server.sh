#!/usr/bin/env bash
# Wait until a server started in the background answers GET /v1/models on a loopback port, then print
# its PID on stdout; stop it and fail if it exits or does not answer within 60 s.
#   usage: Scripts/wait-for-server.sh NAME PID PORT LOGFILE   (NAME prefixes the error messages)
set -euo pipefail
name=$1 pid=$2 port=$3 log=$4
for _ in $(seq 1 600); do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "$name: server exited during start-up (log: $log)" >&2
    exit 1
  fi
  if python3 - "$port" <<'PY' 2>/dev/null; then
import sys, urllib.request
urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/v1/models", timeout=1).read()
PY
    echo "$pid"
    exit 0
  fi
  sleep 0.1
done
kill "$pid" 2>/dev/null || true
echo "$name: no answer on port $port after 60 s" >&2
exit 1
