#!/usr/bin/env python3
"""Peer for `recheck bench generate`: llama.cpp (through llama-cpp-python's C bindings) on the same
GGUF, same prompt ids, 2 threads, F16 KV cache (llama.cpp's default).

Measures, with the same definitions as the Swift side:
  decode_tps   batch 1, greedy (llama.cpp's greedy sampler): (N-1) / seconds from the first sampled
               token to the N-th (prefill excluded; each step = one llama_decode of 1 token + sample)
  batched_tps  B sequences decoded together in one llama_batch per step (one seq_id each, separate KV
               cells), each sampled by its own llama.cpp sampler chain (temperature T then dist with a
               per-sequence seed): B*N / wall seconds including the B-prompt prefill.
Prints one JSON line of numbers (medians over --repeats runs).

Usage: bench_generate_peer.py MODEL.gguf --prompt-ids 1,2,3 [--decode-tokens 64] [--batch 16]
       [--new-tokens 128] [--temperature 0.8] [--repeats 3] [--threads 2] [--omp-passive]
"""
import argparse
import ctypes
import json
import os
import statistics
import sys
import time

# llama.cpp's CPU backend uses OpenMP; its threads spin at barriers by default, which collapses
# throughput when the cores are shared with other processes. --omp-passive must take effect before
# libgomp loads, i.e. before llama_cpp is imported.
if "--omp-passive" in sys.argv:
    os.environ["OMP_WAIT_POLICY"] = "passive"

import llama_cpp as L  # noqa: E402


def quiet_logs():
    @L.llama_log_callback
    def _silent(level, text, user_data):
        pass

    L.llama_log_set(_silent, ctypes.c_void_p())
    return _silent  # keep a reference alive


def make_context(model, n_ctx, n_batch, n_seq, threads):
    p = L.llama_context_default_params()
    p.n_ctx = n_ctx
    p.n_batch = n_batch
    p.n_ubatch = n_batch
    p.n_seq_max = n_seq
    p.n_threads = threads
    p.n_threads_batch = threads
    p.no_perf = True
    ctx = L.llama_init_from_model(model, p)
    if not ctx:
        raise SystemExit("llama_init_from_model failed")
    return ctx


def fill(batch, entries):
    """entries: (token, pos, seq, want_logits)."""
    for i, (tok, pos, seq, logits) in enumerate(entries):
        batch.token[i] = tok
        batch.pos[i] = pos
        batch.n_seq_id[i] = 1
        batch.seq_id[i][0] = seq
        batch.logits[i] = 1 if logits else 0
    batch.n_tokens = len(entries)


def decode(ctx, batch):
    if L.llama_decode(ctx, batch) != 0:
        raise SystemExit("llama_decode failed")


def sampler(temperature, seed):
    chain = L.llama_sampler_chain_init(L.llama_sampler_chain_default_params())
    if temperature <= 0:
        L.llama_sampler_chain_add(chain, L.llama_sampler_init_greedy())
    else:
        L.llama_sampler_chain_add(chain, L.llama_sampler_init_temp(temperature))
        L.llama_sampler_chain_add(chain, L.llama_sampler_init_dist(seed))
    return chain


def run_decode(model, prompt, n_new, threads):
    ctx = make_context(model, len(prompt) + n_new + 8, 512, 1, threads)
    batch = L.llama_batch_init(512, 0, 1)
    smpl = sampler(0, 0)
    fill(batch, [(t, i, 0, i == len(prompt) - 1) for i, t in enumerate(prompt)])
    decode(ctx, batch)
    tok = L.llama_sampler_sample(smpl, ctx, -1)
    t0 = time.perf_counter()
    pos = len(prompt)
    for _ in range(n_new - 1):
        fill(batch, [(tok, pos, 0, True)])
        decode(ctx, batch)
        tok = L.llama_sampler_sample(smpl, ctx, -1)
        pos += 1
    seconds = time.perf_counter() - t0
    L.llama_sampler_free(smpl)
    L.llama_batch_free(batch)
    L.llama_free(ctx)
    return (n_new - 1) / seconds


def run_batched(model, prompt, b, n_new, temperature, threads):
    per_seq = len(prompt) + n_new + 8
    ctx = make_context(model, b * per_seq, max(512, b * len(prompt)), b, threads)
    batch = L.llama_batch_init(max(512, b * len(prompt)), 0, b)
    samplers = [sampler(temperature, 1000 + s) for s in range(b)]
    t0 = time.perf_counter()
    entries = []
    for s in range(b):
        entries += [(t, i, s, i == len(prompt) - 1) for i, t in enumerate(prompt)]
    fill(batch, entries)
    decode(ctx, batch)
    # Sampling takes the batch index of the token whose logits it reads: each prompt's last one.
    last = len(prompt) - 1
    toks = [L.llama_sampler_sample(samplers[s], ctx, s * len(prompt) + last) for s in range(b)]
    pos = len(prompt)
    for _ in range(n_new - 1):
        fill(batch, [(toks[s], pos, s, True) for s in range(b)])
        decode(ctx, batch)
        toks = [L.llama_sampler_sample(samplers[s], ctx, s) for s in range(b)]
        pos += 1
    seconds = time.perf_counter() - t0
    for s in samplers:
        L.llama_sampler_free(s)
    L.llama_batch_free(batch)
    L.llama_free(ctx)
    return b * n_new / seconds


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("model")
    ap.add_argument("--prompt-ids", required=True)
    ap.add_argument("--decode-tokens", type=int, default=64)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--new-tokens", type=int, default=128)
    ap.add_argument("--temperature", type=float, default=0.8)
    ap.add_argument("--repeats", type=int, default=3)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--skip-batched", action="store_true")
    ap.add_argument("--omp-passive", action="store_true", help="OMP_WAIT_POLICY=passive (see above)")
    a = ap.parse_args()
    keep = quiet_logs()
    L.llama_backend_init()
    mp = L.llama_model_default_params()
    model = L.llama_model_load_from_file(a.model.encode(), mp)
    if not model:
        raise SystemExit(f"cannot load {a.model}")
    prompt = [int(x) for x in a.prompt_ids.split(",")]
    run_decode(model, prompt, 8, a.threads)  # warm-up
    decode_tps = statistics.median(
        run_decode(model, prompt, a.decode_tokens, a.threads) for _ in range(a.repeats))
    out = {"decode_tps": decode_tps}
    if not a.skip_batched:
        out["batched_tps"] = statistics.median(
            run_batched(model, prompt, a.batch, a.new_tokens, a.temperature, a.threads)
            for _ in range(a.repeats))
    L.llama_model_free(model)
    del keep
    print(json.dumps(out))


if __name__ == "__main__":
    main()
