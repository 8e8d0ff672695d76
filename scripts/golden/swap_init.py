#!/usr/bin/python3
"""Move weights between our checkpoint format and the official model's torch state_dict (parity experiments).

  swap_init.py to-torch  --ckpt OURS.ckpt --out WEIGHTS.pt
      our weights as the official ModelForSC state_dict (official_train.py --init-from WEIGHTS.pt)
  swap_init.py to-ours   --official LRA/code --seed S --template OURS.ckpt --out INIT.ckpt
      the official model's initial draw for seed S (torch.manual_seed(S), as official_train.py) as a
      step-0 checkpoint of ours with zero AdamW moments; --template is any checkpoint of the same config
      (it gives names, order, shapes)
  swap_init.py resume-dir --config CFG --seed S --init INIT.ckpt --out RUN_DIR [--set K=V ...]
      a run directory that `lra train --resume RUN_DIR` continues from INIT.ckpt at step 0

Our checkpoint layout (fmm-model Checkpoint): magic "LRACKPT\\n", int32 version, int32 header length, header
"key=value" lines, then values, AdamW m, AdamW v as little-endian numbers of the stored precision, then the
CRC-32 of all preceding bytes as a big-endian int64.
"""
import argparse
import os
import re
import struct
import subprocess
import sys
import zlib

import numpy as np

MAGIC = b"LRACKPT\n"


def read_ckpt(path):
    """(header dict, params [(name, offset, shape, decay)], values float array)."""
    b = open(path, "rb").read()
    if b[:8] != MAGIC:
        sys.exit(f"{path}: not a checkpoint")
    version, hlen = struct.unpack(">ii", b[8:16])
    header = {}
    for line in b[16:16 + hlen].decode().split("\n"):
        if line:
            k, v = line.split("=", 1)
            header[k] = v.replace("\\n", "\n").replace("\\\\", "\\")
    dtype = np.dtype("<f4") if header["precision"] == "FLOAT32" else np.dtype("<f8")
    n = int(header["params.size"])
    values = np.frombuffer(b, dtype=dtype, count=n, offset=16 + hlen).astype(np.float64)
    params = []
    for i in range(int(header["params.count"])):
        name, off, shape, decay = header[f"param.{i}"].split(" ")
        shape = () if shape == "scalar" else tuple(int(s) for s in shape.split("x"))
        params.append((name, int(off), shape, decay == "true"))
    return version, header, params, values


def write_ckpt(path, version, header, values):
    """header as given (step, seed, extra.* included); zero AdamW moments; written to a temp file, then renamed."""
    text = "".join(f"{k}={header[k].replace(chr(92), chr(92) * 2).replace(chr(10), chr(92) + 'n')}\n"
                   for k in sorted(header)).encode()
    dtype = "<f4" if header["precision"] == "FLOAT32" else "<f8"
    body = MAGIC + struct.pack(">ii", version, len(text)) + text
    body += values.astype(dtype).tobytes() + np.zeros(2 * len(values), dtype=dtype).tobytes()
    body += struct.pack(">q", zlib.crc32(body))
    with open(path + ".tmp", "wb") as f:
        f.write(body)
    os.replace(path + ".tmp", path)


