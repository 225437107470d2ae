#!/usr/bin/env bash
# S²R and SCoRe on a real checkpoint, end to end, on a CPU (Docs/real-model.md):
#   1. a llama.cpp server serves SmolLM2-135M-Instruct (GGUF): llama.cpp's own llama-server with 8 slots
#      decoded as one batch (default), or llama-cpp-python's server (one request at a time; --smoke, CI);
#   2. stage 0 (`recheck s2r collect --api-base`): the server samples K attempts per GSM8K training
#      problem and, by default, verifies each distinct answer itself (the paper's confirmative prompt);
#   3. behaviour initialisation (`recheck sft`) natively on the GGUF's dequantised weights;
#   4. `recheck eval --protocol s2r` and `--protocol score` of the base (through the server) and of
#      the BI model (natively, a Hugging Face directory) on GSM8K test problems;
#   5. a few SCoRe Stage I steps (`recheck score train --stage 1`) natively.
# Every step's time, counts and accuracies are printed and written to WORK/summary.txt.
#
# usage: Scripts/real-model.sh [--work DIR] [--train N] [--test N] [--threads N] [--smoke]
#   --train N       GSM8K training problems for stage 0 (default 200)
#   --test N        GSM8K test problems for the evaluations (default 200)
#   --sft-steps N   BI fine-tuning steps (default 30); --score-steps N Stage I steps (default 3)
#   --threads N     llama.cpp server threads (default 2; the server and Recheck take turns)
#   --server llama-server|llama-cpp-python  which llama.cpp server (default llama-server, built by
#                   Scripts/setup-llama-server.sh; --smoke: llama-cpp-python, the integration tests' server)
#   --slots N       llama-server slots = requests in flight = stage-0 problems per chunk (default 8)
#   --verifier reference  use Scripts/s2r_reference_verifier.py (a gold-answer stand-in, NOT a
#                   model) instead of the policy as stage-0 verifier
#   --single F      probability of an extra k = 1 trajectory per solvable problem ([OURS]; default 0)
#   --smoke         3 easy problems, short budgets, the stand-in verifier (the CI chain check)
# Data: $RECHECK_DATASETS (default ../shared/datasets next to the repository) gsm8k_{train,test}.jsonl.
# Needs the llama.cpp venv (Scripts/setup-llamacpp-server.sh) or llama-server (Scripts/setup-llama-server.sh)
# and builds the CLI if it is missing ($RECHECK_BIN: another recheck binary, e.g. a copy that a rebuild
# during the run cannot replace).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="" train=200 test=200 threads=2 sft_steps=30 score_steps=3 verifier=policy smoke=0 single=0
server=llama-server slots=8
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work=$2; shift 2 ;;
    --train) train=$2; shift 2 ;;
    --test) test=$2; shift 2 ;;
    --threads) threads=$2; shift 2 ;;
    --sft-steps) sft_steps=$2; shift 2 ;;
    --score-steps) score_steps=$2; shift 2 ;;
    --verifier) verifier=$2; shift 2 ;;
    --single) single=$2; shift 2 ;;
    --smoke) smoke=1; server=llama-cpp-python; shift ;;
    --server) server=$2; shift 2 ;;
    --slots) slots=$2; shift 2 ;;
    *) echo "real-model.sh: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
datasets=${RECHECK_DATASETS:-$root/../shared/datasets}
train_data=$datasets/gsm8k_train.jsonl
test_data=$datasets/gsm8k_test.jsonl
# Budgets: attempts and verifications of a 135M model rarely need more; evaluation as the paper's
# harness but shorter (SmolLM2 either answers within ~200 tokens or loops to the limit).
samples=5 max_tokens=256 verifier_tokens=256 eval_tokens=320
if [ "$smoke" = 1 ]; then
  train_data=$root/Scripts/fixtures/s2r-easy-gsm8k.jsonl test_data=$train_data
  train=3 test=3 samples=5 max_tokens=96 verifier_tokens=64 eval_tokens=64 sft_steps=2 score_steps=1
  verifier=reference single=1
