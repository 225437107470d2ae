#!/usr/bin/env python3
"""Reference fixture for SmolLM2-135M-Instruct (Q4_1 GGUF) from llama.cpp via llama-cpp-python.

Writes (1) the committed fixture JSON: llama.cpp token ids for a set of prompts, top-10 logits at a
few positions and a greedy 32-token continuation for a few prompts; (2) optionally, an uncommitted
dump of the GGUF tokenizer arrays (tokens, merges, token types, special ids) read with the `gguf`
package, so the Swift tokenizer can be checked before the Swift GGUF reader exists.

Run through Scripts/make-smollm2-fixture.sh, which builds the venv.
"""
import argparse
import json
import sys

import numpy as np

PROMPTS = [
    ("ascii", "Hello, world! This is a simple sentence."),
    ("numbers", "In 2024, 1234567 people paid $89.99 each (3.14159 × 10^6)."),
    ("code", "def add(a, b):\n    return a + b\n\nprint(add(2, 3))  # -> 5\n"),
    ("punctuation", "Wait... what?! \"Quotes\", 'single', [brackets] {braces} <angle> — dash; semi: colon."),
    ("contractions", "I'm sure they're here, we'll see; it's what you'd've done. DON'T SHOUT'S"),
    ("emoji", "Great job 👍🏽! 🎉🎉 Family: 👨‍👩‍👧‍👦 ok"),
    ("cjk", "你好，世界！日本語のテキストと한국어 문장."),
    ("accents", "Café naïve résumé — e\u0301 (combining) Ωmega ß"),
    ("whitespace", "a  b   c\t\td\n\n\ne    \n  f \r\n g   "),
    ("newlines", "\n\nLine one\nLine two\n\n\n"),
    ("math", "Solve for x: 3x + 7 = 22. So x = (22 - 7) / 3 = 5. \\boxed{5}"),
    (
        "chatml",
        "<|im_start|>system\nYou are a helpful AI assistant named SmolLM, trained by Hugging Face<|im_end|>\n"
        "<|im_start|>user\nWhat is 12 * 13?<|im_end|>\n<|im_start|>assistant\n",
    ),
]
# Seeded random strings over pools that stress the pre-tokenizer and byte-level BPE.
RANDOM_POOLS = [
    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ",
    "0123456789",
    "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~",
    "    \t\n\n\r",
    "\u00a0\u3000\u2028\u2009\u001c\u0085",
    ["'s", "'S", "'re", "'LL", "'d", "'ve", "n't"],
    ["the", " the", " of", " and", " to", " in", "ing", " is", "tion"],
    "\U0001F600\U0001F44D\U0001F3FD\u200d\U0001F468\U0001F469\u2764\ufe0f\U0001F389",
    "你好世界中文字日本語のテキストカタカナ한국어문장",
    "абвгдежзийΑΒΓΔαβγδεζηθ",
    "\u0301\u0308\u0327\u20dd\u0e31",
    "\u0660\u0661\u0662\u00bd\u00b2\u2167\u0966\uff11",
    ["<|im_start|>", "<|im_end|>", "<|im", "|>", "<|endoftext|>", "<file_sep>"],
]
N_RANDOM = 80


def random_prompts(seed=20241124):
    import random

    rng = random.Random(seed)
    out = []
    for _ in range(N_RANDOM):
        parts = []
        for _ in range(rng.randint(1, 24)):
            pool = rng.choice(RANDOM_POOLS)
            parts.append(rng.choice(pool))
        out.append("".join(parts))
    return out


LOGIT_PROMPTS = ["chatml", "ascii", "code"]
TOP_K = 10
N_GREEDY = 32


