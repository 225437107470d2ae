#!/usr/bin/env python3
"""Reference pre-tokenizer splits from Hugging Face `tokenizers` (the Rust library) for Recheck's
four byte-level pre-tokenizers, on the SmolLM2 fixture prompts plus seeded random strings.
Writes Tests/TokenizersTests/Fixtures/pretokenizer-hf.json: for each text, the end offsets of the
pieces in Unicode scalars (Python str indices). No model files are needed.

Usage: <python with tokenizers> Scripts/make-pretokenizer-fixture.py   (the venv of
Scripts/make-smollm2-fixture.sh has it)."""
import importlib.util
import json
import os
import random

import tokenizers
from tokenizers import Regex, pre_tokenizers

HERE = os.path.dirname(os.path.abspath(__file__))
spec = importlib.util.spec_from_file_location("smollm2_fixture", os.path.join(HERE, "make-smollm2-fixture.py"))
smol = importlib.util.module_from_spec(spec)
spec.loader.exec_module(smol)

LLAMA3 = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"
QWEN2 = r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+"

PRE = {
    "gpt2": pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True),
    "gpt2IndividualDigits": pre_tokenizers.Sequence(
        [pre_tokenizers.Digits(individual_digits=True), pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)]
    ),
    "llama3": pre_tokenizers.Split(Regex(LLAMA3), behavior="isolated", invert=False),
    "qwen2": pre_tokenizers.Split(Regex(QWEN2), behavior="isolated", invert=False),
}


# U+001C..U+001F are whitespace to llama.cpp (its tables come from Python's str.isspace) but not to
# HF's regex engine; Recheck follows llama.cpp (checked by the SmolLM2 fixture), so they are left out
# here. Every other character of the pools splits identically in the two libraries.
LLAMA_CPP_ONLY_WHITESPACE = "\u001c\u001d\u001e\u001f"


def main():
    texts = [t for _, t in smol.PROMPTS]
    rng = random.Random(7)
    pools = [p if isinstance(p, list) else "".join(c for c in p if c not in LLAMA_CPP_ONLY_WHITESPACE)
             for p in smol.RANDOM_POOLS]
    for _ in range(150):
        texts.append("".join(rng.choice(rng.choice(pools)) for _ in range(rng.randint(1, 30))))
    splits = {}
    for name, pre in PRE.items():
        splits[name] = [[end for _, (_, end) in pre.pre_tokenize_str(t)] for t in texts]
    out = {
        "description": "HF tokenizers pre_tokenize_str splits (piece end offsets in Unicode scalars)",
        "tokenizers_version": tokenizers.__version__,
        "texts": texts,
        "splits": splits,
    }
    path = os.path.join(HERE, "..", "Tests", "TokenizersTests", "Fixtures", "pretokenizer-hf.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, separators=(",", ":"))
        f.write("\n")
    print("wrote", os.path.normpath(path))


if __name__ == "__main__":
    main()