fi
for f in "$train_data" "$test_data"; do
  [ -s "$f" ] || { echo "real-model.sh: no $f (set RECHECK_DATASETS)" >&2; exit 2; }
done
# A --smoke run's own work directory (no --work given) is removed when it passes — about 2 GB per run
# (the BI model, its evaluations, the server's copy), which the test suite would otherwise leave in /tmp
# every time; after a failure, and for the walkthrough, it stays.
own_work=0
if [ -z "$work" ]; then work=$(mktemp -d /tmp/recheck-real-XXXX) own_work=$smoke; fi
mkdir -p "$work"
recheck=${RECHECK_BIN:-$root/.build/release/recheck}
[ -x "$recheck" ] || (cd "$root" && swift build -c release -Xswiftc -enable-testing --product recheck)
gguf=$(bash "$root/Scripts/fetch-smollm2.sh")
summary=$work/summary.txt
echo "--- $(date -u '+%F %T') UTC" >>"$summary"  # appended to: a rerun with the same --work resumes
say() { echo "$*" | tee -a "$summary"; }

pids=()
trap 'rc=$?; for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  if [ "$own_work" = 1 ]; then
    if [ "$rc" = 0 ]; then rm -rf "$work"; else echo "real-model.sh: work kept in $work" >&2; fi
  fi' EXIT
port=$((20000 + RANDOM % 20000))
case "$server" in
  llama-server)
    pid=$(RECHECK_LLAMACPP_THREADS=$threads RECHECK_LLAMA_SERVER_SLOTS=$slots RECHECK_LLAMACPP_CTX=1536 \
      bash "$root/Scripts/start-llama-server.sh" "$port" "$gguf" "$work/llamacpp.log")
    # Every slot busy: that many requests in flight, and stage 0 samples that many problems at once.
    concurrency=$slots chunk=$slots ;;
  llama-cpp-python)
    pid=$(RECHECK_LLAMACPP_THREADS=$threads RECHECK_LLAMACPP_CTX=2048 \
      bash "$root/Scripts/start-llamacpp-server.sh" "$port" "$gguf" "$work/llamacpp.log")
    # It decodes one request at a time: more in flight would only queue.
    concurrency=1 chunk=1 slots=1 ;;
  *) echo "real-model.sh: --server is llama-server or llama-cpp-python, not $server" >&2; exit 2 ;;
esac
pids+=("$pid")
api=http://127.0.0.1:$port/v1
# llama-cpp-python names its one model by the path it was started with (llama-server takes any name).
name=$gguf
say "real-model: work $work; policy $server ($threads threads, $slots slots) with $(basename "$gguf"); $(git -C "$root" rev-parse --short HEAD)"

verifier_args=()
if [ "$verifier" = reference ]; then
  vport=$((port + 1))
  python3 "$root/Scripts/s2r_reference_verifier.py" "$train_data" "$vport" &
  pids+=($!)
  sleep 1
  verifier_args=(--verifier-api-base "http://127.0.0.1:$vport/v1" --verifier-model reference)
  say "real-model: stage-0 verifier = the gold-answer stand-in (Scripts/s2r_reference_verifier.py), not a model"
fi

step() {  # step NAME COMMAND… : runs, times, logs
  local name=$1; shift
  local t0=$SECONDS
  # Progress-bar lines stay in the log only; the pipeline's status is the command's (pipefail), not
  # grep's (which fails when every line is a progress line).
  "$@" 2>&1 | tee "$work/$name.log" | { grep -v '^\[' || true; } \
    || { echo "real-model.sh: $name failed (log: $work/$name.log)" >&2; exit 1; }
  say "time $name: $((SECONDS - t0)) s"
}

step stage0 "$recheck" s2r collect --api-base "$api" --model "$name" --template "$gguf" \
  --data "$train_data" --limit "$train" --out "$work/stage0.jsonl" --samples "$samples" \
  --max-tokens "$max_tokens" --verifier-max-tokens "$verifier_tokens" --single-attempt-fraction "$single" \
  --chunk "$chunk" --max-concurrency "$concurrency" "${verifier_args[@]}"
