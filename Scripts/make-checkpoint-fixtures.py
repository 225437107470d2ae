#!/usr/bin/env python3
"""Writes the checkpoint fixtures of Tests/ModelsTests/Fixtures with the *reference* Python
implementations, so that the Swift readers are checked against code they share nothing with:

  reference.safetensors (+ .json)  written by huggingface `safetensors` (F32, F16, BF16, scalar, empty)
  sharded/                         a two-shard checkpoint + model.safetensors.index.json
  quants.gguf (+ .json)            gguf-py GGUFWriter: metadata of every value type, tensors of every
                                   supported storage type; expected values from gguf-py's `dequantize`
  tiny-llama.gguf (+ .json)        a 1-layer LLaMA whose q/k were permuted like convert_hf_to_gguf.py,
                                   expected = the original Hugging Face-order tensors
  tiny-qwen2.gguf (+ .json)        the same for Qwen2 (q/k/v biases, no permutation)
  smollm2.expected.json            metadata and sample dequantised values of the real SmolLM2 GGUF
                                   (only when the model is cached, see Scripts/fetch-smollm2.sh)

Usage (deterministic: fixed seeds; re-running rewrites identical files):
  python3 -m venv ~/.cache/recheck/venv-gguf
  ~/.cache/recheck/venv-gguf/bin/pip install gguf numpy safetensors
  ~/.cache/recheck/venv-gguf/bin/python Scripts/make-checkpoint-fixtures.py
"""
import json
import os
import sys

import numpy as np
import gguf
from gguf import GGMLQuantizationType as Q
from gguf import GGUFValueType as V
from safetensors import TensorSpec, serialize_file
from safetensors.numpy import save_file

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "Tests", "ModelsTests", "Fixtures")
SMOLLM2 = os.path.join(
    os.environ.get("RECHECK_CACHE", os.path.join(os.environ.get("XDG_CACHE_HOME", os.path.expanduser("~/.cache")), "recheck")),
    "smollm2", "SmolLM2-135M-Instruct.Q4_1.gguf")


def floats(a):
    """float32 values as JSON numbers that round-trip exactly (repr of the float32 widened to double);
    non-finite values, which JSON cannot spell, as the strings "inf", "-inf", "nan"."""
    def one(x):
        x = float(x)
        if np.isfinite(x):
            return x
        return "nan" if np.isnan(x) else ("inf" if x > 0 else "-inf")
    return [one(x) for x in np.asarray(a, dtype=np.float32).reshape(-1)]


def dump(path, obj):
    with open(path, "w") as f:
        json.dump(obj, f, separators=(",", ":"), sort_keys=True)
        f.write("\n")


def bf16_round(a):
    """float32 → bfloat16 bits, round to nearest even (what torch does); no NaNs in our data."""
    bits = np.asarray(a, dtype=np.float32).view(np.uint32).astype(np.uint64)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype(np.uint16)


# --- safetensors -------------------------------------------------------------------------------

