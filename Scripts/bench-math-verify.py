#!/usr/bin/env python3
"""Peer benchmark for `recheck bench grade --peer`: math-verify pairs/s on the same corpus.
Run with the venv's python (Scripts/mathverify_common.py creates it). Prints "<pairs/s> pairs/s"."""
import json, os, sys, time

sys.path.insert(0, os.path.dirname(__file__))
from mathverify_common import mv_equal  # noqa: E402
from math_verify import parse, verify  # noqa: E402

pairs = [json.loads(l) for l in open(sys.argv[1] if len(sys.argv) > 1 else "Tests/VerifiersTests/Fixtures/math-pairs.jsonl")]
mv_equal(parse, verify, "1", "1")  # warm-up (imports, grammar load)
t0 = time.perf_counter()
for p in pairs:
    mv_equal(parse, verify, p["reference"], p["answer"])
dt = time.perf_counter() - t0
print(f"{len(pairs) / dt:.1f} pairs/s")