say "stage 0: $(grep '^collected' "$work/stage0.log" | tail -1)"
records=$(grep -c . "$work/stage0.jsonl" 2>/dev/null || true)
bi=1
if [ "${records:-0}" = 0 ]; then
  # A problem yields trajectories only when some attempt is right and its verification is kept
  # (spec §2.3); a 135M policy rarely solves GSM8K. The base's evaluations and Stage I still run.
  say "real-model: stage 0 kept no trajectory, so there is nothing to fine-tune on: BI SFT and its evaluations are skipped (see Docs/real-model.md)"
  bi=0
fi
[ "$smoke" = 0 ] || [ "$bi" = 1 ] || { echo "real-model.sh: the smoke run must yield trajectories" >&2; exit 1; }

# A rerun with the same --work resumes: stage 0 per problem, evaluations per batch, and a finished
# BI model is kept (its SFT is not run again).
if [ "$bi" = 1 ] && [ -s "$work/bi/model/config.json" ] && [ -s "$work/sft.log" ]; then
  say "sft: kept from an earlier run ($work/bi/model)"
elif [ "$bi" = 1 ]; then
  step sft "$recheck" sft --model "$gguf" --data "$work/stage0.jsonl" --out "$work/bi" --steps "$sft_steps" \
    --batch 4 --lr 1e-5 --warmup 3 --max-length 768 --checkpoint-every 0
  say "sft: $(grep -E '^step|nll' "$work/sft.log" | tail -1)"
fi

evaluate() {  # evaluate NAME PROTOCOL MODEL-ARGS…
  local name=$1 protocol=$2; shift 2
  step "eval-$name-$protocol" "$recheck" eval "$@" --data "$work/test.jsonl" --protocol "$protocol" \
    --max-tokens "$eval_tokens" --out "$work/eval-$name-$protocol" --quiet
  say "eval $name $protocol: $(python3 - "$work/eval-$name-$protocol/summary.json" <<'PY'
import json, sys
s = json.load(open(sys.argv[1]))
acc, labels, t = s["accuracy"], s["turnLabels"], s["transition"]
d = s["deltaInterval"]
out = [f"Acc@{l} {100 * a:.1f}%" for l, a in zip(labels, acc)]
out.append(f"delta {100 * t['delta']:+.1f} [{100 * d['low']:+.1f}, {100 * d['high']:+.1f}]")
out.append(f"i->c {100 * t['incorrectToCorrect']:.1f}%, c->i {100 * t['correctToIncorrect']:.1f}% of problems")
out.append(f"attempts {s['averageAttempts']:.2f}, {s['problems']} problems")
print("; ".join(out))
PY
)"
}
head -n "$test" "$test_data" >"$work/test.jsonl"
evaluate base s2r --api-base "$api" --model "$name" --max-concurrency "$concurrency"
evaluate base score --api-base "$api" --model "$name" --max-concurrency "$concurrency"
if [ "$bi" = 1 ]; then
  evaluate bi s2r --model "$work/bi/model"
  evaluate bi score --model "$work/bi/model"
fi

# Stage I's closing evaluation (two greedy turns) runs on the first 20 test problems only.
score_eval=$work/score-eval.jsonl
head -n "$([ "$smoke" = 1 ] && echo 3 || echo 20)" "$work/test.jsonl" >"$score_eval"
head -n "$train" "$train_data" >"$work/train.jsonl"
step score-stage1 "$recheck" score train --stage 1 --model "$gguf" --data "$work/train.jsonl" --out "$work/score1" \
  --steps "$score_steps" --batch 2 --samples 2 --max-new-tokens 128 --eval "$score_eval" --eval-turns 2
say "score stage 1: $(grep -E '^\[stage1\] step' "$work/score-stage1.log" | tail -1)"
say "score stage 1 eval ($(grep -c . "$score_eval") test problems, 2 greedy turns): $(grep -A1 '^method' "$work/score-stage1.log" | tail -1)"
say "real-model: done ($work)"