def make_safetensors(rng):
    f32 = rng.standard_normal((2, 3)).astype(np.float32)
    f16 = (rng.standard_normal((3, 1, 5)) * 100).astype(np.float16)
    f16.reshape(-1)[:4] = [65504.0, -0.0, 6.0e-8, np.inf]  # largest finite, signed zero, subnormal, inf
    scalar = np.array(3.5, dtype=np.float32)
    empty = np.zeros((0, 4), dtype=np.float32)
    path = os.path.join(OUT, "reference.safetensors")
    save_file({"f32.matrix": f32, "f16.odd": f16, "f32.scalar": scalar, "f32.empty": empty}, path,
              metadata={"format": "np", "note": "made by make-checkpoint-fixtures.py"})
    expected = {
        "f32.matrix": {"dtype": "F32", "shape": list(f32.shape), "values": floats(f32)},
        "f16.odd": {"dtype": "F16", "shape": list(f16.shape), "values": floats(f16.astype(np.float32))},
        "f32.scalar": {"dtype": "F32", "shape": [], "values": floats(scalar)},
        "f32.empty": {"dtype": "F32", "shape": [0, 4], "values": []},
    }
    # numpy has no bfloat16: hand the reference serializer raw BF16 bytes.
    bf16_source = (rng.standard_normal(7) * 10).astype(np.float32)
    bf16 = bf16_round(bf16_source)
    bf16_path = os.path.join(OUT, "reference-bf16.safetensors")
    serialize_file({"bf16.vector": TensorSpec(dtype="bfloat16", shape=[7], data_ptr=bf16.ctypes.data, data_len=bf16.nbytes)},
                   bf16_path, metadata=None)
    widened = (bf16.astype(np.uint32) << 16).view(np.float32)
    dump(os.path.join(OUT, "reference.safetensors.json"), {
        "metadata": {"format": "np", "note": "made by make-checkpoint-fixtures.py"},
        "tensors": expected,
        "bf16": {"shape": [7], "values": floats(widened), "bits": [int(b) for b in bf16]},
    })

    shard_dir = os.path.join(OUT, "sharded")
    os.makedirs(shard_dir, exist_ok=True)
    a = rng.standard_normal((4, 2)).astype(np.float32)
    b = rng.standard_normal((3,)).astype(np.float16)
    c = rng.standard_normal((2, 2, 2)).astype(np.float32)
    save_file({"model.a": a, "model.b": b}, os.path.join(shard_dir, "model-00001-of-00002.safetensors"), metadata={"format": "np"})
    save_file({"model.c": c}, os.path.join(shard_dir, "model-00002-of-00002.safetensors"), metadata={"format": "np"})
    with open(os.path.join(shard_dir, "model.safetensors.index.json"), "w") as f:
        json.dump({"metadata": {"total_size": a.nbytes + b.nbytes + c.nbytes},
                   "weight_map": {"model.a": "model-00001-of-00002.safetensors",
                                  "model.b": "model-00001-of-00002.safetensors",
                                  "model.c": "model-00002-of-00002.safetensors"}}, f, indent=2)
    dump(os.path.join(shard_dir, "expected.json"), {
        "model.a": {"shape": [4, 2], "values": floats(a)},
        "model.b": {"shape": [3], "values": floats(b.astype(np.float32))},
        "model.c": {"shape": [2, 2, 2], "values": floats(c)},
    })


# --- GGUF with every storage type --------------------------------------------------------------

def random_kquant_blocks(rng, qtype, n_blocks):
    """Random K-quant blocks: every bit pattern is valid data, so random bytes exercise every code path
    of the decoder; only the f16 super-block scales are set to tame values (gguf-py cannot quantise
    K-types, and this needs no quantiser at all)."""
    block_size, type_size = gguf.GGML_QUANT_SIZES[qtype]
    blocks = rng.integers(0, 256, size=(n_blocks, type_size), dtype=np.uint8)
    def put_f16(col, values):
        blocks[:, col:col + 2] = np.asarray(values, dtype=np.float16).view(np.uint8).reshape(n_blocks, 2)
    if qtype in (Q.Q4_K, Q.Q5_K, Q.Q2_K):
        put_f16(0 if qtype != Q.Q2_K else type_size - 4, rng.uniform(0.001, 0.05, n_blocks))
        put_f16(2 if qtype != Q.Q2_K else type_size - 2, rng.uniform(0.001, 0.05, n_blocks))
    elif qtype == Q.Q6_K:
        put_f16(type_size - 2, rng.uniform(0.0005, 0.01, n_blocks))
    return blocks


