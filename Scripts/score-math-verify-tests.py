#!/usr/bin/env python3
"""Scores HuggingFace math-verify (PyPI, venv from mathverify_common.py) on the fixture made by
Scripts/mathverify-tests-to-fixture.py, and writes its verdicts next to it
(Tests/VerifiersTests/Fixtures/math-verify-tests.peer.json), which MathVerifyFixtureTests reads.

Two ways of calling math-verify are scored:
- "default": one fixed call for every case, `verify(parse(gold), parse(pred))` — math-verify's
  documented use and the only fair peer of Recheck's single grading function (one setting for all);
- "per-test": each case with the keyword arguments its own test passes (match_types, precision,
  strict, allow_set_relation_comp), i.e. the suite as math-verify's CI runs it.

Usage: python3 Scripts/score-math-verify-tests.py [FIXTURE] [--recheck .build/release/recheck]
With --recheck it also prints each case where Recheck (`recheck grade math FILE`) differs from the
expectation, for Docs/grading.md.
"""
import argparse, json, os, subprocess, sys, tempfile

sys.path.insert(0, os.path.dirname(__file__))
from mathverify_common import ensure_venv  # noqa: E402

WORKER = r"""
import json, sys
from math_verify import ExprExtractionConfig, LatexExtractionConfig, parse, verify

def per_test(gold, pred, cfg):
    if cfg == "default":
        return verify(parse(gold), parse(pred))
    targets = []
    for t in cfg.get("match_types", ["latex", "expr"]):
        targets.append(LatexExtractionConfig(boxed_match_priority=0) if t == "latex" else ExprExtractionConfig())
    return verify(parse(gold, targets), parse(pred, targets), float_rounding=cfg.get("precision", 6),
                  strict=cfg.get("strict", True),
                  allow_set_relation_comp=cfg.get("allow_set_relation_comp", False))

out = {}
for line in open(sys.argv[1]):
    d = json.loads(line)
    if "header" in d:
        continue
    row = {}
    for mode in ("default", "per-test"):
        try:
            v = verify(parse(d["reference"]), parse(d["answer"])) if mode == "default" else per_test(d["reference"], d["answer"], d["config"])
        except Exception:
            v = False
        row[mode] = bool(v)
    out[d["id"]] = row
print(json.dumps(out))
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("fixture", nargs="?", default="Tests/VerifiersTests/Fixtures/math-verify-tests.jsonl")
    ap.add_argument("--recheck")
    args = ap.parse_args()
    py = ensure_venv()
    version = subprocess.run([py, "-c", "import importlib.metadata as m; print(m.version('math-verify'))"],
                             check=True, capture_output=True, text=True).stdout.strip()
    verdicts = json.loads(subprocess.run([py, "-c", WORKER, args.fixture], check=True, capture_output=True,
                                         text=True).stdout)
    rows = [json.loads(l) for l in open(args.fixture)]
    rows = [r for r in rows if "header" not in r]
    summary = {"math_verify_version": version, "cases": len(rows)}
    for mode in ("default", "per-test"):
        wrong = [r["id"] for r in rows if verdicts[r["id"]][mode] != r["expected"]]
        summary[mode] = {"agreements": len(rows) - len(wrong), "disagreements": wrong}
        print(f"math-verify {version} ({mode}): {len(rows) - len(wrong)}/{len(rows)} agree", file=sys.stderr)
    out = os.path.splitext(args.fixture)[0] + ".peer.json"
    with open(out + ".tmp", "w") as f:
        json.dump(summary, f, indent=1)
        f.write("\n")
    os.replace(out + ".tmp", out)
    if args.recheck:
        with tempfile.NamedTemporaryFile("w", suffix=".jsonl", delete=False) as f:
            for r in rows:
                f.write(json.dumps({"reference": r["reference"], "answer": r["answer"]}) + "\n")
        res = subprocess.run([args.recheck, "grade", "math", f.name], capture_output=True, text=True).stdout
        os.unlink(f.name)
        n = 0
        for r, line in zip(rows, res.splitlines()):
            g = json.loads(line)
            if g.get("equivalent") != r["expected"]:
                n += 1
                mv = verdicts[r["id"]]
                print(f"{r['id']}\texp={r['expected']}\trc={g.get('equivalent')} ({g.get('rule')})\t"
                      f"mv={mv['default']}/{mv['per-test']}\tref={json.dumps(g.get('extracted_reference'))}\t"
                      f"ans={json.dumps(g.get('extracted_answer'))}\t{r['reference'][:80]!r} | {r['answer'][:80]!r}")
        print(f"Recheck: {len(rows) - n}/{len(rows)} agree", file=sys.stderr)


if __name__ == "__main__":
    main()
