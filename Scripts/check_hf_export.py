"""Checks a Recheck-trained checkpoint against transformers (see check-hf-export.sh)."""
import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

import torch
from transformers import AutoModelForCausalLM, AutoTokenizer, GenerationConfig

PROMPTS = [
    "Natalia sold clips to 48 of her friends in April, and then she sold half as many clips in May.",
    "What is 12 * 7? Put the final answer in \\boxed{}.",
    "  Leading spaces, digits 12345 and ünïcödé  ",
]
SYSTEM = "Please reason step by step, and put your final answer within \\boxed{}."


def run(cmd):
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--recheck", required=True)
    ap.add_argument("--gguf", required=True)
    ap.add_argument("--work", required=True)
    ap.add_argument("--model-dir", help="check this Recheck-written directory instead of training one")
    a = ap.parse_args()
    work = Path(a.work)
    if a.model_dir:
        return check(a, work, Path(a.model_dir))

    # Two S²R behaviour-initialisation examples in SmolLM2's chat format (prompt = rendered turns).
    def chat_prompt(q):
        return (f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n{q}<|im_end|>\n"
                "<|im_start|>assistant\n")
    examples = [
        {"id": "a", "prompt": chat_prompt("What is 2+3?"), "wrong_attempts": 1,
         "answer": "2+3=6. \\boxed{6}\n\nWait, let me recheck my solution.\n\n2+3 is 5, not 6."
                   " So my solution is incorrect.\n\nLet me try again.\n\n2+3=5. \\boxed{5}\n\n"
                   "Wait, let me recheck my solution.\n\n5 is right. So my solution is correct."},
        {"id": "b", "prompt": chat_prompt("What is 4*4?"), "wrong_attempts": 0,
         "answer": "4*4=16. \\boxed{16}\n\nWait, let me recheck my solution.\n\n16 is right."
                   " So my solution is correct."},
    ]
    data = work / "sft.jsonl"
    data.write_text("".join(json.dumps(e) + "\n" for e in examples))
    run_dir = work / "run"
    t = time.time()
    run([a.recheck, "sft", "--model", a.gguf, "--data", data, "--out", run_dir, "--steps", "1",
         "--batch", "2", "--lr", "1e-4", "--max-length", "160", "--checkpoint-every", "0"])
    print(f"sft: {time.time() - t:.1f} s")
    return check(a, work, run_dir / "model")


def check(a, work, model_dir):
    """transformers loads model_dir; ids and every position's logits match `recheck logits`."""
    for name in ["config.json", "model.safetensors", "tokenizer.json", "tokenizer_config.json",
                 "generation_config.json"]:
        assert (model_dir / name).exists(), f"missing {name}"

    tok = AutoTokenizer.from_pretrained(model_dir)
    model = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float32)
    model.eval()
    # The same checkpoint in Float64 on both sides. Float32 logits cannot be held to 1e-4 of each other:
    # each side rounds in its own summation order (OpenBLAS here, oneDNN/MKL there) and transformers'
    # own Float32 logits are up to 1.4e-4 from its Float64 ones on SmolLM2, so even exact logits from
    # Recheck could miss such a bound. Asserted instead: (1) `recheck logits --float64` within 1e-4 of
    # transformers' Float64 logits — the checkpoint reads the same (a wrong weight, norm or RoPE shows
    # up as ≫ 1e-4; what remains, ~3e-5, is transformers' Float64 model itself, whose modeling_llama.py
    # casts each RMSNorm's input and RoPE's angles to Float32); (2) Recheck's Float32 error (its Float32 logits
    # vs its Float64 ones), what training and sampling use, at most twice transformers' own.
    # The Float32-to-Float32 difference is printed for reference.
    exact = AutoModelForCausalLM.from_pretrained(model_dir, dtype=torch.float64)
    exact.eval()
    gen = GenerationConfig.from_pretrained(model_dir)
    assert tok.chat_template, "tokenizer_config.json has no chat template"
    assert gen.eos_token_id is not None, "generation_config.json has no eos_token_id"

    failures = 0
    passes = 0
    for prompt in PROMPTS:
        for chat in (False, True):
            out = work / "logits.json"
            cmd = [a.recheck, "logits", "--model", model_dir, "--prompt", prompt, "--out", out]
            if chat:
                cmd.append("--chat")
            run(cmd)
            ours = json.loads(out.read_text())
            run(cmd + ["--float64"])
            ours64 = json.loads(out.read_text())
            if chat:
                ids = tok.apply_chat_template([{"role": "user", "content": prompt}],
                                              add_generation_prompt=True, tokenize=True)
                if isinstance(ids, dict) or hasattr(ids, "keys"):
                    ids = ids["input_ids"]
            else:
                ids = tok(prompt)["input_ids"]
            ids = list(ids)
            if ids != ours["token_ids"] or ids != ours64["token_ids"]:
                print(f"FAIL ids (chat={chat}) {prompt!r}:\n  transformers {ids}\n  recheck      {ours['token_ids']}")
                failures += 1
                continue
            with torch.no_grad():
                theirs = model(torch.tensor([ids])).logits[0]
                truth = exact(torch.tensor([ids])).logits[0]
            mine = torch.tensor(ours["logits"], dtype=torch.float64)
            mine64 = torch.tensor(ours64["logits"], dtype=torch.float64)
            diff64 = (truth - mine64).abs().max().item()
            diff = (mine64 - mine).abs().max().item()
            diff32 = (theirs.double() - mine).abs().max().item()
            ref32 = (theirs.double() - truth).abs().max().item()
            good = diff64 <= 1e-4 and diff <= max(2 * ref32, 1e-4)
            passes += good
            failures += not good
            print(f"{'ok' if good else 'FAIL'} chat={chat} tokens={len(ids)} max|Δlogit| Float64 vs transformers "
                  f"Float64 {diff64:.2e} (≤ 1e-4); Float32 error: Recheck {diff:.2e}, transformers {ref32:.2e} "
                  f"(≤ 2×); Float32 vs Float32 {diff32:.2e}  {prompt[:32]!r}")
    print(f"check-hf-export: {passes} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
