"""Converts a step checker's params.f32 + table.json into the reference
interpreter's parameter file (NFPARAM1, f64), so that `nfc eval` evaluates
the very parameters the compiled step used.
usage: f32_to_nfp.py <table.json> <params.f32> <out.nfp>"""
import json
import struct
import sys

import numpy as np

table = json.load(open(sys.argv[1]))
flat = np.fromfile(sys.argv[2], dtype=np.float32)
with open(sys.argv[3], "wb") as out:
    out.write(b"NFPARAM1" + struct.pack("<I", len(table["params"])))
    for p in table["params"]:
        name = p["name"].encode()
        n = int(np.prod(p["shape"])) if p["shape"] else 1
        out.write(struct.pack("<I", len(name)) + name)
        out.write(struct.pack("<I", len(p["shape"])))
        out.write(struct.pack(f"<{len(p['shape'])}q", *p["shape"]))
        out.write(flat[p["offset"]:p["offset"] + n].astype("<f8").tobytes())