def make_quants(rng):
    path = os.path.join(OUT, "quants.gguf")
    w = gguf.GGUFWriter(path, "llama")
    # One key per metadata value type (+ arrays of strings, ints and nested arrays).
    w.add_uint8("test.u8", 200)
    w.add_int8("test.i8", -100)
    w.add_uint16("test.u16", 60000)
    w.add_int16("test.i16", -30000)
    w.add_uint32("test.u32", 4000000000)
    w.add_int32("test.i32", -2000000000)
    w.add_float32("test.f32", 0.1)
    w.add_uint64("test.u64", 18000000000000000000)
    w.add_int64("test.i64", -9000000000000000000)
    w.add_float64("test.f64", 0.1)
    w.add_bool("test.bool", True)
    w.add_string("test.string", "héllo ✓")
    w.add_array("test.strings", ["a", "", "Ġthe", "<|im_end|>"])
    w.add_array("test.ints", [1, -2, 3])
    w.add_key_value("test.nested", [[1, 2], [3]], V.ARRAY, sub_type=V.ARRAY)

    expected = {}
    legacy = [("f32", Q.F32), ("f16", Q.F16), ("bf16", Q.BF16), ("q8_0", Q.Q8_0), ("q4_0", Q.Q4_0),
              ("q4_1", Q.Q4_1), ("q5_0", Q.Q5_0), ("q5_1", Q.Q5_1)]
    for name, qtype in legacy:
        data = rng.standard_normal((3, 64)).astype(np.float32)
        stored = gguf.quants.quantize(data, qtype)
        if qtype in (Q.F32, Q.F16):
            w.add_tensor(name, stored)
        else:
            w.add_tensor(name, stored, raw_dtype=qtype)
        values = gguf.quants.dequantize(stored, qtype)
        expected[name] = {"type": int(qtype), "shape": list(values.shape), "values": floats(values)}
    # A 3-D float tensor: GGUF stores ne = [4, 3, 2]; outermost-first shape is [2, 3, 4].
    cube = np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 8
    w.add_tensor("cube", cube)
    expected["cube"] = {"type": 0, "shape": [2, 3, 4], "values": floats(cube)}
    for name, qtype in [("q4_k", Q.Q4_K), ("q5_k", Q.Q5_K), ("q6_k", Q.Q6_K)]:
        blocks = random_kquant_blocks(rng, qtype, 4).reshape(2, -1)  # 2 rows of 512 values
        w.add_tensor(name, blocks, raw_dtype=qtype)
        values = gguf.quants.dequantize(blocks, qtype)
        expected[name] = {"type": int(qtype), "shape": list(values.shape), "values": floats(values)}
    # A type the Swift reader does not dequantise (Q2_K): loading must fail naming it.
    w.add_tensor("q2_k", random_kquant_blocks(rng, Q.Q2_K, 1), raw_dtype=Q.Q2_K)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    dump(os.path.join(OUT, "quants.gguf.json"), {"tensors": expected, "unsupported": {"q2_k": int(Q.Q2_K)}})


# --- a tiny LLaMA with permuted q/k ------------------------------------------------------------

