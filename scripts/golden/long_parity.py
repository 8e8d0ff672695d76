#!/usr/bin/python3
"""One training step of ours against the official FMMformer code at the paper's ListOps shape (T = 2048).

Both engines take the same weights (one of our checkpoints, moved into the official ModelForSC by the name map
of make_fixtures.py), the same batch of real examples (token ids from `lra data export`, padded with 0 to the
padded length), float32 and dropout off. The official model is built from lra_config.py's ListOps values with
the max_seq_len rule of run_tasks.py (2000 -> 2 ** ceil(log2 2000) = 2048 position rows) and
`--diag_size 5 --sparse_ratio 13.5 --kernels elu elu_flip` (official_train.official_config). Ours is
configs/paper/listops/fmm-2kernel-band5.yaml, run by LongParityStep.java. Compared: the loss, every parameter
gradient (max |ours - ref| / max |ref| and the cosine per tensor, plus the golden tolerance), each layer's
attention-core output and the gradient reaching it, and the near/far-field RMS per head.

  long_parity.py --ckpt OURS.ckpt --tsv EXPORT.tsv --rows 357,43,827,1994 [--blend far=0.002,kernel1=0.3]
                 [--official DIR] [--config CFG] [--work DIR]

--blend sets the blend weights of every layer and head (near, far, kernel0, kernel1) in a copy of the
checkpoint before both engines run. Prints a markdown report; exits 1 when a tensor is outside the bound.
"""
import argparse
import math
import os
import subprocess
import sys

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, HERE)
import swap_init  # noqa: E402  (our checkpoint format)

GOLDEN_RTOL, GOLDEN_ATOL_REL, GOLDEN_ATOL_MIN = 1e-4, 1e-5, 1e-7


def read_text(path):
    """The golden text format: name shape values... (shape is one count here; '#' lines are comments)."""
    out = {}
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            name, _, rest = line.partition(" ")
            _, _, values = rest.partition(" ")
            out[name] = np.array(values.split(), dtype=np.float32).astype(np.float64)
    return out


def with_blend(ckpt, blend, path):
    """A copy of ckpt with every blend weight named in blend ({'far': 0.002, ...}) set to that value."""
    version, header, params, values = swap_init.read_ckpt(ckpt)
    values = values.copy()
    for name, off, shape, _ in params:
        kind = name.rsplit(".", 1)[-1]
        if ".blend." in name and kind in blend:
            n = int(np.prod(shape)) if shape else 1
            values[off:off + n] = blend[kind]
    swap_init.write_ckpt(path, version, header, values)
    return path


def official_model(official_dir, seq_len):
    """The official ModelForSC of the paper cell, float32, eval mode (dropout off), and the blend-name map."""
    import official_train
    import make_fixtures
    config = official_train.official_config("fmm-2kernel-band5", seq_len, dropout=0.0)
    model_wrapper, tmp = official_train.import_official(official_dir)
    model = model_wrapper.ModelForSC(config).float().eval()
    return model, make_fixtures.FMM_BLENDS["listops-2k"][2], make_fixtures.our_name


