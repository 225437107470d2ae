#!/usr/bin/env bash
# Proves the hand-off to TRL, OpenRLHF and verl with their own code (issue #22): makes a pinned
# CPU venv (~/.cache/recheck/venv-frameworks, Scripts/check-frameworks-requirements.txt; OpenRLHF
# and verl installed --no-deps, only the modules the checks import), runs `recheck demo --quick`
# for real S²R and SCoRe data, exports it and a small math set with `recheck export`, starts
# `recheck serve`, builds a tiny random LLaMA locally, then runs Scripts/check_frameworks.py.
#
#   bash Scripts/check-frameworks.sh            # prints PASS/FAIL lines and, last,
#                                               # "check-frameworks: N passed, M failed"
# Exit status: 0 only when every check passed. Needs python3 (with venv) and network access to
# PyPI the first time; later runs reuse the venv (reinstalled when the requirements change).
set -uo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
START=$SECONDS
VENV="${RECHECK_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/recheck}/venv-frameworks"
REQ="$ROOT/Scripts/check-frameworks-requirements.txt"
PASSED=0
FAILED=0
pass() { echo "PASS $1"; PASSED=$((PASSED + 1)); }
fail() { echo "FAIL $1"; FAILED=$((FAILED + 1)); }
finish() {
  echo "check-frameworks: $PASSED passed, $FAILED failed ($((SECONDS - START)) s)"
  [ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
  exit $?
}

# 1. The venv, rebuilt when the pinned requirements change.
STAMP="$VENV/.recheck-requirements"
if ! cmp -s "$REQ" "$STAMP" 2>/dev/null; then
  echo "check-frameworks: installing the pinned venv in $VENV (first run: a few minutes)"
  rm -rf "$VENV"
  python3 -m venv "$VENV" &&
    "$VENV/bin/pip" install -q --upgrade pip &&
    "$VENV/bin/pip" install -q -r "$REQ" &&
    "$VENV/bin/pip" install -q --no-deps openrlhf==0.11.2 verl==0.9.1 &&
    cp "$REQ" "$STAMP" || { fail "venv install"; finish; }
fi
PY="$VENV/bin/python"

# 2. The CLI.
RECHECK="$ROOT/.build/release/recheck"
if [ ! -x "$RECHECK" ]; then
  swift build -c release -Xswiftc -enable-testing --product recheck || { fail "swift build"; finish; }
fi

WORK="$(mktemp -d "${TMPDIR:-/tmp}/recheck-frameworks.XXXXXX")"
SERVER_PID=""
SECURE_PID=""
cleanup() {
  [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null
  [ -n "$SECURE_PID" ] && kill "$SECURE_PID" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT

# 3. Real Recheck data: the quick demo's S²R SFT file and SCoRe results, and a small math set.
"$RECHECK" demo --quick --out "$WORK/demo" >"$WORK/demo.log" 2>&1 || { tail -20 "$WORK/demo.log"; fail "recheck demo --quick"; finish; }
SCORE_RESULTS="$WORK/demo/results/score.jsonl"
[ -f "$SCORE_RESULTS" ] || { fail "demo wrote no results/score.jsonl"; finish; }
cat >"$WORK/math.jsonl" <<'EOF'
{"id": "m1", "problem": "What is 7 + 5?", "answer": "12"}
{"id": "m2", "problem": "What is 3 * 4?", "answer": "12"}
{"id": "m3", "problem": "What is 9 - 2?", "answer": "7"}
{"id": "m4", "problem": "What is 10 / 5?", "answer": "2"}
EOF
# One HumanEval and one MBPP problem, and synthetic problems: labels for every task Recheck grades.
cat >"$WORK/humaneval.jsonl" <<'EOF'
{"task_id": "HumanEval/x", "prompt": "def add(a, b):\n    \"\"\"Return a + b.\"\"\"\n", "canonical_solution": "    return a + b\n", "test": "def check(candidate):\n    assert candidate(1, 2) == 3\n    assert candidate(-1, 1) == 0\n", "entry_point": "add"}
EOF
cat >"$WORK/mbpp.jsonl" <<'EOF'
{"task_id": 1, "text": "Write a function to multiply two numbers.", "code": "def mul(a, b):\n    return a * b", "test_list": ["assert mul(2, 3) == 6", "assert mul(0, 5) == 0"], "test_setup_code": ""}
EOF
"$RECHECK" data synth --count 4 --seed 1 --out "$WORK/synth.jsonl" >/dev/null || { fail "recheck data synth"; finish; }
# One ChatML example (the official SFT file's layout) for TRL's end-of-turn check.
"$PY" - "$WORK" <<'EOF'
import json, sys
work = sys.argv[1]
ex = {"id": "c1", "wrong_attempts": 0,
      "prompt": "<|im_start|>system\nPlease reason step by step.<|im_end|>\n<|im_start|>user\n1+1?<|im_end|>\n<|im_start|>assistant\n",
      "answer": "\\boxed{2}\n\nWait, let me recheck my solution.\n\nTherefore, the answer is correct.<|im_end|>\n"}
json.dump([ex], open(f"{work}/chatml.json", "w"))
rows = [json.loads(l) for l in open(f"{work}/demo/s2r_sft.jsonl")]
for name, keep in (("s2r_k0.jsonl", lambda r: r["wrong_attempts"] == 0), ("s2r_k1.jsonl", lambda r: r["wrong_attempts"] <= 1)):
    with open(f"{work}/{name}", "w") as f:
        f.writelines(json.dumps(r) + "\n" for r in rows if keep(r))
EOF

export_ok() { # name args...
  local name="$1"; shift
  if "$RECHECK" export "$@" >"$WORK/export.log" 2>&1; then pass "recheck export $name"; else cat "$WORK/export.log"; fail "recheck export $name"; fi
}
D="$WORK/demo/s2r_sft.jsonl"
export_ok "trl s2r-sft (demo)" --format trl --kind s2r-sft --in "$D" --out "$WORK/s2r_trl.jsonl"
export_ok "trl s2r-sft (ChatML)" --format trl --kind s2r-sft --in "$WORK/chatml.json" --out "$WORK/s2r_chatml_trl.jsonl"
export_ok "trl --conversational s2r-sft (demo, no wrong attempt)" --format trl --conversational --kind s2r-sft --in "$WORK/s2r_k0.jsonl" --out "$WORK/s2r_trl_conv.jsonl"
export_ok "openrlhf s2r-sft (demo, ≤ 1 wrong attempt)" --format openrlhf --kind s2r-sft --in "$WORK/s2r_k1.jsonl" --out "$WORK/s2r_openrlhf.jsonl"
export_ok "verl s2r-sft (demo, no wrong attempt)" --format verl --kind s2r-sft --in "$WORK/s2r_k0.jsonl" --out "$WORK/s2r_verl.jsonl"
for f in trl openrlhf verl; do
  export_ok "$f rl-prompts" --format $f --kind rl-prompts --in "$WORK/math.jsonl" --out "$WORK/rl_$f.jsonl"
  export_ok "$f score-turns (demo)" --format $f --kind score-turns --in "$SCORE_RESULTS" --out "$WORK/turns_$f.jsonl"
done
for t in humaneval mbpp synth; do
  export_ok "openrlhf rl-prompts ($t)" --format openrlhf --kind rl-prompts --in "$WORK/$t.jsonl" --out "$WORK/rl_${t}_openrlhf.jsonl"
done
# Pairs the frameworks cannot train faithfully are refused, naming what to use instead.
for f in openrlhf verl; do
  if "$RECHECK" export --format $f --kind s2r-sft --in "$D" --out "$WORK/refused.jsonl" >"$WORK/refused.log" 2>&1; then
    fail "$f s2r-sft with wrong attempts should be refused"
  elif grep -q "use --format trl" "$WORK/refused.log"; then
    pass "$f s2r-sft with wrong attempts refused, naming --format trl"
  else
    cat "$WORK/refused.log"; fail "$f s2r-sft refusal message"
  fi
done

# 4. The reward server on a free port, and a secured one (--api-key-file).
serve() { # log args... → prints the URL once it listens ("" when it does not start)
  local log="$1"; shift
  "$RECHECK" serve --port 0 "$@" >"$log" 2>&1 &
  LAST_PID=$!
  for _ in $(seq 1 100); do
    local url
    url="$(sed -n 's/^recheck serve: listening on \(http[^ ]*\).*$/\1/p' "$log")"
    [ -n "$url" ] && { URL_FOUND="$url"; return 0; }
    kill -0 "$LAST_PID" 2>/dev/null || break
    sleep 0.1
  done
  URL_FOUND=""
  return 1
}
serve "$WORK/serve.log" && URL="$URL_FOUND" || { cat "$WORK/serve.log"; fail "recheck serve did not start"; finish; }
SERVER_PID=$LAST_PID
KEY="check-frameworks-$RANDOM$RANDOM"
printf '%s\n' "$KEY" >"$WORK/api-key"
SECURE_URL=""
if serve "$WORK/serve-secure.log" --api-key-file "$WORK/api-key"; then SECURE_URL="$URL_FOUND"; else cat "$WORK/serve-secure.log"; fi
SECURE_PID=$LAST_PID

# 5. The frameworks' own code.
"$PY" "$ROOT/Scripts/check_frameworks.py" "$WORK" "$URL" "$SECURE_URL" "$KEY"
if [ -f "$WORK/python-results" ]; then
  read -r P F <"$WORK/python-results"
  PASSED=$((PASSED + P))
  FAILED=$((FAILED + F))
else
  fail "Scripts/check_frameworks.py crashed before its checks ended"
fi
finish