def torch_name(ours):
    """The official ModelForSC parameter that our parameter `ours` is, and how to reshape it."""
    rules = [
        (r"embedding\.tokens", "model.embeddings.word_embeddings.weight"),
        (r"embedding\.positions", "model.embeddings.position_embeddings.weight"),
        (r"block(\d+)\.norm([12])\.(weight|bias)", r"model.transformer_\1.norm\2.\3"),
        (r"block(\d+)\.attn\.w([qkv])\.(weight|bias)", lambda m: f"model.transformer_{m[1]}.mha.W_{m[2]}.{m[3]}"),
        (r"block(\d+)\.attn\.wo\.(weight|bias)", r"model.transformer_\1.mha.ff.\2"),
        (r"block(\d+)\.attn\.+blend\.near", r"model.transformer_\1.mha.attn.sparse_ratio"),
        (r"block(\d+)\.attn\.+blend\.far", r"model.transformer_\1.mha.attn.sparse_ratio2"),
        (r"block(\d+)\.attn\.+blend\.kernel0", r"model.transformer_\1.mha.attn.lowrank_ratio"),
        (r"block(\d+)\.attn\.+blend\.kernel1", r"model.transformer_\1.mha.attn.lowrank_ratio2"),
        (r"block(\d+)\.mlp\.fc1\.(weight|bias)", r"model.transformer_\1.mlpblock.0.\2"),
        (r"block(\d+)\.mlp\.fc2\.(weight|bias)", r"model.transformer_\1.mlpblock.3.\2"),
        (r"final_norm\.(weight|bias)", r"model.norm.\1"),
        (r"head\.fc1\.(weight|bias)", r"seq_classifer.mlpblock.0.\1"),
        (r"head\.fc2\.(weight|bias)", r"seq_classifer.mlpblock.2.\1"),
    ]
    for pattern, repl in rules:
        m = re.fullmatch(pattern, ours)
        if m:
            return m.expand(repl) if isinstance(repl, str) else repl(m)
    sys.exit(f"swap_init.py: no official parameter for {ours}")


def to_torch(args):
    import torch
    _, _, params, values = read_ckpt(args.ckpt)
    state = {}
    for name, off, shape, _ in params:
        n = int(np.prod(shape)) if shape else 1
        state[torch_name(name)] = torch.tensor(values[off:off + n].astype(np.float32))
    torch.save(state, args.out)


def to_ours(args):
    import torch
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import official_train
    model = official_train.build_official(args.official, args.seed, official_train.official_config())
    state = model.state_dict()
    version, header, params, values = read_ckpt(args.template)
    out = np.zeros_like(values)
    for name, off, shape, _ in params:
        t = state[torch_name(name)].detach().numpy().reshape(-1)
        n = int(np.prod(shape)) if shape else 1
        if t.size != n:
            sys.exit(f"swap_init.py: {name} has {n} numbers, {torch_name(name)} {t.size}")
        out[off:off + n] = t
    header = {k: v for k, v in header.items() if not k.startswith("extra.")}
    header.update({"step": "0", "seed": str(args.seed)})
    write_ckpt(args.out, version, header, out)


def resume_dir(args):
    """config.yaml (resolved, with seed and threads 1) + checkpoints/last.ckpt at step 0 with fresh streams."""
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    cmd = [os.path.join(root, "scripts", "lra"), "config", "show", args.config,
           "--set", f"seed={args.seed}", "--set", "threads=1"]
    for s in args.set or []:
        cmd += ["--set", s]
    cfg = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
    os.makedirs(os.path.join(args.out, "checkpoints"), exist_ok=True)
    with open(os.path.join(args.out, "config.yaml"), "w") as f:
        f.write(cfg)
    version, header, params, values = read_ckpt(args.init)
    if header["seed"] != str(args.seed) or header["step"] != "0":
        sys.exit(f"swap_init.py: {args.init} is step {header['step']} of seed {header['seed']}, not step 0 of {args.seed}")
    header.update({"extra.train.stream": f"{args.seed} 0 0", "extra.dev.stream": f"{args.seed + 1} 0 0",
                   "extra.best.devAcc": "-Infinity", "extra.best.step": "-1", "extra.wall.seconds": "0"})
    write_ckpt(os.path.join(args.out, "checkpoints", "last.ckpt"), version, header, values)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    a = sub.add_parser("to-torch")
    a.add_argument("--ckpt", required=True)
    a.add_argument("--out", required=True)
    a = sub.add_parser("to-ours")
    a.add_argument("--official", required=True)
    a.add_argument("--seed", type=int, required=True)
    a.add_argument("--template", required=True)
    a.add_argument("--out", required=True)
    a = sub.add_parser("resume-dir")
    a.add_argument("--config", required=True)
    a.add_argument("--seed", type=int, required=True)
    a.add_argument("--init", required=True)
    a.add_argument("--out", required=True)
    a.add_argument("--set", action="append")
    args = ap.parse_args()
    {"to-torch": to_torch, "to-ours": to_ours, "resume-dir": resume_dir}[args.cmd](args)


if __name__ == "__main__":
    main()
