#!/usr/bin/env bash
# Build llama.cpp's own `llama-server` (continuous batching over several slots) from the llama.cpp
# sources vendored in the llama-cpp-python sdist on PyPI (the same pin as Scripts/setup-llamacpp-server.sh),
# with cmake and ninja from PyPI, and print the path of the binary on stdout. Idempotent: fast when the
# binary is there. Used by `Scripts/real-model.sh --server llama-server` (the walkthrough's default):
# llama-cpp-python's server decodes one request at a time, llama-server decodes its slots as one batch.
# Cache: $RECHECK_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/recheck. About 6 minutes on 2 cores.
set -euo pipefail
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
llama_pin="llama-cpp-python==0.3.36"
dir="$cache/llama-server"
bin="$dir/build/bin/llama-server"
if [ ! -x "$bin" ]; then
  mkdir -p "$dir"
  if [ ! -x "$dir/tools/bin/cmake" ]; then
    python3 -m venv "$dir/tools"
    "$dir/tools/bin/pip" install --quiet --disable-pip-version-check cmake ninja >&2
  fi
  if [ ! -f "$dir/src/CMakeLists.txt" ]; then
    tmp=$(mktemp -d)
    trap 'rm -rf "$tmp"' EXIT
    echo "setup-llama-server: downloading the $llama_pin sdist from PyPI (~77 MB)…" >&2
    python3 -m pip download --quiet --no-deps --disable-pip-version-check --no-binary llama-cpp-python \
      "$llama_pin" -d "$tmp" >&2
    tar -xzf "$tmp"/llama_cpp_python-*.tar.gz -C "$tmp"
    rm -rf "$dir/src"
    mv "$tmp"/llama_cpp_python-*/vendor/llama.cpp "$dir/src"
  fi
  echo "setup-llama-server: building llama-server (several minutes)…" >&2
  PATH="$dir/tools/bin:$PATH" cmake -S "$dir/src" -B "$dir/build" -G Ninja -DCMAKE_BUILD_TYPE=Release \
    -DLLAMA_BUILD_SERVER=ON -DLLAMA_BUILD_TOOLS=ON -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_EXAMPLES=OFF \
    -DLLAMA_CURL=OFF -DLLAMA_OPENSSL=OFF -DGGML_NATIVE=ON -DBUILD_SHARED_LIBS=OFF >&2
  PATH="$dir/tools/bin:$PATH" nice -n 10 cmake --build "$dir/build" --target llama-server \
    -j "${CMAKE_BUILD_PARALLEL_LEVEL:-2}" >&2
fi
echo "$bin"