def run_official(args, ckpt, ids, labels, float64=False):
    """loss, grads by our name, attention outputs and gradients in our layout, near/far RMS per layer and head.

    float64: the same model in double precision, as a reference for the rounding of both float32 engines. The
    official Attention.forward casts Q, K, V and the mask to float32 (.float()); that cast is made a no-op for
    this run so that the attention core stays in double too.
    """
    import torch
    torch.set_num_threads(1)
    torch.manual_seed(0)
    # run_tasks.py: model_config["max_seq_len"] = int(2 ** math.ceil(math.log2(model_config["max_seq_len"])))
    table = int(2 ** math.ceil(math.log2(2000)))
    model, blend, our_name = official_model(args.official, table)
    dtype = torch.float64 if float64 else torch.float32
    model = model.to(dtype)
    _, _, params, values = swap_init.read_ckpt(ckpt)
    ours = {name: (off, shape) for name, off, shape, _ in params}
    state = {}
    for pname, p in model.named_parameters():
        off, shape = ours.pop(our_name(pname, blend))
        n = int(np.prod(shape)) if shape else 1
        if n != p.numel():
            sys.exit(f"long_parity.py: {pname} has {p.numel()} numbers, ours {n}")
        state[pname] = torch.tensor(values[off:off + n].astype(np.float32)).to(dtype).reshape(p.shape)
    if ours:
        sys.exit(f"long_parity.py: our parameters without an official one: {sorted(ours)}")
    model.load_state_dict(state)

    records = []

    def hook(module, inputs, output):
        q, k, v, mask = inputs
        with torch.no_grad():
            near = module._forward_sparse(q, k, v, mask)   # [B, H, T, D]
            far = module._forward_lowrank(q, k, v, mask)   # sum_l kernel_l * far_l
        output.retain_grad()
        records.append({"out": output, "near": near, "far": far, "mask": mask})

    for layer in range(2):
        getattr(model.model, f"transformer_{layer}").mha.attn.register_forward_hook(hook)
    x = torch.tensor(ids, dtype=torch.long)
    mask = (x != 0).to(dtype)
    cast = torch.Tensor.float
    if float64:
        torch.Tensor.float = lambda t, *a, **k: t
    try:
        out = model(x, mask, torch.tensor(labels, dtype=torch.long))
        loss = out["loss"].mean()
        loss.backward()
    finally:
        torch.Tensor.float = cast

    res = {"loss": np.array([loss.item()])}
    for pname, p in model.named_parameters():
        res["grad." + our_name(pname, blend)] = p.grad.detach().double().numpy().reshape(-1)
    for layer, r in enumerate(records):
        lay = lambda t: t.detach().transpose(1, 2).reshape(-1).double().numpy()  # [B,H,T,D] -> [B,T,H*D]
        res[f"attn{layer}.out"] = lay(r["out"])
        res[f"attn{layer}.dout"] = lay(r["out"].grad)
        real = r["mask"].reshape(-1) != 0  # RMS over real tokens, as BlendProbe
        for field in ("near", "far"):
            t = r[field].detach().double().transpose(1, 2)  # [B, T, H, D]
            t = t.reshape(-1, t.shape[2], t.shape[3])[real]
            res[f"attn{layer}.{field}Rms"] = t.pow(2).mean(dim=(0, 2)).sqrt().numpy()
    res["_positions"] = model.model.embeddings.position_embeddings.weight.shape[0]
    return res


def rel_err(ref, other):
    """max |other - ref| / max |ref| (the absolute error when ref is all zero)."""
    d = np.abs(other - ref).max()
    mx = np.abs(ref).max()
    return d / mx if mx > 0 else d


