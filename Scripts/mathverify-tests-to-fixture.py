#!/usr/bin/env python3
"""Converts HuggingFace Math-Verify's own pair tests (github.com/huggingface/Math-Verify, `tests/`)
into the JSONL fixture Tests/VerifiersTests/Fixtures/math-verify-tests.jsonl.

Usage: python3 Scripts/mathverify-tests-to-fixture.py GIT_DIR [--out FILE]
GIT_DIR is a clone (bare is fine) of huggingface/Math-Verify; the commit read is HEAD and is written
into the first line of the output (a `{"header": …}` object), so the fixture says where it came from.

Only test functions parametrised with `(gold, pred, expected, …)` literals are converted (read with
`ast`, never executed). Each line: `{"id", "test", "reference", "answer", "expected", "config"}` where
`config` holds the keyword arguments the test passes to its `compare_strings` helper (match_types,
precision, strict, allow_set_relation_comp) or `"default"` for tests calling `verify(parse(g), parse(p))`.
Tests of math-verify's Python API (timeouts, config objects, mocks, string-choice extraction) have no
pair to grade and are skipped; the header lists them.
"""
import argparse, ast, json, math, os, subprocess, sys

PAIR_NAMES = ("gold", "pred")


def git(git_dir, *args):
    return subprocess.run(["git", "--git-dir", git_dir, *args], check=True, capture_output=True,
                          text=True).stdout


def call_config(fn):
    """Keyword arguments of the comparison call inside test function `fn`; names point to parameters."""
    for node in ast.walk(fn):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            if node.func.id == "compare_strings":
                cfg = {}
                for kw in node.keywords:
                    if isinstance(kw.value, ast.Name):
                        cfg[kw.arg] = {"param": kw.value.id}
                    else:
                        cfg[kw.arg] = ast.literal_eval(kw.value)
                return cfg
            if node.func.id == "verify":
                return "default"
    return None


def literal(node):
    """A literal; the one f-string in the suite (`f"{math.sqrt(17):.15f}"`) is formatted with `math` only."""
    if isinstance(node, ast.JoinedStr):
        return eval(compile(ast.Expression(node), "<case>", "eval"), {"__builtins__": {}, "math": math})
    return ast.literal_eval(node)


def convert(git_dir):
    commit = git(git_dir, "rev-parse", "HEAD").strip()
    files = [f for f in git(git_dir, "ls-tree", "-r", "--name-only", "HEAD", "tests").split()
             if f.endswith(".py")]
    rows, skipped = [], []
    for path in sorted(files):
        tree = ast.parse(git(git_dir, "show", f"HEAD:{path}"))
        for fn in [n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name.startswith("test")]:
            param = None
            for dec in fn.decorator_list:
                if isinstance(dec, ast.Call) and getattr(dec.func, "attr", "") == "parametrize":
                    param = dec
            cfg = call_config(fn)
            if param is None or cfg is None:
                skipped.append(f"{path}::{fn.name}")
                continue
            names = [s.strip() for s in ast.literal_eval(param.args[0]).split(",")]
            if names[:2] != list(PAIR_NAMES):
                skipped.append(f"{path}::{fn.name}")
                continue
            exp_name = "expected" if "expected" in names else "result"
            for k, case in enumerate(param.args[1].elts):
                values = dict(zip(names, [literal(e) for e in case.elts]))
                config = cfg
                if isinstance(cfg, dict):
                    config = {key: (values[v["param"]] if isinstance(v, dict) else v) for key, v in cfg.items()}
                rows.append({
                    "id": f"{path}::{fn.name}[{k}]", "test": f"{path}::{fn.name}",
                    "reference": values["gold"], "answer": values["pred"],
                    "expected": bool(values[exp_name]), "config": config,
                })
    header = {"header": {
        "source": "https://github.com/huggingface/Math-Verify", "commit": commit,
        "licence": "Apache-2.0 (test data: gold/pred strings and expected verdicts)",
        "generator": "Scripts/mathverify-tests-to-fixture.py", "cases": len(rows),
        "skipped_tests_without_pairs": skipped,
    }}
    return [header] + rows


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("git_dir")
    ap.add_argument("--out", default="Tests/VerifiersTests/Fixtures/math-verify-tests.jsonl")
    args = ap.parse_args()
    lines = convert(args.git_dir)
    with open(args.out + ".tmp", "w") as f:
        for row in lines:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    os.replace(args.out + ".tmp", args.out)
    print(f"{len(lines) - 1} cases → {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
