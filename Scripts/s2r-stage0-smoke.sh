#!/usr/bin/env bash
# End-to-end smoke run of S²R stage 0 on GSM8K-layout data with the real SmolLM2-135M-Instruct GGUF:
# `recheck s2r collect` (policy: the GGUF, natively) -> `recheck sft --steps 2`. The verifier is the
# loopback stand-in Scripts/s2r_reference_verifier.py (gold-answer check, fixed verdict sentences),
# because a 135M policy cannot write usable verdicts itself; --single-attempt-fraction 1 adds a k = 1
# trajectory per solvable problem, so a few problems are enough even when the paper's keep coins
# (0.24–0.5) drop the multi-attempt ones. Usage:
#   Scripts/s2r-stage0-smoke.sh [DATA.jsonl] [N_PROBLEMS] [WORK_DIR]
# Needs `swift build -c release -Xswiftc -enable-testing --product recheck` first.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
data=${1:-$root/Scripts/fixtures/s2r-easy-gsm8k.jsonl}
n=${2:-3}
work=${3:-$(mktemp -d)}
gguf=$(bash "$root/Scripts/fetch-smollm2.sh")
port=$((20000 + RANDOM % 20000))
python3 "$root/Scripts/s2r_reference_verifier.py" "$data" "$port" &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
sleep 1
recheck="$root/.build/release/recheck"
time "$recheck" s2r collect --model "$gguf" --data "$data" --limit "$n" --out "$work/stage0.jsonl" \
  --samples 5 --max-tokens 96 --single-attempt-fraction 1 --verifier-api-base "http://127.0.0.1:$port/v1" --verifier-model reference
# Rerunning resumes: nothing new.
"$recheck" s2r collect --model "$gguf" --data "$data" --limit "$n" --out "$work/stage0.jsonl" \
  --samples 5 --max-tokens 96 --single-attempt-fraction 1 --verifier-api-base "http://127.0.0.1:$port/v1" --verifier-model reference
if [ ! -s "$work/stage0.jsonl" ]; then
  echo "s2r-stage0-smoke: no trajectories (no problem had a confirmed right attempt); sft skipped" >&2
  exit 1
fi
time "$recheck" sft --model "$gguf" --data "$work/stage0.jsonl" --out "$work/sft" --steps 2 --batch 2 \
  --checkpoint-every 0 --max-length 400
echo "s2r-stage0-smoke: ok ($work)"
