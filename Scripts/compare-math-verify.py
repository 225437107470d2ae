#!/usr/bin/env python3
"""Runs HuggingFace math-verify (PyPI `math-verify`, in a venv under ~/.cache/recheck) on the answer
pair corpus and lists every pair where its verdict differs from `recheck grade math FILE.jsonl`.

Usage: python3 Scripts/compare-math-verify.py [PAIRS.jsonl] [--recheck .build/release/recheck]
"""
import argparse, json, os, subprocess, sys

sys.path.insert(0, os.path.dirname(__file__))
from mathverify_common import ensure_venv  # noqa: E402

WORKER = r"""
import json, sys
sys.path.insert(0, sys.argv[2])
from mathverify_common import mv_equal
from math_verify import parse, verify
for line in open(sys.argv[1]):
    d = json.loads(line)
    print(json.dumps(mv_equal(parse, verify, d["reference"], d["answer"])))
"""


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("pairs", nargs="?", default="Tests/VerifiersTests/Fixtures/math-pairs.jsonl")
    ap.add_argument("--recheck", default=".build/release/recheck")
    args = ap.parse_args()
    py = ensure_venv()
    mv = subprocess.run([py, "-c", WORKER, args.pairs, os.path.dirname(os.path.abspath(__file__))],
                        check=True, capture_output=True, text=True).stdout.split()
    rc = subprocess.run([args.recheck, "grade", "math", args.pairs], check=True, capture_output=True,
                        text=True).stdout.splitlines()
    rows = [json.loads(l) for l in open(args.pairs)]
    n = 0
    for row, m, r in zip(rows, mv, rc):
        m = json.loads(m)
        r = json.loads(r)
        if m != r["equivalent"]:
            n += 1
            print(f"| `{row['reference']}` | `{row['answer']}` | {row.get('expected')} | {r['equivalent']} ({r['rule']}) | {m} |")
    print(f"{n} disagreements of {len(rows)} pairs", file=sys.stderr)


if __name__ == "__main__":
    main()
