#!/usr/bin/python3
"""Parity experiment: the official model's training loss and gradient at our checkpoint's weights on one batch,
averaged over K dropout draws (torch.manual_seed(base + k) before draw k), and the comparison with ours.

  mask_averaged_gradient.py run --official LRA/code --ckpt OURS.ckpt --batch BATCH.tsv --k K --out OUT.bin
      [--dropout 0.1]
  mask_averaged_gradient.py compare --ckpt OURS.ckpt --ours OURS.bin --official OFFICIAL.bin --k K

OUT.bin has MaskAveragedGradient.java's layout: float64 mean loss, mean gradient in our parameter order, then the
per-element variance over the K draws. `compare` prints, per parameter tensor, how far apart the two mean
gradients are in units of their Monte-Carlo standard error: z² averages about 1 when the two engines' dropout
acts on training alike.
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import official_train  # noqa: E402
import swap_init  # noqa: E402


def run(args):
    import torch
    torch.set_num_threads(1)
    _, _, params, values = swap_init.read_ckpt(args.ckpt)
    model = official_train.build_official(args.official, 0, official_train.official_config(dropout=args.dropout, attention_dropout=args.attention_dropout))
    state = {}
    for name, off, shape, _ in params:
        n = int(np.prod(shape)) if shape else 1
        state[swap_init.torch_name(name)] = torch.tensor(values[off:off + n].astype(np.float32))
    model.load_state_dict({k: v.reshape(model.state_dict()[k].shape) for k, v in state.items()})
    labels, rows = official_train.read_split(args.batch, 256)
    x = torch.tensor(rows, dtype=torch.long)
    y = torch.tensor(labels, dtype=torch.long)
    named = dict(model.named_parameters())
    total = len(values)
    s, s2, loss_sum = np.zeros(total), np.zeros(total), 0.0
    model.train()
    for k in range(args.k):
        torch.manual_seed(args.base + k)
        model.zero_grad()
        loss = model(x, (x != 0).float(), y)["loss"].mean()
        loss.backward()
        loss_sum += loss.item()
        g = np.zeros(total)
        for name, off, shape, _ in params:
            n = int(np.prod(shape)) if shape else 1
            g[off:off + n] = named[swap_init.torch_name(name)].grad.detach().numpy().reshape(-1).astype(np.float64)
        s += g
        s2 += g * g
    mean = s / args.k
    out = np.concatenate([[loss_sum / args.k], mean, s2 / args.k - mean * mean])
    out.astype("<f8").tofile(args.out)


def compare(args):
    _, _, params, values = swap_init.read_ckpt(args.ckpt)
    n = len(values)
    a = np.fromfile(args.ours, dtype="<f8")
    b = np.fromfile(args.official, dtype="<f8")
    print(f"mean loss over {args.k} draws: ours {a[0]:.6f}  official {b[0]:.6f}")
    z2_all = []
    print(f"{'parameter':28s} {'|mean g| ours':>13s} {'official':>10s} {'rel diff':>9s} {'mean z^2':>9s}")
    for name, off, shape, _ in params:
        m = int(np.prod(shape)) if shape else 1
        ga, gb = a[1 + off:1 + off + m], b[1 + off:1 + off + m]
        va, vb = a[1 + n + off:1 + n + off + m], b[1 + n + off:1 + n + off + m]
        se2 = (np.maximum(va, 0) + np.maximum(vb, 0)) / args.k
        ok = se2 > 1e-6 * se2.max()  # entries that only float rounding moves (pad rows, softmax-invariant biases)
        z2 = ((ga - gb) ** 2)[ok] / se2[ok]
        z2_all.append(z2)
        rel = np.linalg.norm(ga - gb) / max(np.linalg.norm(gb), 1e-30)
        print(f"{name:28s} {np.linalg.norm(ga):13.4e} {np.linalg.norm(gb):10.4e} {rel:9.2e} "
              f"{z2.mean() if z2.size else float('nan'):9.3f}")
    z2 = np.concatenate(z2_all)
    print(f"all {z2.size} gradient entries with draw-to-draw variance: mean z^2 = {z2.mean():.3f} "
          f"(1 = same distribution)")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = ap.add_subparsers(dest="cmd", required=True)
    r = sub.add_parser("run")
    r.add_argument("--official", required=True)
    r.add_argument("--ckpt", required=True)
    r.add_argument("--batch", required=True)
    r.add_argument("--k", type=int, required=True)
    r.add_argument("--out", required=True)
    r.add_argument("--dropout", type=float, default=0.1, help="dropout_prob (embedding, attention output, MLP)")
    r.add_argument("--attention-dropout", type=float, help="on the attention probabilities (default: --dropout)")
    r.add_argument("--base", type=int, default=10_000)
    c = sub.add_parser("compare")
    c.add_argument("--ckpt", required=True)
    c.add_argument("--ours", required=True)
    c.add_argument("--official", required=True)
    c.add_argument("--k", type=int, required=True)
    args = ap.parse_args()
    {"run": run, "compare": compare}[args.cmd](args)


if __name__ == "__main__":
    main()
