"""Thin clients of `recheck serve` (SCoRe spec §6.5) for Python RL frameworks. Standard library only.

Tested with TRL 1.16.0, OpenRLHF 0.11.2 and verl 0.9.1 (Scripts/check-frameworks.sh); commands in
Docs/frameworks.md. Every function takes `verifier_url` (default http://127.0.0.1:8088) and
`api_key` (default: the RECHECK_API_KEY environment variable). With a key the request carries
`Authorization: Bearer <key>`; a server started with `--api-key-file` also accepts the key as a
path prefix, http://HOST:PORT/k/<key>/..., which is how OpenRLHF (no headers) reaches it.

verl (reward.custom_reward_function.path=Examples/recheck_reward_shim.py,
      reward.custom_reward_function.name=compute_score,
      +reward.custom_reward_function.reward_kwargs.verifier_url=http://127.0.0.1:8088):
    compute_score(data_source, solution_str, ground_truth, extra_info=None, **kw) -> {"score": r, ...}
    The label comes from extra_info["label"] when present (every `recheck export --format verl` row),
    else from ground_truth (a bare answer is a math answer). SCoRe turns add r1 =
    extra_info["previous_reward"] and α = extra_info["shaping"] (Stage II: r2 + α(r2 − r1)).

TRL GRPOTrainer(reward_funcs=[recheck_reward], ...) on `recheck export --format trl --kind rl-prompts`:
    recheck_reward(prompts, completions, label=None, answer=None, **kw) -> [float, ...]
    (`label` is the export's column; datasets with a bare `answer` column work too.)

TRL SFTTrainer on `recheck export --format trl --kind s2r-sft`:
    Dataset.from_list(recheck_sft_dataset(read_jsonl(path), tokenizer)) -> pre-tokenised rows whose
    labels train each row's completion and, on the last segment only, the EOS.

OpenRLHF needs no shim: --reward.remote_url http://127.0.0.1:8088/get_reward with the label column.
verl's code reward can use the server's SandboxFusion route: reward.sandbox_fusion.url=http://127.0.0.1:8088/run_code.
"""

import json
import os
import urllib.request

DEFAULT_URL = "http://127.0.0.1:8088"


def _verify(items, url=DEFAULT_URL, api_key=None, timeout=180):
    key = api_key if api_key is not None else os.environ.get("RECHECK_API_KEY")
    headers = {"Content-Type": "application/json"}
    if key:
        headers["Authorization"] = "Bearer " + key
    request = urllib.request.Request(
        url.rstrip("/") + "/verify", data=json.dumps({"items": items}).encode(), headers=headers)
    with urllib.request.urlopen(request, timeout=timeout) as response:
        return json.loads(response.read())["results"]


def _label(value):
    """A label object from a §6.5 label (JSON text or dict) or a bare math answer."""
    if isinstance(value, dict):
        return dict(value)
    if isinstance(value, str) and value.lstrip().startswith("{"):
        return json.loads(value)
    return {"task": "math", "answer": str(value)}


def _text(completion):
    # Conversational datasets give a list of messages; the last one is the model's.
    return completion[-1]["content"] if isinstance(completion, list) else completion


def compute_score(data_source, solution_str, ground_truth, extra_info=None, verifier_url=DEFAULT_URL,
                  api_key=None, **kwargs):
    extra = extra_info or {}
    item = _label(extra["label"]) if extra.get("label") else _label(ground_truth)
    if item.get("r1") is None and extra.get("previous_reward") is not None:
        item["r1"] = extra["previous_reward"]
    if item.get("shaping") is None and extra.get("shaping") is not None:
        item["shaping"] = extra["shaping"]
    item["response"] = solution_str
    result = _verify([item], url=verifier_url, api_key=api_key)[0]
    return {"score": result["reward"], "correct": float(result["correct"]),
            "extracted": result.get("extracted") or ""}


def recheck_reward(prompts, completions, label=None, answer=None, verifier_url=DEFAULT_URL, api_key=None,
                   **kwargs):
    labels = label if label is not None else answer
    if labels is None:
        raise ValueError("recheck_reward needs a `label` column (recheck export) or an `answer` column")
    items = []
    for i, (c, l) in enumerate(zip(completions, labels)):
        item = _label(l)
        item.update(id=str(i), response=_text(c))
        items.append(item)
    return [r["reward"] for r in _verify(items, url=verifier_url, api_key=api_key)]


# The name earlier releases documented.
recheck_math_reward = recheck_reward


def read_jsonl(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def recheck_sft_dataset(rows, tokenizer):
    """S²R SFT segment rows → pre-tokenised rows {input_ids, labels} (labels -100 off the completion).

    The completion starts where the tokenised prompt and prompt+completion diverge (as TRL computes
    it); the tokenizer's EOS is appended to `end` rows only (unless the completion already ends with
    it), so middle segments do not teach the model to stop. TRL uses such rows as they are.
    """
    out = []
    eos_id, eos = tokenizer.eos_token_id, tokenizer.eos_token
    for r in rows:
        prompt_ids = tokenizer(r["prompt"])["input_ids"]
        ids = tokenizer(r["prompt"] + r["completion"])["input_ids"]
        start = 0
        while start < min(len(prompt_ids), len(ids)) and prompt_ids[start] == ids[start]:
            start += 1
        if r.get("end", True) and not r["completion"].endswith(eos):
            ids = ids + [eos_id]
        out.append({"input_ids": ids, "labels": [-100] * start + ids[start:]})
    return out


if __name__ == "__main__":
    # Smoke test against a running server: python3 Examples/recheck_reward_shim.py
    print(compute_score("math", "so the answer is \\boxed{\\frac{1}{2}}", "0.5"))
    print(recheck_reward(["p", "p"], ["\\boxed{3}", "\\boxed{4}"], label=['{"task":"math","answer":"3"}'] * 2))
