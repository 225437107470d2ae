#!/usr/bin/env python3
"""Greedy continuations of `recheck generate` next to llama.cpp's, token by token, on prompts beyond
the committed fixture (short, code, numbers, chat turns, and prompts of 400–800 tokens that span several of
llama.cpp's 256-key attention blocks and two 512-token batches). Exits 1 if any differs.

  bash Scripts/make-smollm2-fixture.sh --deps-only    # the llama-cpp-python venv
  swift build -c release -Xswiftc -enable-testing --product recheck
  ~/.cache/recheck/venv-llamacpp/bin/python Scripts/compare-greedy-llamacpp.py \\
      --gguf "$(bash Scripts/fetch-smollm2.sh)" --recheck .build/release/recheck
"""
import argparse
import json
import subprocess
import sys

import numpy as np
from llama_cpp import Llama

PROMPTS = [
    "The capital of France is",
    "Q: A train travels 60 miles in 1.5 hours. What is its average speed?\nA:",
    "import numpy as np\n\ndef softmax(x):\n",
    "1, 1, 2, 3, 5, 8, 13,",
    "Once upon a time, there was a little robot named Bolt. " * 30,
    "def f(n):\n    return n * 2\n\n" * 60,
]
# `recheck generate --chat` turns; llama.cpp gets SmolLM2's template rendered as text (the default
# system turn its Jinja template adds, then the user turn and the assistant header).
CHATS = ["Write a haiku about the sea.", "What is 12 * 13?"]
SYSTEM = "You are a helpful AI assistant named SmolLM, trained by Hugging Face"


def chatml(user):
    return (f"<|im_start|>system\n{SYSTEM}<|im_end|>\n<|im_start|>user\n{user}<|im_end|>\n"
            "<|im_start|>assistant\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gguf", required=True)
    ap.add_argument("--recheck", required=True, help="path of the recheck binary")
    ap.add_argument("--tokens", type=int, default=48)
    args = ap.parse_args()
    llm = Llama(model_path=args.gguf, n_ctx=2048, n_threads=2, n_threads_batch=2, logits_all=True, seed=0,
                verbose=False)
    same = 0
    # Plain prompts are plain text on both sides (no special-token parsing), chat turns are templated.
    cases = [(p, False) for p in PROMPTS] + [(c, True) for c in CHATS]
    for prompt, chat in cases:
        text = chatml(prompt) if chat else prompt
        ids = llm.tokenize(text.encode("utf-8"), add_bos=False, special=chat)
        llm.reset()
        llm.eval(ids)
        row, reference = np.array(llm.scores[len(ids) - 1], dtype=np.float32), []
        for _ in range(args.tokens):
            reference.append(int(np.argmax(row)))
            llm.eval([reference[-1]])
            row = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
        run = subprocess.run([args.recheck, "generate", "--model", args.gguf, "--prompt", prompt, "--max-tokens",
                              str(args.tokens), "--temperature", "0", "--json"] + (["--chat"] if chat else []),
                             capture_output=True, text=True, check=True)
        mine = json.loads(run.stdout)["token_ids"]
        # recheck stops at the end-of-sequence token; llama.cpp here does not.
        reference = reference[:len(mine)] if len(mine) < args.tokens else reference
        agree = next((i for i, (a, b) in enumerate(zip(mine, reference)) if a != b), len(reference))
        same += mine == reference
        label = ("chat: " if chat else "") + repr(prompt[:40])
        print(f"{len(ids):4d} prompt tokens: {agree}/{len(reference)} tokens agree  {label}")
    print(f"identical continuations: {same}/{len(cases)}")
    sys.exit(0 if same == len(cases) else 1)


if __name__ == "__main__":
    main()
