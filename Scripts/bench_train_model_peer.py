#!/usr/bin/env python3
"""Peer for `recheck bench train --model FILE`: one full fine-tuning step of transformers'
LlamaForCausalLM built from the checkpoint's config (passed as flags by Recheck) in PyTorch CPU, float32,
random weights (the step's cost does not depend on their values). Step = forward + mean cross-entropy
over B·T next-token targets (logits of T inputs against the T following tokens, as Recheck) + backward +
torch.optim.AdamW (lr 1e-5, wd 0). Run once per shape in a fresh process, so ru_maxrss is that shape's
peak resident memory. Prints one JSON line: {"step_s", "tokens_per_s", "peak_rss_bytes"}.
"""
import argparse, json, os, resource, time

p = argparse.ArgumentParser()
for name in ["vocab", "dim", "ffn", "layers", "heads", "kv-heads", "head-dim", "tied", "seq", "batch"]:
    p.add_argument(f"--{name}", type=int, required=True)
p.add_argument("--rope-theta", type=float, required=True)
p.add_argument("--rms-eps", type=float, required=True)
p.add_argument("--repeats", type=int, default=3)
p.add_argument("--threads", type=int, default=2)
a = p.parse_args()
os.environ.setdefault("OMP_NUM_THREADS", str(a.threads))
import torch
import torch.nn.functional as F
from transformers import LlamaConfig, LlamaForCausalLM

torch.set_num_threads(a.threads)
torch.manual_seed(0)
config = LlamaConfig(vocab_size=a.vocab, hidden_size=a.dim, intermediate_size=a.ffn,
                     num_hidden_layers=a.layers, num_attention_heads=a.heads, num_key_value_heads=a.kv_heads,
                     head_dim=a.head_dim, rope_theta=a.rope_theta, rms_norm_eps=a.rms_eps,
                     tie_word_embeddings=bool(a.tied), max_position_embeddings=max(2048, a.seq),
                     attn_implementation="sdpa", torch_dtype="float32")
model = LlamaForCausalLM(config).float().train()
opt = torch.optim.AdamW(model.parameters(), lr=1e-5, weight_decay=0.0)
g = torch.Generator().manual_seed(1)
tokens = torch.randint(0, a.vocab, (a.batch, a.seq + 1), generator=g)
inputs, targets = tokens[:, :-1], tokens[:, 1:]


def step():
    opt.zero_grad(set_to_none=True)
    logits = model(input_ids=inputs, use_cache=False).logits
    loss = F.cross_entropy(logits.reshape(-1, a.vocab), targets.reshape(-1))
    loss.backward()
    opt.step()


step()
times = []
for _ in range(a.repeats):
    t0 = time.perf_counter()
    step()
    times.append(time.perf_counter() - t0)
s = sorted(times)[len(times) // 2]
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"step_s": s, "tokens_per_s": a.batch * a.seq / s, "peak_rss_bytes": rss}))
