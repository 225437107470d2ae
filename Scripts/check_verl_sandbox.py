#!/usr/bin/env python3
"""verl's own SandboxFusion client against a running `recheck serve` (/run_code).

Usage: check_verl_sandbox.py URL            e.g. http://127.0.0.1:8088/k/<secret>/run_code
Run it with a Python that has `verl` (pip install --no-deps verl) and `requests` installed; see
Scripts/check-verl-sandbox.sh, which makes that venv, starts the server with a secret and calls this.

Only verl's unmodified code scores: `verl.utils.reward_score.default_compute_score` (data source
"codecontests" → sandbox_fusion.compute_score → check_correctness → call_sandbox_api). Importing the
`verl` package itself would pull in torch and ray, so its parent packages are registered as empty
packages pointing at the installed directories; the reward_score modules then load from the wheel as
they are. Asserted: a right stdin/stdout program scores 1 and a wrong one 0; the same for a `fn_name`
(LeetCode-style) problem and an assert-style problem; `SystemExit(3)` comes back as return code 3;
an endless loop is a timeout (-3). Prints one JSON line; exits 1 if any assertion fails.
"""
import importlib.util
import json
import re
import sys
import types


def load_verl_reward_score():
    spec = importlib.util.find_spec("verl")  # finds the package without executing verl/__init__.py
    if spec is None or not spec.submodule_search_locations:
        sys.exit("verl is not installed in this interpreter (pip install --no-deps verl requests)")
    root = list(spec.submodule_search_locations)[0]
    for name, path in [("verl", root), ("verl.utils", root + "/utils")]:
        module = types.ModuleType(name)
        module.__path__ = [path]
        sys.modules[name] = module
    import verl.utils.reward_score as reward_score
    from verl.utils.reward_score.sandbox_fusion import utils as sandbox_utils

    version = open(root + "/version/version").read().strip()
    return reward_score, sandbox_utils, version


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    url = sys.argv[1]
    reward_score, sf, version = load_verl_reward_score()

    def score(solution, tests):
        return reward_score.default_compute_score(
            "codecontests", "```python\n" + solution + "```", json.dumps(tests), sandbox_fusion_url=url,
            memory_limit_mb=1024)

    checks = []

    def expect(name, got, want):
        checks.append({"check": name, "got": got, "want": want, "ok": got == want})

    stdin_tests = {"inputs": ["1 2\n", "10 -3\n", "5 5\n"], "outputs": ["3\n", "7\n", "10\n"]}
    expect("stdin right", score("a, b = map(int, input().split())\nprint(a + b)\n", stdin_tests), 1.0)
    expect("stdin wrong", score("a, b = map(int, input().split())\nprint(a - b)\n", stdin_tests), 0.0)
    expect("stdin reads all lines", score("import sys\nprint(sum(map(int, sys.stdin.read().split())))\n",
                                          stdin_tests), 1.0)

    fn_tests = {"fn_name": "twoSum", "inputs": ["[2, 7, 11, 15]\n9", "[3, 2, 4]\n6"],
                "outputs": ["[0, 1]", "[1, 2]"]}
    right_fn = ("class Solution:\n    def twoSum(self, nums, target):\n        seen = {}\n"
                "        for i, x in enumerate(nums):\n            if target - x in seen:\n"
                "                return [seen[target - x], i]\n            seen[x] = i\n")
    expect("fn_name right", score(right_fn, fn_tests), 1.0)
    expect("fn_name wrong", score(right_fn.replace("return [seen[target - x], i]", "return [i, i]"), fn_tests),
           0.0)

    assert_tests = {"assert_case": ["assert add(1, 2) == 3", "assert add(-1, 1) == 0"]}
    expect("assert right", score("def add(a, b):\n    return a + b\n", assert_tests), 1.0)
    expect("assert wrong", score("def add(a, b):\n    return a * b\n", assert_tests), 0.0)

    response, error = sf.call_sandbox_api(url, "raise SystemExit(3)\n", None, 10, 10, 1024, "python")
    expect("SystemExit(3) return code", (response or {}).get("run_result", {}).get("return_code"), 3)
    expect("SystemExit(3) status", (response or {}).get("status"), "Failed")
    results, _ = sf.check_correctness(url, {"inputs": [""], "outputs": [None]}, "while True:\n    pass\n",
                                      timeout=1)
    expect("endless loop is a timeout (-3)", results, [-3])

    ok = all(c["ok"] for c in checks)
    print(json.dumps({"verl": version, "url": re.sub(r"/k/[^/]+/", "/k/<secret>/", url),
                      "passed": sum(c["ok"] for c in checks), "total": len(checks), "ok": ok,
                      "failures": [c for c in checks if not c["ok"]]}))
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
