#!/usr/bin/env bash
# Runs `recheck demo --quick` and checks the JSON tables loosely: every method present, every
# fraction in [0, 1], SCoRe's Δ identity, attempts ≥ 1, and that the same seed gives the same tables
# is covered by the library tests. Prints "demo-smoke: OK" on success.
set -euo pipefail
bin="${1:-.build/release/recheck}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$bin" demo --quick --out "$out/run" --json "$out/tables.json" > "$out/stdout.txt"
cat "$out/stdout.txt"
python3 - "$out/tables.json" <<'PY'
import json, sys
t = json.load(open(sys.argv[1]))
score, s2r = t["score"], t["s2r"]
for m in ["base", "self_refine", "pair_sft", "star", "single_turn_rl", "score"]:
    assert m in score, f"missing SCoRe row {m}"
for m in ["s2r_bi", "s2r_orl", "s2r_prl"]:
    assert m in s2r, f"missing S2R row {m}"
for m, r in score.items():
    for k in ["acc_t1", "acc_t2", "delta_i2c", "delta_c2i"]:
        assert 0 <= r[k] <= 1, (m, k, r[k])
    assert abs(r["delta"] - (r["delta_i2c"] - r["delta_c2i"])) < 1e-9, (m, r)
    assert abs(r["delta"] - (r["acc_t2"] - r["acc_t1"])) < 1e-9, (m, r)
for m, r in s2r.items():
    for k in ["first_acc", "final_acc", "verification_acc"]:
        assert 0 <= r[k] <= 1, (m, k, r[k])
    assert r["avg_attempts"] >= 1 or r["avg_attempts"] == 0, (m, r)
assert t["seconds"] > 0
# Intervals (Docs/reproduction.md, "Seeds, intervals, kernels and --json").
assert t["seeds"] == [1], t["seeds"]
for m, r in score.items():
    lo, hi = r["ci"]["delta"]
    assert -1 <= lo <= hi <= 1, (m, r["ci"])
for m, r in s2r.items():
    lo, hi = r["ci"]["final_minus_first"]
    assert -1 <= lo <= hi <= 1, (m, r["ci"])
for k in ["base_attempts", "bi_own"]:
    v = t["verification"][k]
    assert v["right"] + v["wrong"] > 0, (k, v)
PY
# The run above trained the SCoRe stages in a second lane (a child process). Rerun into the same
# directory with one lane: every stage is reused, so this evaluates the same checkpoints in one
# process, and the tables (rows, order, intervals) must be the ones the two lanes merged.
"$bin" demo --quick --lanes 1 --out "$out/run" --json "$out/tables1.json" > "$out/stdout1.txt" 2> "$out/stderr1.txt"
python3 - "$out/tables.json" "$out/tables1.json" <<'PY'
import json, sys
two, one = (json.load(open(p)) for p in sys.argv[1:])
two.pop("seconds"); one.pop("seconds")
assert two == one, "one lane and two lanes give different tables"
PY
diff <(grep -v "matrix products" "$out/stdout.txt") <(grep -v "matrix products" "$out/stdout1.txt")
grep -q "reusing its checkpoint" "$out/stderr1.txt"
# `--seeds` trains every seed's base model first, side by side in child processes of one thread each
# (DemoSeedBases): seed 1's base must be byte-identical to the one the run above trained on every
# thread in one process.
"$bin" demo --quick --seeds 1,2 --only-base --out "$out/seeds" > /dev/null 2> "$out/stderr-seeds.txt"
grep -q "side by side" "$out/stderr-seeds.txt"
grep -q "seed 2: base: trained" "$out/stderr-seeds.txt"
cmp "$out/run/base/model/model.safetensors" "$out/seeds/seed-1/base/model/model.safetensors"
echo "demo-smoke: OK"
