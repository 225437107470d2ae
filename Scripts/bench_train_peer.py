#!/usr/bin/env python3
"""Peer for `recheck bench train`: one training step of the same tiny LLaMA-style model in PyTorch
CPU (float32, --threads threads). Architecture as Recheck's Transformer (Sources/Models):
tied embedding (V×D), L decoder layers [RMSNorm → q/k/v (no bias) → RoPE (rotate-half, base 10000)
→ causal attention → o_proj + residual → RMSNorm → SwiGLU MLP + residual], final RMSNorm, tied LM head.
Step = forward + mean cross-entropy over B·T next-token targets + backward + AdamW (lr 1e-3, wd 0).
Prints one JSON line: {"step_s": median seconds per step, "tokens_per_s": B·T / step_s}.

Usage: bench_train_peer.py [--layers 4] [--dim 128] [--heads 4] [--ffn 512] [--vocab 256]
       [--seq 128] [--batch 32] [--repeats 5] [--threads 2]
"""
import argparse, json, os, time

p = argparse.ArgumentParser()
for name, default in [("layers", 4), ("dim", 128), ("heads", 4), ("ffn", 512), ("vocab", 256), ("seq", 128),
                      ("batch", 32), ("repeats", 5), ("threads", 2)]:
    p.add_argument(f"--{name}", type=int, default=default)
a = p.parse_args()
os.environ.setdefault("OMP_NUM_THREADS", str(a.threads))
import torch
import torch.nn.functional as F

torch.set_num_threads(a.threads)
torch.manual_seed(0)
D, H, T, B, V = a.dim, a.heads, a.seq, a.batch, a.vocab
hd = D // H
inv = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
ang = torch.arange(T).float()[:, None] * inv[None, :]
cos = torch.cat([ang.cos(), ang.cos()], -1)[None, None]  # (1, 1, T, hd)
sin = torch.cat([ang.sin(), ang.sin()], -1)[None, None]


def rope(x):  # (B, H, T, hd)
    x1, x2 = x[..., : hd // 2], x[..., hd // 2:]
    return x * cos + torch.cat([-x2, x1], -1) * sin


class Layer(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.n1, self.n2 = torch.nn.RMSNorm(D, eps=1e-5), torch.nn.RMSNorm(D, eps=1e-5)
        self.q, self.k, self.v, self.o = (torch.nn.Linear(D, D, bias=False) for _ in range(4))
        self.gate, self.up = torch.nn.Linear(D, a.ffn, bias=False), torch.nn.Linear(D, a.ffn, bias=False)
        self.down = torch.nn.Linear(a.ffn, D, bias=False)

    def forward(self, x):
        h = self.n1(x)
        q = rope(self.q(h).view(B, T, H, hd).transpose(1, 2))
        k = rope(self.k(h).view(B, T, H, hd).transpose(1, 2))
        v = self.v(h).view(B, T, H, hd).transpose(1, 2)
        att = F.scaled_dot_product_attention(q, k, v, is_causal=True)
        x = x + self.o(att.transpose(1, 2).reshape(B, T, D))
        h = self.n2(x)
        return x + self.down(F.silu(self.gate(h)) * self.up(h))


class Model(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.embed = torch.nn.Embedding(V, D)
        self.layers = torch.nn.ModuleList(Layer() for _ in range(a.layers))
        self.norm = torch.nn.RMSNorm(D, eps=1e-5)

    def forward(self, ids):
        x = self.embed(ids)
        for layer in self.layers:
            x = layer(x)
        return self.norm(x) @ self.embed.weight.t()


model = Model()
opt = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.0)
g = torch.Generator().manual_seed(1)
tokens = torch.randint(0, V, (B, T + 1), generator=g)
inputs, targets = tokens[:, :-1], tokens[:, 1:]


def step():
    opt.zero_grad(set_to_none=True)
    loss = F.cross_entropy(model(inputs).reshape(B * T, V), targets.reshape(-1))
    loss.backward()
    opt.step()


step()
times = []
for _ in range(a.repeats):
    t0 = time.perf_counter()
    step()
    times.append(time.perf_counter() - t0)
s = sorted(times)[len(times) // 2]
print(json.dumps({"step_s": s, "tokens_per_s": B * T / s}))
