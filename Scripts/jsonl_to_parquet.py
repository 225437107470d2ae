"""Converts a `recheck export --format verl` JSONL file to the parquet file verl reads.

    python3 Scripts/jsonl_to_parquet.py rows.jsonl rows.parquet      (needs pandas and pyarrow)

Rows are read with json (not pandas.read_json, which turns numeric-looking strings such as ids
into numbers); nested objects become parquet structs, which verl reads back as dicts.
"""

import json
import sys

import pandas as pd

if len(sys.argv) != 3:
    sys.exit(__doc__)
with open(sys.argv[1], encoding="utf-8") as f:
    rows = [json.loads(line) for line in f if line.strip()]
pd.DataFrame(rows).to_parquet(sys.argv[2])
print(f"wrote {len(rows)} rows to {sys.argv[2]}")
