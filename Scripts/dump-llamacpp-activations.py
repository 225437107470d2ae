#!/usr/bin/env python3
"""Dump every intermediate tensor llama.cpp computes for a prompt and N greedy decode steps.

This is how `LlamaCppOps` (Sources/CQuantKernels/LlamaCppArithmetic.c) was matched to ggml bit for
bit: llama.cpp's eval callback hands over each graph node after it is computed (embd, norm-L,
attn_norm-L, Qcur-L (MUL_MAT, then ROPE), kq-L, kq_soft_max-L, kqv-L, ffn_*-L, l_out-L, result_norm,
result_output), and each Swift operation can be fed the dumped input of its node and compared with
the dumped output. Run with the venv Scripts/make-smollm2-fixture.sh builds:

  ~/.cache/recheck/venv-llamacpp/bin/python Scripts/dump-llamacpp-activations.py \\
      --gguf MODEL.gguf --prompt "Hello" --decode 2 --out dump.npz

The .npz holds one array per node, keyed "index|name|op|type" (type 0 = F32, 1 = F16, in ggml's
(ne3, ne2, ne1, ne0) order), plus `steps` (node index where each eval starts) and `greedy` (ids).
"""
import argparse
import ctypes
import os

import numpy as np
import llama_cpp
import llama_cpp._internals as internals
from llama_cpp import Llama


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gguf", required=True)
    ap.add_argument("--prompt", required=True, help="text, tokenized with special tokens parsed")
    ap.add_argument("--decode", type=int, default=1, help="greedy single-token steps after the prompt")
    ap.add_argument("--out", required=True)
    args = ap.parse_args()

    base = ctypes.CDLL(os.path.join(os.path.dirname(llama_cpp.__file__), "lib", "libggml-base.so"))
    base.ggml_get_name.restype = ctypes.c_char_p
    base.ggml_get_name.argtypes = [ctypes.c_void_p]
    base.ggml_get_data.restype = ctypes.c_void_p
    base.ggml_get_data.argtypes = [ctypes.c_void_p]
    base.ggml_op_desc.restype = ctypes.c_char_p
    base.ggml_op_desc.argtypes = [ctypes.c_void_p]
    nodes = []

    def on_node(t, ask, _user):
        if ask:
            return True  # ask for every node
        # struct ggml_tensor: type (int32) at 0, ne[4] (int64) at 16, nb[4] (size_t) at 48.
        typ = ctypes.c_int32.from_address(t).value
        ne = [ctypes.c_int64.from_address(t + 16 + 8 * i).value for i in range(4)]
        nb = [ctypes.c_uint64.from_address(t + 48 + 8 * i).value for i in range(4)]
        data = base.ggml_get_data(t)
        name, op = base.ggml_get_name(t).decode(), base.ggml_op_desc(t).decode()
        if typ in (0, 1) and data:
            size = 4 if typ == 0 else 2
            span = sum((n - 1) * s for n, s in zip(ne, nb)) + size
            raw = bytes((ctypes.c_uint8 * span).from_address(data)) + b"\0" * 4
            flat = np.frombuffer(raw, dtype=np.float32 if typ == 0 else np.float16)
            arr = np.lib.stride_tricks.as_strided(flat, shape=ne[::-1], strides=nb[::-1]).copy()
            nodes.append((name, op, typ, arr))
        return True

    callback = llama_cpp.ggml_backend_sched_eval_callback(on_node)
    original = internals.LlamaContext.__init__

    def with_callback(self, *a, **k):
        k["params"].cb_eval = callback
        original(self, *a, **k)

    internals.LlamaContext.__init__ = with_callback
    # The fixture's settings (Scripts/make-smollm2-fixture.py).
    llm = Llama(model_path=args.gguf, n_ctx=2048, n_threads=2, n_threads_batch=2, logits_all=True, seed=0,
                verbose=False)
    ids = llm.tokenize(args.prompt.encode("utf-8"), add_bos=False, special=True)
    steps = [0]
    llm.eval(ids)
    row, greedy = np.array(llm.scores[len(ids) - 1], dtype=np.float32), []
    for _ in range(args.decode):
        greedy.append(int(np.argmax(row)))
        steps.append(len(nodes))
        llm.eval([greedy[-1]])
        row = np.array(llm.scores[llm.n_tokens - 1], dtype=np.float32)
    arrays = {f"{i:05d}|{name}|{op}|{typ}": arr for i, (name, op, typ, arr) in enumerate(nodes)}
    np.savez(args.out, steps=np.array(steps), greedy=np.array(greedy), prompt_ids=np.array(ids), **arrays)
    print(f"{len(nodes)} nodes from {len(ids)} prompt tokens and {args.decode} decode steps -> {args.out}")


if __name__ == "__main__":
    main()
