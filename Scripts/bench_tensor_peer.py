"""Peer figures for `recheck bench tensor`: NumPy matmul and a PyTorch CPU forward+backward of the
same LLaMA-shaped block (same shapes and ops as BlockShape in Sources/recheck/BenchTensorCommand.swift).
Prints one JSON line of median seconds. Run through Scripts/bench-tensor.sh."""
import argparse, json, os, time

p = argparse.ArgumentParser()
p.add_argument("--threads", type=int, default=2)
p.add_argument("--repeats", type=int, default=10)
args = p.parse_args()
os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))
import numpy as np
import torch

torch.set_num_threads(args.threads)

def median(fn, repeats, warmup=1):
    for _ in range(warmup):
        fn()
    ts = []
    for _ in range(repeats):
        t0 = time.perf_counter(); fn(); ts.append(time.perf_counter() - t0)
    return sorted(ts)[len(ts) // 2]

out = {}
rng = np.random.default_rng(1)
for m, k, n in [(64, 64, 64), (256, 256, 256), (512, 768, 3072), (1, 576, 49152)]:
    a = rng.standard_normal((m, k), dtype=np.float32); b = rng.standard_normal((k, n), dtype=np.float32)
    out[f"matmul_{m}x{k}x{n}"] = median(lambda: a @ b, args.repeats)

B, T, D, H, HKV, FFN = 4, 128, 256, 4, 2, 768
hd = D // H
def rms(x, w, eps=1e-5):
    return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + eps) * w
inv = 1.0 / (10000 ** (torch.arange(0, hd, 2).float() / hd))
ang = torch.arange(T).float()[:, None] * inv[None, :]
cos = torch.cat([ang.cos(), ang.cos()], -1)[None, :, None, :]
sin = torch.cat([ang.sin(), ang.sin()], -1)[None, :, None, :]
def rope(x):
    x1, x2 = x[..., : hd // 2], x[..., hd // 2 :]
    return x * cos + torch.cat([-x2, x1], -1) * sin
g = torch.Generator().manual_seed(7)
def lin(i, o):
    return torch.nn.Linear(i, o, bias=False)
q, k, v, o = lin(D, D), lin(D, HKV * hd), lin(D, HKV * hd), lin(D, D)
gate, up, down = lin(D, FFN), lin(D, FFN), lin(FFN, D)
w1, w2 = torch.ones(D, requires_grad=True), torch.ones(D, requires_grad=True)
def block():
    x = torch.randn(B, T, D, requires_grad=True)
    h = rms(x, w1)
    qh = rope(q(h).view(B, T, H, hd)).transpose(1, 2)
    kh = rope(k(h).view(B, T, HKV, hd)).transpose(1, 2).repeat_interleave(H // HKV, 1)
    vh = v(h).view(B, T, HKV, hd).transpose(1, 2).repeat_interleave(H // HKV, 1)
    att = torch.nn.functional.scaled_dot_product_attention(qh, kh, vh, is_causal=True)
    r = x + o(att.transpose(1, 2).reshape(B, T, D))
    n2 = rms(r, w2)
    y = r + down(torch.nn.functional.silu(gate(n2)) * up(n2))
    y.pow(2).mean().backward()
out["block_fwd_bwd"] = median(block, args.repeats)
print(json.dumps(out))