def dump_tokenizer(gguf_path, out_path):
    from gguf import GGUFReader

    r = GGUFReader(gguf_path)

    def get(key, default=None):
        f = r.fields.get(key)
        return f.contents() if f is not None else default

    d = {
        "source": "tokenizer.ggml.* keys of " + gguf_path.split("/")[-1] + ", dumped with the gguf package",
        "model": get("tokenizer.ggml.model"),
        "pre": get("tokenizer.ggml.pre"),
        "tokens": get("tokenizer.ggml.tokens"),
        "merges": get("tokenizer.ggml.merges"),
        "token_type": [int(t) for t in get("tokenizer.ggml.token_type")],
        "bos_token_id": get("tokenizer.ggml.bos_token_id"),
        "eos_token_id": get("tokenizer.ggml.eos_token_id"),
        "unknown_token_id": get("tokenizer.ggml.unknown_token_id"),
        "padding_token_id": get("tokenizer.ggml.padding_token_id"),
        "add_bos_token": get("tokenizer.ggml.add_bos_token"),
        "chat_template": get("tokenizer.chat_template"),
    }
    with open(out_path, "w", encoding="utf-8") as f:
        json.dump(d, f, ensure_ascii=False)
    print(f"wrote tokenizer dump {out_path} ({len(d['tokens'])} tokens, {len(d['merges'])} merges)", file=sys.stderr)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gguf", required=True)
    ap.add_argument("--out")
    ap.add_argument("--dump")
    ap.add_argument("--dump-only", action="store_true", help="only write --dump (needs gguf, not llama_cpp)")
    args = ap.parse_args()

    if args.dump:
        dump_tokenizer(args.gguf, args.dump)
    if args.dump_only:
        return

    import llama_cpp
    from llama_cpp import Llama

    llm = Llama(model_path=args.gguf, n_ctx=512, n_threads=2, n_threads_batch=2, logits_all=True,
                seed=0, verbose=False)
    vocab_n = llm.n_vocab()

    prompts = []
    for name, text in PROMPTS:
        data = text.encode("utf-8")
        plain = llm.tokenize(data, add_bos=False, special=False)
        special = llm.tokenize(data, add_bos=False, special=True)
        back = llm.detokenize(special, special=True).decode("utf-8")
        prompts.append({"name": name, "text": text, "ids": plain, "ids_special": special,
                        "detokenized_special": back})

    randoms = []
    for text in random_prompts():
        data = text.encode("utf-8")
        randoms.append({"text": text, "ids": llm.tokenize(data, add_bos=False, special=False),
                        "ids_special": llm.tokenize(data, add_bos=False, special=True)})

    by_name = {p["name"]: p for p in prompts}
    logits = []
    for name in LOGIT_PROMPTS:
        ids = by_name[name]["ids_special"]
        llm.reset()
        llm.eval(ids)
        scores = np.array(llm.scores[: len(ids)], dtype=np.float32)  # [n_tokens, vocab]
        positions = sorted({0, len(ids) // 2, len(ids) - 1})
        at = []
        for pos in positions:
            row = scores[pos]
            top = np.argsort(-row, kind="stable")[:TOP_K]
            # Full precision: a Python float holds the Float32 value exactly, so the Swift test can
            # compare bit patterns.
            at.append({"position": pos, "top_ids": [int(i) for i in top],
                       "top_logits": [float(row[i]) for i in top]})
        # Greedy continuation: argmax of the last logits, fed back one token at a time.
        # greedy_logits[i]: the logit of greedy_ids[i] (the maximum of the logits it was chosen from).
        gen, gen_logits = [], []
        row = scores[len(ids) - 1]
        for _ in range(N_GREEDY):
            nxt = int(np.argmax(row))
            gen.append(nxt)
            gen_logits.append(float(row[nxt]))
            llm.eval([nxt])
            row = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
        text = llm.detokenize(gen, special=True).decode("utf-8", errors="replace")
        logits.append({"prompt": name, "prompt_ids": ids, "positions": at,
                       "greedy_ids": gen, "greedy_logits": gen_logits, "greedy_text": text})

    fixture = {
        "description": "llama.cpp reference for SmolLM2-135M-Instruct Q4_1 (Scripts/make-smollm2-fixture.py)",
        "model_file": args.gguf.split("/")[-1],
        "llama_cpp_python_version": llama_cpp.__version__,
        "llama_cpp_system_info": llama_cpp.llama_print_system_info().decode("utf-8", errors="replace").strip(),
        "vocab_size": vocab_n,
        "tokenize_settings": {
            "ids": "llm.tokenize(text, add_bos=False, special=False): special-token text is plain text",
            "ids_special": "llm.tokenize(text, add_bos=False, special=True): <|im_start|> etc. parsed",
            "model_add_bos_token": False,
            "random_prompts": f"{N_RANDOM} strings from random.Random(20241124) over RANDOM_POOLS in the script",
        },
        "eval_settings": {"n_ctx": 512, "n_threads": 2, "logits_all": True, "temperature": 0,
                          "greedy": "argmax over raw logits, no EOS stop, no repetition penalty",
                          "top_k_logits": TOP_K, "greedy_tokens": N_GREEDY,
                          "note": "logits are full Float32 values: Recheck's llama.cpp arithmetic (quantized path) "
                                  "must match them bit for bit; its Float32 path compares with a tolerance"},
        "eos_token_id": 2,
        "prompts": prompts,
        "random_prompts": randoms,
        "logits": logits,
    }
    with open(args.out, "w", encoding="utf-8") as f:
        json.dump(fixture, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"wrote {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