def compare(ref, ours, ref64=None):
    """Per tensor: max|ref|, max|d|/max|ref|, cosine, worst |d| / golden allowance; with ref64 also the error
    of ours and of the official float32 against the float64 run."""
    rows = []
    for name, r in ref.items():
        if name.startswith("_"):
            continue
        o = ours[name]
        d = np.abs(o - r)
        mx = np.abs(r).max()
        allow = np.maximum(GOLDEN_ATOL_MIN, GOLDEN_ATOL_REL * mx) + GOLDEN_RTOL * np.abs(r)
        nr, no = np.linalg.norm(r), np.linalg.norm(o)
        cos = float(r @ o / (nr * no)) if nr > 0 and no > 0 else (1.0 if nr == no else 0.0)
        row = [name, r.size, mx, rel_err(r, o), cos, float((d / allow).max())]
        if ref64 is not None:
            row += [rel_err(ref64[name], o), rel_err(ref64[name], r)]
        rows.append(row)
    return rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--ckpt", required=True, help="our checkpoint (the weights both engines take)")
    ap.add_argument("--tsv", required=True, help="lra data export output: label<TAB>ids")
    ap.add_argument("--rows", required=True, help="0-based row numbers of the export, comma separated (the batch)")
    ap.add_argument("--blend", default="", help="blend weights set before the run, e.g. far=0.002,kernel1=0.3")
    ap.add_argument("--official", default=os.environ.get("LRA_OFFICIAL", "/work/official/LRA/code"))
    ap.add_argument("--config", default=os.path.join(REPO, "configs/paper/listops/fmm-2kernel-band5.yaml"))
    ap.add_argument("--seq-len", type=int, default=2048, help="padded length (ours: nextPow2(task.maxLength))")
    ap.add_argument("--bound", type=float, default=10.0,
                    help="fail when a tensor's worst |d| exceeds this many golden allowances")
    ap.add_argument("--float64", action="store_true",
                    help="also run the official model in float64 and give both engines' error against it")
    ap.add_argument("--work", default="/tmp/long-parity")
    ap.add_argument("--jar", default=os.path.join(REPO, "lra-cli/target/lra.jar"))
    args = ap.parse_args()
    os.makedirs(args.work, exist_ok=True)

    lines = open(args.tsv).read().split("\n")
    picked = [lines[int(i)] for i in args.rows.split(",")]
    batch_tsv = os.path.join(args.work, "batch.tsv")
    with open(batch_tsv, "w") as f:
        f.write("\n".join(picked) + "\n")
    labels = [int(l.split("\t")[0]) for l in picked]
    lengths = [len(l.split("\t")[1].split()) for l in picked]
    ids = np.zeros((len(picked), args.seq_len), dtype=np.int64)
    for b, l in enumerate(picked):
        toks = [int(t) for t in l.split("\t")[1].split()]
        ids[b, :len(toks)] = toks

    ckpt = args.ckpt
    if args.blend:
        blend = {k: float(v) for k, v in (kv.split("=") for kv in args.blend.split(","))}
        ckpt = with_blend(args.ckpt, blend, os.path.join(args.work, "weights.ckpt"))

    ours_txt = os.path.join(args.work, "ours.txt")
    subprocess.run(["nice", "-n", "19", "java", "--add-modules", "jdk.incubator.vector", "-cp", args.jar, os.path.join(HERE, "LongParityStep.java"),
                    args.config, ckpt, batch_tsv, str(args.seq_len), ours_txt], check=True)
    ours = read_text(ours_txt)
    ref = run_official(args, ckpt, ids, labels)
    ref64 = run_official(args, ckpt, ids, labels, float64=True) if args.float64 else None

    # Attention rows of padding queries: a query whose band holds only padding softmaxes over scores shifted by
    # -1e6, which float32 rounds (both engines do); they never reach the loss. Compared again over real rows.
    real = (ids.reshape(-1) != 0)
    for res in (ref, ours, ref64):
        if res is None:
            continue
        for name in [n for n in res if n.startswith("attn") and n.endswith("out")]:
            res[name + "@real"] = res[name].reshape(real.size, -1)[real].reshape(-1)
    _, _, params, values = swap_init.read_ckpt(ckpt)
    blends = {name: values[off:off + (int(np.prod(s)) if s else 1)] for name, off, s, _ in params if ".blend." in name}
    print(f"B = {len(picked)}, T = {args.seq_len}, rows {args.rows} of {args.tsv}: tokens {lengths}, labels {labels}")
    print(f"official position table: {ref['_positions']} rows; ours: {ours['grad.embedding.positions'].size // 64}")
    print("blend weights: " + "; ".join(f"{k} {np.round(v, 5).tolist()}" for k, v in blends.items()))
    print(f"loss: official {ref['loss'][0]:.8f}, ours {ours['loss'][0]:.8f}, "
          f"|d| = {abs(ref['loss'][0] - ours['loss'][0]):.2e}"
          + (f"; float64 {ref64['loss'][0]:.8f}" if ref64 else ""))
    print()
    head = "| tensor | size | max abs ref | max abs err / max abs ref | cosine | worst err / golden allowance |"
    rule = "|---|---:|---:|---:|---:|---:|"
    if ref64:
        head += " ours vs float64 | official vs float64 |"
        rule += "---:|---:|"
    print(head)
    print(rule)
    worst = 0.0
    for row in compare(ref, ours, ref64):
        name, n, mx, rel, cos, ratio = row[:6]
        if name == "loss":
            continue
        line = f"| {name} | {n} | {mx:.3e} | {rel:.2e} | {cos:.9f} | {ratio:.2f} |"
        if ref64:
            line += f" {row[6]:.2e} | {row[7]:.2e} |"
        print(line)
        worst = max(worst, ratio)
    print()
    print(f"worst tensor: {worst:.2f} golden allowances (bound {args.bound})")
    sys.exit(0 if worst <= args.bound else 1)


if __name__ == "__main__":
    main()
