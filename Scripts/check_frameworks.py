"""Runs TRL, OpenRLHF and verl's own code on Recheck's exports and reward server (issue #22).

Called by Scripts/check-frameworks.sh, which builds the venv, the exports (in WORK) and starts
`recheck serve` (URL). Every check prints PASS/FAIL; the last line is
`check_frameworks.py: N passed, M failed` (also written to WORK/python-results for the shell
script's total), and the exit status is non-zero on any failure.

    python Scripts/check_frameworks.py WORK URL [SECURE_URL KEY]

SECURE_URL is a second `recheck serve` started with `--api-key-file` holding KEY ("" when it did not
start: the secured-server check then fails).
"""

import json
import os
import subprocess
import sys
import traceback
from types import SimpleNamespace

WORK, URL = sys.argv[1], sys.argv[2].rstrip("/")
SECURE_URL, KEY = (sys.argv[3].rstrip("/"), sys.argv[4]) if len(sys.argv) > 4 else ("", "")
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "Examples"))
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import recheck_reward_shim as shim  # noqa: E402

RESULTS = []


def check(name):
    def run(fn):
        try:
            fn()
            RESULTS.append((name, None))
            print(f"PASS {name}", flush=True)
        except Exception as e:  # every failure is reported, the rest still run
            RESULTS.append((name, e))
            print(f"FAIL {name}: {type(e).__name__}: {e}", flush=True)
            traceback.print_exc()
        return fn
    return run


def rows(name):
    return shim.read_jsonl(os.path.join(WORK, name))


def expect(cond, what):
    if not cond:
        raise AssertionError(what)


def to_parquet(jsonl, parquet):
    # The converter Docs/frameworks.md gives, run as written.
    subprocess.run([sys.executable, os.path.join(ROOT, "Scripts", "jsonl_to_parquet.py"), jsonl, parquet],
                   check=True, stdout=subprocess.DEVNULL)


# ---------------------------------------------------------------- tiny model, built locally

import torch  # noqa: E402
from transformers import LlamaConfig, LlamaForCausalLM, PreTrainedTokenizerFast  # noqa: E402

