"""official_paper.py pack / unpack: the exports, compact, for a machine without our tools (paper_protocol_gpu.sh).

Imported by official_paper.py, which puts scripts/golden on sys.path.
"""
import hashlib
import json
import os
import sys

from official_rundir import SPLITS, sha256_file, write_json_atomic

PACK_FORMAT = "lra-export-pack/1"


def cmd_pack(args):
    """Each split as labels (uint8), lengths (uint32) and its ids two to a byte (ids 0..15), lzma-compressed,
    cut into parts of at most --part-bytes; manifest.json holds the hashes of the parts and of the TSVs."""
    import lzma
    import numpy as np
    os.makedirs(args.out, exist_ok=True)
    blobs, manifest = [], {"format": PACK_FORMAT, "splits": {}, "parts": []}
    for split in SPLITS:
        path = os.path.join(args.data, f"{split}.tsv")
        labels, lengths, chunks = [], [], []
        with open(path) as f:
            for i, line in enumerate(f):
                label, row = line.rstrip("\n").split("\t")[:2]
                r = np.array(row.split(), dtype=np.int32)
                if r.size and (r.min() < 1 or r.max() > 15):
                    print(f"official_paper.py pack: {path}:{i + 1}: id outside 1..15, cannot pack 4 bits",
                          file=sys.stderr)
                    return 2
                if not 0 <= int(label) <= 255:
                    print(f"official_paper.py pack: {path}:{i + 1}: label outside 0..255", file=sys.stderr)
                    return 2
                labels.append(int(label))
                lengths.append(r.size)
                chunks.append(r.astype(np.uint8))
        ids = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.uint8)
        if ids.size % 2:
            ids = np.concatenate([ids, np.zeros(1, dtype=np.uint8)])
        nibbles = (ids[0::2] << 4) | ids[1::2]
        raw = (np.array(labels, dtype=np.uint8).tobytes() + np.array(lengths, dtype="<u4").tobytes()
               + nibbles.astype(np.uint8).tobytes())
        blob = lzma.compress(raw, preset=6)
        manifest["splits"][split] = {"rows": len(labels), "tokens": int(sum(lengths)), "rawBytes": len(raw),
                                     "packedBytes": len(blob), "tsvSha256": sha256_file(path),
                                     "tsvBytes": os.path.getsize(path)}
        blobs.append(blob)
        print(f"pack: {split}: {len(labels)} rows, {sum(lengths)} ids, {len(blob)} bytes "
              f"({8 * len(blob) / max(1, sum(lengths)):.2f} bits per id)", flush=True)
    stream = b"".join(blobs)
    manifest["offsets"] = []
    pos = 0
    for split, blob in zip(SPLITS, blobs):
        manifest["offsets"].append({"split": split, "start": pos, "bytes": len(blob)})
        pos += len(blob)
    for n, start in enumerate(range(0, len(stream), args.part_bytes)):
        part = stream[start:start + args.part_bytes]
        name = f"part{n:02d}.bin"
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(part)
        manifest["parts"].append({"name": name, "bytes": len(part), "sha256": hashlib.sha256(part).hexdigest()})
    write_json_atomic(os.path.join(args.out, "manifest.json"), manifest)
    print(f"pack: {len(stream)} bytes in {len(manifest['parts'])} part(s) under {args.out}")
    return 0


def cmd_unpack(args):
    """The TSVs back, byte for byte (checked against the hashes pack recorded)."""
    import lzma
    import numpy as np
    with open(os.path.join(args.packed, "manifest.json")) as f:
        manifest = json.load(f)
    if manifest.get("format") != PACK_FORMAT:
        print(f"official_paper.py unpack: {args.packed}: not a pack", file=sys.stderr)
        return 2
    stream = bytearray()
    for part in manifest["parts"]:
        p = os.path.join(args.packed, part["name"])
        if not os.path.exists(p):
            print(f"official_paper.py unpack: {p} is missing (each part travels in its own call)", file=sys.stderr)
            return 2
        with open(p, "rb") as f:
            blob = f.read()
        if hashlib.sha256(blob).hexdigest() != part["sha256"]:
            print(f"official_paper.py unpack: {p}: sha256 differs from the manifest", file=sys.stderr)
            return 2
        stream += blob
    os.makedirs(args.out, exist_ok=True)
    for off in manifest["offsets"]:
        split, meta = off["split"], manifest["splits"][off["split"]]
        raw = lzma.decompress(bytes(stream[off["start"]:off["start"] + off["bytes"]]))
        n = meta["rows"]
        labels = np.frombuffer(raw, dtype=np.uint8, count=n)
        lengths = np.frombuffer(raw, dtype="<u4", count=n, offset=n)
        nib = np.frombuffer(raw, dtype=np.uint8, offset=5 * n)
        ids = np.empty(nib.size * 2, dtype=np.uint8)
        ids[0::2], ids[1::2] = nib >> 4, nib & 15
        path = os.path.join(args.out, f"{split}.tsv")
        pos = 0
        with open(path + ".tmp", "w") as f:
            for label, length in zip(labels.tolist(), lengths.tolist()):
                f.write(f"{label}\t{' '.join(map(str, ids[pos:pos + length].tolist()))}\n")
                pos += length
        if sha256_file(path + ".tmp") != meta["tsvSha256"]:
            print(f"official_paper.py unpack: {path}: the rebuilt file differs from the packed export", file=sys.stderr)
            return 1
        os.replace(path + ".tmp", path)
        print(f"unpack: {path}: {n} rows, sha256 as packed")
    return 0
