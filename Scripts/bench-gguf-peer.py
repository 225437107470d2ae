#!/usr/bin/env python3
"""Peer for `recheck bench gguf`: gguf-py's GGUFReader open time and its numpy dequantisation
throughput over every tensor of a GGUF file. Prints one JSON object on stdout.

Usage: ~/.cache/recheck/venv-gguf/bin/python Scripts/bench-gguf-peer.py MODEL.gguf [RUNS]
"""
import json
import sys
from importlib.metadata import version
import time

import gguf
import numpy as np


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    best_open = best_dequant = float("inf")
    stored = values = 0
    for _ in range(runs):
        start = time.perf_counter()
        reader = gguf.GGUFReader(path)
        best_open = min(best_open, time.perf_counter() - start)
        stored = values = 0
        elapsed = 0.0
        for t in reader.tensors:
            start = time.perf_counter()
            out = gguf.quants.dequantize(t.data, t.tensor_type)
            out = np.ascontiguousarray(out, dtype=np.float32)
            elapsed += time.perf_counter() - start
            stored += int(t.n_bytes)
            values += int(out.size)
        best_dequant = min(best_dequant, elapsed)
    print(json.dumps({"open_s": best_open, "dequant_s": best_dequant, "stored_bytes": stored, "values": values,
                      "implementation": f"gguf-py {version('gguf')} + numpy {np.__version__}"}))


if __name__ == "__main__":
    main()