CHATML = ("{% for m in messages %}{{ '<|im_start|>' + m['role'] + '\n' + m['content'] + '<|im_end|>\n' }}"
          "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
MODEL = os.path.join(WORK, "tiny-model")


def build_tiny_model():
    """A byte-level BPE trained on the exports and a random 2-layer LLaMA: no download."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    corpus = []
    for f in os.listdir(WORK):
        if f.endswith(".jsonl"):
            corpus += open(os.path.join(WORK, f), encoding="utf-8").read().splitlines()
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    specials = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
    tok.train_from_iterator(corpus, trainers.BpeTrainer(
        vocab_size=600, special_tokens=specials, initial_alphabet=pre_tokenizers.ByteLevel.alphabet()))
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|im_end|>", pad_token="<|endoftext|>")
    fast.chat_template = CHATML
    fast.save_pretrained(MODEL)
    torch.manual_seed(0)
    config = LlamaConfig(
        vocab_size=len(fast), hidden_size=32, intermediate_size=64, num_hidden_layers=2, num_attention_heads=2,
        num_key_value_heads=2, max_position_embeddings=2048, eos_token_id=fast.eos_token_id,
        pad_token_id=fast.pad_token_id, bos_token_id=None, tie_word_embeddings=True)
    LlamaForCausalLM(config).save_pretrained(MODEL)


build_tiny_model()
from transformers import AutoTokenizer  # noqa: E402

TOK = AutoTokenizer.from_pretrained(MODEL)
EOS = TOK.eos_token_id
MATH = rows("math.jsonl")  # {"id","problem","answer"}: the problems rl-prompts was exported from


def boxed(answer):
    return f"so the answer is \\boxed{{{answer}}}"


# ---------------------------------------------------------------- TRL 1.16

@check("trl SFTTrainer: S²R segment rows train exactly each completion (+EOS on the end row only), 2 steps")
def _():
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer
    seg = rows("s2r_trl.jsonl")
    expect(any(not r["end"] for r in seg), "the demo's S²R data should have middle segments")
    data = shim.recheck_sft_dataset(seg, TOK)
    for r, d in zip(seg, data):
        trained = [t for t in d["labels"] if t != -100]
        want = TOK(r["prompt"] + r["completion"])["input_ids"][len(TOK(r["prompt"])["input_ids"]):]
        want = want + ([EOS] if r["end"] else [])
        expect(trained == want, f"row {r['id']}#{r['segment']}: trained tokens differ from its completion")
        expect(trained.count(EOS) == (1 if r["end"] else 0), "EOS must be trained on end rows only")
    args = SFTConfig(output_dir=os.path.join(WORK, "trl-sft"), max_steps=2, per_device_train_batch_size=2,
                     logging_steps=1, report_to="none", save_strategy="no", use_cpu=True, max_length=1024)
    trainer = SFTTrainer(model=MODEL, args=args, train_dataset=Dataset.from_list(data), processing_class=TOK)
    prepared = trainer.train_dataset[0]
    expect(prepared["labels"] == data[0]["labels"], "TRL changed the pre-tokenised labels")
    out = trainer.train()
    expect(trainer.state.global_step == 2 and out.training_loss == out.training_loss, "2 finite steps")


@check("trl SFTTrainer: ChatML string row ending '<|im_end|>' gets no second end-of-turn")
def _():
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer
    chat = rows("s2r_chatml_trl.jsonl")
    expect(chat[0]["completion"].endswith("<|im_end|>"), "export should drop the newline after <|im_end|>")
    args = SFTConfig(output_dir=os.path.join(WORK, "trl-sft2"), max_steps=1, report_to="none",
                     save_strategy="no", use_cpu=True, completion_only_loss=True)
    # The rows as exported (extra columns end, id, segment, weight included) go straight in.
    trainer = SFTTrainer(model=MODEL, args=args, train_dataset=Dataset.from_list(chat), processing_class=TOK)
    ids = trainer.train_dataset[0]["input_ids"]
    expect(ids.count(EOS) == chat[0]["prompt"].count("<|im_end|>") + 1, "exactly one end-of-turn after the reply")
    trainer.train()


@check("trl SFTTrainer: conversational rows from the demo's plain-text S²R data")
def _():
    from datasets import Dataset
    from trl import SFTConfig, SFTTrainer
    conv = rows("s2r_trl_conv.jsonl")
    args = SFTConfig(output_dir=os.path.join(WORK, "trl-sft3"), max_steps=2, per_device_train_batch_size=2,
                     report_to="none", save_strategy="no", use_cpu=True)
    trainer = SFTTrainer(model=MODEL, args=args, train_dataset=Dataset.from_list(conv), processing_class=TOK)
    labels = trainer.train_dataset[0]["labels"]
    trained = TOK.decode([t for t in labels if t != -100])
    expect(trained == conv[0]["completion"][0]["content"] + "<|im_end|>\n", f"trained {trained!r}")
    trainer.train()


@check("trl GRPOTrainer: 1 step on rl-prompts, rewards from recheck serve through the shim (label column)")
def _():
    from datasets import Dataset
    from trl import GRPOConfig, GRPOTrainer
    data = rows("rl_trl.jsonl")
    seen = []

    def reward(prompts, completions, label, **kw):
        r = shim.recheck_reward(prompts, completions, label=label, verifier_url=URL)
        seen.append((label, r))
        return r

    args = GRPOConfig(output_dir=os.path.join(WORK, "trl-grpo"), max_steps=1, per_device_train_batch_size=2,
                      num_generations=2, max_completion_length=8, report_to="none", save_strategy="no",
                      use_cpu=True, logging_steps=1, beta=0.0)
    trainer = GRPOTrainer(model=MODEL, reward_funcs=[reward], args=args, train_dataset=Dataset.from_list(data),
                          processing_class=TOK)
    trainer.train()
    expect(trainer.state.global_step == 1 and seen, "one step with server rewards")
    expect(all(v in (0.0, 1.0) for _, r in seen for v in r), f"rewards {seen}")
    label = data[0]["label"]
    answer = json.loads(label)["answer"]
    got = shim.recheck_reward(["p", "p"], [[{"role": "assistant", "content": boxed(answer)}], boxed(answer + "1")],
                              label=[label, label], verifier_url=URL)
    expect(got == [1.0, 0.0], f"right 1, wrong 0: {got}")


# ---------------------------------------------------------------- OpenRLHF 0.11.2

def orl_strategy(**data):
    return SimpleNamespace(args=SimpleNamespace(data=SimpleNamespace(**data)), is_rank_0=lambda: True)


def orl_rewards(queries, prompts, labels, endpoint=None):
    import asyncio
    from openrlhf.utils.agent import SingleTurnAgentExecutor
    executor = SingleTurnAgentExecutor(remote_rm_url=endpoint or URL + "/get_reward")
    return asyncio.run(executor._fetch_rewards_via_http(queries, prompts, labels))[0]


@check("openrlhf PromptDataset (--data.apply_chat_template) + remote reward client on rl-prompts")
def _():
    from datasets import load_dataset
    from openrlhf.datasets import PromptDataset
    ds = load_dataset("json", data_files=os.path.join(WORK, "rl_openrlhf.jsonl"), split="train")
    prompts = PromptDataset(ds, TOK, orl_strategy(input_key="input", label_key="label", apply_chat_template=True))
    _, prompt, label, _ = prompts[0]
    expect(isinstance(prompt, str) and prompt.endswith("<|im_start|>assistant\n"), "templated prompt")
    answer = json.loads(label)["answer"]
    out = orl_rewards([prompt + boxed(answer), prompt + boxed(answer + "1")], [prompt, prompt], [label, label])
    expect(out["rewards"] == [1.0, 0.0] and out["scores"] == [1.0, 0.0], f"{out}")
    expect(set(out["extra_logs"]) >= {"format_ok", "extract_ok", "timeout"}, "extra_logs")


@check("openrlhf remote reward client on the demo's SCoRe turns: synthetic labels, Stage II shaping")
def _():
    turns = [r for r in rows("turns_openrlhf.jsonl") if r["turn"] == 2]
    r2 = turns[0]
    label = json.loads(r2["label"])
    expect(label["task"] == "synthetic" and label["shaping"] == 10 and label["r1"] is not None, f"{label}")
    right, wrong = "x=\\boxed{%s}" % label["answer"], "x=\\boxed{%d}" % (int(label["answer"]) + 1)
    out = orl_rewards([r2["input"] + right, r2["input"] + wrong], [r2["input"]] * 2, [r2["label"]] * 2)
    r1 = label["r1"]
    # The string inputs go through PromptDataset as they are (no chat template, no input template).
    from datasets import load_dataset
    from openrlhf.datasets import PromptDataset
    ds = load_dataset("json", data_files=os.path.join(WORK, "turns_openrlhf.jsonl"), split="train")
    prompts = PromptDataset(ds, TOK, orl_strategy(input_key="input", label_key="label", apply_chat_template=False))
    first = rows("turns_openrlhf.jsonl")[0]
    expect(prompts[0][1:3] == (first["input"], first["label"]), "PromptDataset keeps input and label")
    expect(out["scores"] == [1.0, 0.0], f"{out}")
    expect(out["rewards"] == [1 + 10 * (1 - r1), 0 + 10 * (0 - r1)], f"shaped {out['rewards']} for r1={r1}")


@check("openrlhf remote reward client grades every task's exported label (HumanEval, MBPP in the sandbox; synthetic)")
def _():
    he = json.loads(rows("rl_humaneval_openrlhf.jsonl")[0]["label"])
    mbpp = json.loads(rows("rl_mbpp_openrlhf.jsonl")[0]["label"])
    synth = json.loads(rows("rl_synth_openrlhf.jsonl")[0]["label"])
    expect((he["task"], mbpp["task"], synth["task"]) == ("humaneval", "mbpp", "synthetic"), "tasks")
    code = "```python\ndef {}(a, b):\n    return a {} b\n```"
    queries = [code.format("add", "+"), code.format("add", "-"), code.format("mul", "*"), code.format("mul", "+"),
               "\\boxed{%s}" % synth["answer"], "\\boxed{%d}" % (int(synth["answer"]) + 1)]
    labels = [json.dumps(x) for x in (he, he, mbpp, mbpp, synth, synth)]
    out = orl_rewards(queries, [""] * 6, labels)
    expect(out["rewards"] == [1.0, 0.0] * 3, f"{out}")


@check("openrlhf SFTDataset (--data.input_template \"\"): prompt kept, loss on the output only")
def _():
    from datasets import load_dataset
    from openrlhf.datasets import SFTDataset
    path = os.path.join(WORK, "s2r_openrlhf.jsonl")
    raw = rows("s2r_openrlhf.jsonl")
    ds = load_dataset("json", data_files=path, split="train")
    sft = SFTDataset(ds, TOK, 2048, orl_strategy(input_key="input", output_key="output", apply_chat_template=False),
                     input_template="", num_processors=1)
    expect(sft.prompts[0] == raw[0]["input"], "the prompt must not be re-wrapped")
    ids, _, loss_mask = sft[0]
    ids, loss_mask = ids[0].tolist(), loss_mask[0].tolist()
    # loss_mask[i] = 1 trains token i + 1 (OpenRLHF shifts it): the output's tokens and the end.
    trained = [ids[i + 1] for i in range(len(ids) - 1) if loss_mask[i]]
    expect(TOK.decode(trained).startswith(raw[0]["output"].rstrip("\n")), "trained text is the output")
    expect(trained[-1] == EOS, "ends with EOS")


# ---------------------------------------------------------------- verl 0.9.1

def verl_reward_fn():
    from omegaconf import OmegaConf
    from verl.trainer.ppo.reward import get_custom_reward_fn
    cfg = OmegaConf.create({"reward": {"custom_reward_function": {
        "path": os.path.join(ROOT, "Examples", "recheck_reward_shim.py"), "name": "compute_score",
        "reward_kwargs": {"verifier_url": URL}}}})
    return get_custom_reward_fn(cfg)


def parquet_rows(name):
    import pandas as pd
    to_parquet(os.path.join(WORK, name + ".jsonl"), os.path.join(WORK, name + ".parquet"))
    return pd.read_parquet(os.path.join(WORK, name + ".parquet")).to_dict("records")


@check("verl RLHFDataset on rl-prompts parquet + custom reward loader through the shim")
def _():
    from omegaconf import OmegaConf
    from verl.utils.dataset.rl_dataset import RLHFDataset
    parquet_rows("rl_verl")
    ds = RLHFDataset(os.path.join(WORK, "rl_verl.parquet"), TOK, OmegaConf.create(
        {"prompt_key": "prompt", "max_prompt_length": 1024, "filter_overlong_prompts": False,
         "cache_dir": os.path.join(WORK, "verl-cache")}))
    item = ds[0]
    expect(item["raw_prompt"][-1]["role"] == "user", "raw chat prompt")
    fn = verl_reward_fn()
    gt, extra = item["reward_model"]["ground_truth"], item["extra_info"]
    right = fn(data_source=item["data_source"], solution_str=boxed(gt), ground_truth=gt, extra_info=dict(extra))
    wrong = fn(data_source=item["data_source"], solution_str=boxed(gt + "1"), ground_truth=gt, extra_info=dict(extra))
    expect(right["score"] == 1.0 and wrong["score"] == 0.0, f"{right} {wrong}")


@check("verl custom reward on the demo's SCoRe turns (parquet): previous_reward and shaping used")
def _():
    fn = verl_reward_fn()
    turn2 = [r for r in parquet_rows("turns_verl") if r["extra_info"]["turn"] == 2][0]
    extra = dict(turn2["extra_info"])
    gt = turn2["reward_model"]["ground_truth"]
    r1 = extra["previous_reward"]
    right = fn(data_source="score-turns", solution_str="x=\\boxed{%s}" % gt, ground_truth=gt, extra_info=extra)
    wrong = fn(data_source="score-turns", solution_str="x=\\boxed{%d}" % (int(gt) + 1), ground_truth=gt,
               extra_info=extra)
    expect(right["score"] == 1 + 10 * (1 - r1) and wrong["score"] == -10 * r1, f"{right} {wrong} r1={r1}")
    expect(right["correct"] == 1.0 and wrong["correct"] == 0.0, "raw correctness")


@check("verl MultiTurnSFTDataset on the demo's S²R data (no wrong attempt): assistant reply trained")
def _():
    from omegaconf import OmegaConf
    from verl.utils.dataset.multiturn_sft_dataset import MultiTurnSFTDataset
    parquet_rows("s2r_verl")
    ds = MultiTurnSFTDataset(os.path.join(WORK, "s2r_verl.parquet"), TOK, OmegaConf.create(
        {"max_length": 2048, "truncation": "error", "messages_key": "messages"}))
    item = ds[0]
    ids, mask = item["input_ids"].tolist(), item["loss_mask"].tolist()
    trained = TOK.decode([t for t, m in zip(ids, mask) if m])
    reply = rows("s2r_verl.jsonl")[0]["messages"][-1]["content"]
    expect(trained.startswith(reply) and trained.rstrip("\n").endswith("<|im_end|>"), f"trained {trained!r}")


@check("verl SandboxFusion client (default_compute_score 'codecontests', stdin tests) against /run_code")
def _():
    from verl.utils.reward_score import default_compute_score
    tests = json.dumps({"inputs": ["1 2\n", "5 7\n"], "outputs": ["3\n", "12\n"]})
    right = "```python\na, b = map(int, input().split())\nprint(a + b)\n```"
    wrong = "```python\na, b = map(int, input().split())\nprint(a - b)\n```"
    url = URL + "/run_code"
    r = default_compute_score("codecontests", right, tests, sandbox_fusion_url=url)
    w = default_compute_score("codecontests", wrong, tests, sandbox_fusion_url=url)
    score = lambda x: x["score"] if isinstance(x, dict) else (x[0] if isinstance(x, tuple) else x)  # noqa: E731
    expect(score(r) == 1.0 and score(w) == 0.0, f"right {r}, wrong {w}")


# Scripts/check_verl_sandbox.py tests verl's SandboxFusion client in more depth (stdin, fn_name and
# assert-style problems, exit codes, timeouts), here through the secured server's /k/<key>/ prefix —
# the URL a cluster's verl config names — or the plain server when the secured one did not start.
HELPER = os.path.join(ROOT, "Scripts", "check_verl_sandbox.py")


@check("verl SandboxFusion client in depth: Scripts/check_verl_sandbox.py against recheck serve")
def _():
    target = f"{SECURE_URL}/k/{KEY}/run_code" if SECURE_URL else f"{URL}/run_code"
    subprocess.run([sys.executable, HELPER, target], check=True)


@check("secured recheck serve (--api-key-file): shim Bearer header, OpenRLHF /k/<key>/ URL, no key refused")
def _():
    import urllib.error
    expect(SECURE_URL, "recheck serve --api-key-file did not start (see its log above)")
    label = json.dumps({"task": "math", "answer": "12"})
    got = shim.recheck_reward(["p", "p"], [boxed("12"), boxed("13")], label=[label, label],
                              verifier_url=SECURE_URL, api_key=KEY)
    expect(got == [1.0, 0.0], f"Bearer: {got}")
    try:
        shim.recheck_reward(["p"], [boxed("12")], label=[label], verifier_url=SECURE_URL, api_key="")
        raise AssertionError("a request without the key was served")
    except urllib.error.HTTPError as e:
        expect(400 <= e.code < 500, f"no key → {e.code}")
    out = orl_rewards(["Q " + boxed("12"), "Q " + boxed("13")], ["Q ", "Q "], [label, label],
                      endpoint=f"{SECURE_URL}/k/{KEY}/get_reward")
    expect(out["rewards"] == [1.0, 0.0], f"/k/<key>/get_reward: {out}")


failed = [n for n, e in RESULTS if e is not None]
with open(os.path.join(WORK, "python-results"), "w") as f:
    f.write(f"{len(RESULTS) - len(failed)} {len(failed)}\n")
print(f"check_frameworks.py: {len(RESULTS) - len(failed)} passed, {len(failed)} failed")
sys.exit(1 if failed else 0)
