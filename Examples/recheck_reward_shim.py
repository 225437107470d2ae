"""Thin clients of `recheck serve` (SCoRe spec §6.5) for Python RL frameworks. Standard library only.

verl (`custom_reward_function.path: Examples/recheck_reward_shim.py`, `name: compute_score`,
`reward_kwargs: {verifier_url: "http://127.0.0.1:8088"}`):
    compute_score(data_source, solution_str, ground_truth, extra_info=None, **kw) -> {"score": r, ...}

TRL (`GRPOTrainer(reward_funcs=[recheck_math_reward], ...)`, dataset column `answer`):
    recheck_math_reward(prompts, completions, answer, **kw) -> [float, ...]

OpenRLHF needs no shim: `--reward.remote_url http://127.0.0.1:8088/get_reward`.
verl's code reward can use the server's SandboxFusion route: `reward_model.sandbox_fusion.url=http://127.0.0.1:8088/run_code`.
"""

import json
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8088"


def _verify(items, url=DEFAULT_URL, timeout=180):
    request = urllib.request.Request(
        url.rstrip("/") + "/verify",
        data=json.dumps({"items": items}).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())["results"]


def _label(ground_truth):
    # verl's ground_truth is the reference answer, or a JSON label object for code tasks.
    if isinstance(ground_truth, dict):
        return dict(ground_truth)
    if isinstance(ground_truth, str) and ground_truth.lstrip().startswith("{"):
        return json.loads(ground_truth)
    return {"task": "math", "answer": str(ground_truth)}


def compute_score(data_source, solution_str, ground_truth, extra_info=None, verifier_url=DEFAULT_URL, **kwargs):
    item = _label(ground_truth)
    item["response"] = solution_str
    result = _verify([item], url=verifier_url)[0]
    return {"score": result["reward"], "correct": float(result["correct"]), "extracted": result.get("extracted") or ""}


def recheck_math_reward(prompts, completions, answer, verifier_url=DEFAULT_URL, **kwargs):
    def text(completion):
        # Conversational datasets give a list of messages; the last one is the model's.
        return completion[-1]["content"] if isinstance(completion, list) else completion

    items = [{"id": str(i), "task": "math", "response": text(c), "answer": str(a)}
             for i, (c, a) in enumerate(zip(completions, answer))]
    return [r["reward"] for r in _verify(items, url=verifier_url)]


if __name__ == "__main__":
    # Smoke test against a running server: python3 Examples/recheck_reward_shim.py
    print(compute_score("math", "so the answer is \\boxed{\\frac{1}{2}}", "0.5"))
    print(recheck_math_reward(["p", "p"], ["\\boxed{3}", "\\boxed{4}"], ["3", "3"]))
