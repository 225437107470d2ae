#!/usr/bin/env python3
"""Peer for `recheck bench tokenize`: llama.cpp's tokenizer (llama-cpp-python, vocab only) encoding
each line of a text file; prints the best-of-N throughput in MB/s of UTF-8 input on stdout,
timed in thread CPU time like the Swift side."""
import argparse
import time

from llama_cpp import Llama

ap = argparse.ArgumentParser()
ap.add_argument("--gguf", required=True)
ap.add_argument("--text", required=True)
ap.add_argument("--repeats", type=int, default=3)
args = ap.parse_args()
lines = [l.encode("utf-8") for l in open(args.text, encoding="utf-8").read().split("\n") if l]
mb = sum(len(l) for l in lines) / 1e6
llm = Llama(model_path=args.gguf, vocab_only=True, verbose=False)
best = float("inf")
for _ in range(max(1, args.repeats)):
    t = time.thread_time()
    for l in lines:
        llm.tokenize(l, add_bos=False, special=False)
    best = min(best, time.thread_time() - t)
print(f"{mb / best:.3f}")
