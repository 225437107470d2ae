#!/usr/bin/env bash
# Installs what Recheck needs and a fresh Debian machine may lack: OpenBLAS (matrix products) and
# Python 3 with pip (scripts, the code sandbox's interpreter). Idempotent and quiet when all is there.
set -euo pipefail
need=()
[ -e /usr/lib/x86_64-linux-gnu/libopenblas.so ] || [ -e /usr/lib/aarch64-linux-gnu/libopenblas.so ] \
  || need+=(libopenblas-dev)
command -v python3 >/dev/null || need+=(python3 python3-pip)
if [ ${#need[@]} -gt 0 ]; then
  echo "install-deps: installing ${need[*]}" >&2
  sudo_cmd=""; [ "$(id -u)" = 0 ] || sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${need[@]}" >/dev/null
fi