def llama_permute(weights, n_head, n_head_kv=None):
    """convert_hf_to_gguf.py `LlamaModel.permute`, reproduced for numpy arrays."""
    if n_head_kv is not None and n_head != n_head_kv:
        n_head = n_head_kv
    return (weights.reshape(n_head, 2, weights.shape[0] // n_head // 2, *weights.shape[1:])
            .swapaxes(1, 2).reshape(weights.shape))


def make_tiny_model(rng, arch):
    """arch 'llama': q/k permuted as the converter does; 'qwen2': stored as is, with q/k/v biases."""
    d, heads, kv, ffn, vocab = 16, 4, 2, 32, 10
    hd = d // heads
    hf = {
        "model.embed_tokens.weight": rng.standard_normal((vocab, d)),
        "model.layers.0.input_layernorm.weight": 1 + 0.1 * rng.standard_normal(d),
        "model.layers.0.self_attn.q_proj.weight": rng.standard_normal((heads * hd, d)),
        "model.layers.0.self_attn.k_proj.weight": rng.standard_normal((kv * hd, d * 2)),  # 32 columns: Q8_0
        "model.layers.0.self_attn.v_proj.weight": rng.standard_normal((kv * hd, d)),
        "model.layers.0.self_attn.o_proj.weight": rng.standard_normal((d, d)),
        "model.layers.0.post_attention_layernorm.weight": 1 + 0.1 * rng.standard_normal(d),
        "model.layers.0.mlp.gate_proj.weight": rng.standard_normal((ffn, d)),
        "model.layers.0.mlp.up_proj.weight": rng.standard_normal((ffn, d)),
        "model.layers.0.mlp.down_proj.weight": rng.standard_normal((d, ffn)),
        "model.norm.weight": 1 + 0.1 * rng.standard_normal(d),
    }
    if arch == "qwen2":
        hf["model.layers.0.self_attn.q_proj.bias"] = rng.standard_normal(heads * hd)
        hf["model.layers.0.self_attn.k_proj.bias"] = rng.standard_normal(kv * hd)
        hf["model.layers.0.self_attn.v_proj.bias"] = rng.standard_normal(kv * hd)
    hf = {k: v.astype(np.float32) for k, v in hf.items()}
    # k_proj is not a square d×d here (in_features 32) only so that its rows hold one Q8_0 block.
    gguf_names = {
        "model.embed_tokens.weight": "token_embd.weight",
        "model.layers.0.input_layernorm.weight": "blk.0.attn_norm.weight",
        "model.layers.0.self_attn.q_proj.weight": "blk.0.attn_q.weight",
        "model.layers.0.self_attn.k_proj.weight": "blk.0.attn_k.weight",
        "model.layers.0.self_attn.v_proj.weight": "blk.0.attn_v.weight",
        "model.layers.0.self_attn.o_proj.weight": "blk.0.attn_output.weight",
        "model.layers.0.post_attention_layernorm.weight": "blk.0.ffn_norm.weight",
        "model.layers.0.mlp.gate_proj.weight": "blk.0.ffn_gate.weight",
        "model.layers.0.mlp.up_proj.weight": "blk.0.ffn_up.weight",
        "model.layers.0.mlp.down_proj.weight": "blk.0.ffn_down.weight",
        "model.norm.weight": "output_norm.weight",
        "model.layers.0.self_attn.q_proj.bias": "blk.0.attn_q.bias",
        "model.layers.0.self_attn.k_proj.bias": "blk.0.attn_k.bias",
        "model.layers.0.self_attn.v_proj.bias": "blk.0.attn_v.bias",
    }
    path = os.path.join(OUT, f"tiny-{arch}.gguf")
    w = gguf.GGUFWriter(path, arch)
    w.add_custom_alignment(64)
    w.add_block_count(1)
    w.add_context_length(64)
    w.add_embedding_length(d)
    w.add_feed_forward_length(ffn)
    w.add_head_count(heads)
    w.add_head_count_kv(kv)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_tokenizer_model("gpt2")
    w.add_token_list([f"tok{i}" for i in range(vocab)])
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    expected = {}
    for name, tensor in hf.items():
        stored_name = gguf_names[name]
        if arch == "qwen2":
            w.add_tensor(stored_name, tensor)  # convert_hf_to_gguf.py's Qwen2Model does not permute
            expected[name] = tensor
        elif name.endswith("q_proj.weight"):
            w.add_tensor(stored_name, llama_permute(tensor, heads, heads))
            expected[name] = tensor
        elif name.endswith("k_proj.weight"):
            permuted = llama_permute(tensor, heads, kv)
            q = gguf.quants.quantize(permuted, Q.Q8_0)
            w.add_tensor(stored_name, q, raw_dtype=Q.Q8_0)
            # Quantisation is per row and the permutation moves whole rows, so the HF-order expected
            # value is simply the dequantised quantisation of the unpermuted tensor.
            expected[name] = gguf.quants.dequantize(gguf.quants.quantize(tensor, Q.Q8_0), Q.Q8_0)
            expected["permuted.k_proj.gguf_order"] = gguf.quants.dequantize(q, Q.Q8_0)
        else:
            w.add_tensor(stored_name, tensor)
            expected[name] = tensor
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()
    dump(os.path.join(OUT, f"tiny-{arch}.gguf.json"),
         {k: {"shape": list(v.shape), "values": floats(v)} for k, v in expected.items()})


# --- the real SmolLM2 file -----------------------------------------------------------------------

def make_smollm2_expected():
    if not os.path.exists(SMOLLM2):
        print(f"skipping smollm2.expected.json: {SMOLLM2} absent (run Scripts/fetch-smollm2.sh)", file=sys.stderr)
        return
    r = gguf.GGUFReader(SMOLLM2)
    def field(key):
        f = r.fields[key]
        return f.contents()
    samples = {}
    picks = ["token_embd.weight", "blk.0.attn_norm.weight", "blk.0.attn_q.weight", "blk.0.attn_k.weight",
             "blk.0.ffn_down.weight", "blk.29.ffn_gate.weight", "output_norm.weight"]
    for t in r.tensors:
        if t.name not in picks:
            continue
        values = gguf.quants.dequantize(t.data, t.tensor_type).reshape(-1)
        n = values.size
        idx = sorted(set([0, 1, 2, 31, 32, 33, n // 3, n // 2 + 7, n - 2, n - 1]))
        samples[t.name] = {"type": int(t.tensor_type), "shape": [int(x) for x in reversed(t.shape)],
                           "indices": idx, "values": floats(values[idx]),
                           "sum": float(np.sum(values, dtype=np.float64))}
    # Hugging Face-order q_proj / k_proj: undo LlamaModel.permute with numpy's reshape (inverse of
    # reshape(h, 2, hd/2, n).swapaxes(1, 2) is reshape(h, hd/2, 2, n).swapaxes(1, 2)).
    heads, kv = int(field("llama.attention.head_count")), int(field("llama.attention.head_count_kv"))
    hf = {}
    for gname, hname, h in [("blk.0.attn_q.weight", "model.layers.0.self_attn.q_proj.weight", heads),
                            ("blk.0.attn_k.weight", "model.layers.0.self_attn.k_proj.weight", kv)]:
        t = next(t for t in r.tensors if t.name == gname)
        rows, cols = int(t.shape[1]), int(t.shape[0])
        g = gguf.quants.dequantize(t.data, t.tensor_type).reshape(rows, cols)
        unpermuted = g.reshape(h, rows // h // 2, 2, cols).swapaxes(1, 2).reshape(rows, cols)
        picks_rc = [(0, 0), (1, 5), (rows // h // 2, 3), (rows // h // 2 + 1, 100), (rows - 1, cols - 1), (rows // 2, 17)]
        hf[hname] = {"shape": [rows, cols], "rows": [p[0] for p in picks_rc], "cols": [p[1] for p in picks_rc],
                     "values": floats([unpermuted[p] for p in picks_rc])}
    meta = {
        "architecture": field("general.architecture"),
        "block_count": int(field("llama.block_count")),
        "embedding_length": int(field("llama.embedding_length")),
        "feed_forward_length": int(field("llama.feed_forward_length")),
        "head_count": heads, "head_count_kv": kv,
        "context_length": int(field("llama.context_length")),
        "rope_freq_base": float(field("llama.rope.freq_base")),
        "rms_eps": float(field("llama.attention.layer_norm_rms_epsilon")),
        "vocab": len(r.fields["tokenizer.ggml.tokens"].data),
        "merges": len(r.fields["tokenizer.ggml.merges"].data),
        "token_100": field("tokenizer.ggml.tokens")[100],
        "bos": int(field("tokenizer.ggml.bos_token_id")), "eos": int(field("tokenizer.ggml.eos_token_id")),
        "tensor_count": len(r.tensors), "kv_count": len(r.fields) - 3,  # GGUFReader adds 3 header pseudo-fields
        "version": int(field("GGUF.version")),
        "tensor_types": sorted({int(t.tensor_type) for t in r.tensors}),
    }
    dump(os.path.join(OUT, "smollm2.expected.json"), {"metadata": meta, "samples": samples, "huggingface": hf})


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20240601)
    make_safetensors(rng)
    make_quants(rng)
    make_tiny_model(rng, "llama")
    make_tiny_model(rng, "qwen2")
    make_smollm2_expected()
    for root, _, files in os.walk(OUT):
        for f in sorted(files):
            p = os.path.join(root, f)
            print(f"{os.path.relpath(p, ROOT)}  {os.path.getsize(p)} bytes")


if __name__ == "__main__":
    main()
