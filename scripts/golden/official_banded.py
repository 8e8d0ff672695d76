"""The banded near field: the official SparseLowrankAttention._forward_sparse computed on the band alone.

The official method builds the full T x T score matrix and masks all but a band of 2 * diag_size - 1 keys per
query with -inf (a 2,048^2 softmax per head: about 10 s per step on this CPU). install_banded() replaces that
method, on the imported class, by a banded computation of the same function: the same scores
(Q K^T / sqrt(head_dim), padding keys shifted by -1e6, so a query whose band holds only padding softmaxes over
the shifted scores as the dense code does), the same softmax over the band's keys (keys outside the sequence do
not exist, as the dense -inf entries contribute exactly 0), the same dropout module on the band probabilities,
and memory O(B*H*T*band). selftest_band (official_paper.py selftest) shows forward and every gradient equal to
the dense code on a paper-shape batch to float32 rounding. With attention dropout on, the masks are drawn for
B*H*T*band probabilities instead of B*H*T*T, so the random stream (and every mask after the first dropout)
differs from a dense run: the two are equal in distribution, not bit for bit.

Imported by official_paper.py, which puts scripts/golden on sys.path.
"""
import math
import os
import sys
import time

import official_train as ot  # the stream, the import of the official code, its config
from official_rundir import read_split_array


# ----------------------------------------------------------------------------------------------------------
# The banded near field

def _band_autograd():
    """The two banded products as autograd Functions (built lazily so that `--help` needs no torch)."""
    import torch
    import torch.nn.functional as F

    class BandScores(torch.autograd.Function):
        """S[b,h,i,k] = Q[b,h,i,:] . K[b,h,i+k-w,:] for k = 0..2w, zero keys outside the sequence."""

        @staticmethod
        def forward(ctx, Q, K, w):
            T = Q.shape[2]
            Kp = F.pad(K, (0, 0, w, w))
            tmp = torch.empty_like(Q)
            cols = []
            for k in range(2 * w + 1):
                torch.mul(Q, Kp[:, :, k:k + T], out=tmp)
                cols.append(tmp.sum(-1))
            ctx.save_for_backward(Q, Kp)
            ctx.w = w
            return torch.stack(cols, -1)

        @staticmethod
        def backward(ctx, dS):
            Q, Kp = ctx.saved_tensors
            w, T = ctx.w, Q.shape[2]
            dQ, dKp = torch.zeros_like(Q), torch.zeros_like(Kp)
            for k in range(2 * w + 1):
                g = dS[..., k:k + 1]
                dQ.addcmul_(g, Kp[:, :, k:k + T])
                dKp[:, :, k:k + T].addcmul_(g, Q)
            return dQ, dKp[:, :, w:w + T], None

    class BandApply(torch.autograd.Function):
        """X[b,h,i,:] = sum_k A[b,h,i,k] V[b,h,i+k-w,:], zero values outside the sequence."""

        @staticmethod
        def forward(ctx, A, V, w):
            T = V.shape[2]
            Vp = F.pad(V, (0, 0, w, w))
            X = torch.zeros_like(V)
            for k in range(2 * w + 1):
                X.addcmul_(A[..., k:k + 1], Vp[:, :, k:k + T])
            ctx.save_for_backward(A, Vp)
            ctx.w = w
            return X

        @staticmethod
        def backward(ctx, dX):
            A, Vp = ctx.saved_tensors
            w, T = ctx.w, dX.shape[2]
            dX = dX.contiguous()
            dVp, tmp, cols = torch.zeros_like(Vp), torch.empty_like(dX), []
            for k in range(2 * w + 1):
                torch.mul(dX, Vp[:, :, k:k + T], out=tmp)
                cols.append(tmp.sum(-1))
                dVp[:, :, k:k + T].addcmul_(A[..., k:k + 1], dX)
            return torch.stack(cols, -1), dVp[:, :, w:w + T], None

    return BandScores, BandApply


def banded_forward_sparse(self, Q, K, V, mask):
    """SparseLowrankAttention._forward_sparse, banded: the official dense function on 2*diag_size-1 keys.

    Dense (official): dot = QK^T / sqrt(head_dim) - 1e6 * (1 - mask_key); dot[j - i <= -diag or j - i >= diag]
    = -inf; attn = drop_attn(softmax(dot)); X = attn V. Here the same steps on [B, H, T, 2w+1] with
    w = diag_size - 1: band slot k of query i is key i + k - w; slots outside 0..T-1 get -inf (the dense row
    has no such key). A module with dense_band = True runs the original method (selftest)."""
    import torch
    import torch.nn.functional as F
    if getattr(self, "dense_band", False):
        return type(self)._forward_sparse_dense(self, Q, K, V, mask)
    global _BAND
    if _BAND is None:
        _BAND = _band_autograd()
    scores_fn, apply_fn = _BAND
    w = self.diag_size - 1
    width = 2 * w + 1
    T = Q.shape[2]
    dot = scores_fn.apply(Q.contiguous(), K.contiguous(), w)
    dot = dot / math.sqrt(self.head_dim)
    mask_band = F.pad(mask, (w, w)).unfold(1, width, 1)  # [B, T, width]: mask of key i + k - w (0 outside)
    dot = dot - 1e6 * (1 - mask_band[:, None, :, :])
    key = torch.arange(T, device=dot.device)[:, None] + torch.arange(width, device=dot.device)[None, :] - w
    dot = dot.masked_fill(((key < 0) | (key >= T))[None, None, :, :], -float("inf"))
    attn = torch.nn.functional.softmax(dot, dim=-1)
    attn = self.drop_attn(attn)
    return apply_fn.apply(attn, V.contiguous(), w)


_BAND = None


def install_banded():
    """Patch the imported official SparseLowrankAttention (the temporary copy that build_official imported)."""
    module = sys.modules.get("attention_sparselowrank")
    if module is None:
        raise RuntimeError("install_banded: build the official sparselowrank model first")
    cls = module.SparseLowrankAttention
    if "official-lra-" not in (module.__file__ or ""):
        raise RuntimeError(f"install_banded: attention_sparselowrank comes from {module.__file__}, "
                           "not official_train's patched copy")
    if not hasattr(cls, "_forward_sparse_dense"):
        cls._forward_sparse_dense = cls._forward_sparse
        cls._forward_sparse = banded_forward_sparse
    return cls


# ----------------------------------------------------------------------------------------------------------
# Self-test: banded == dense on a paper-shape batch

def _compare(a, b):
    """max |a - b|, max |a - b| / max |b|, and the golden tolerance's verdict (scripts/golden/README.md)."""
    a, b = a.double(), b.double()
    diff = (a - b).abs()
    ref = b.abs().max().item()
    atol = max(1e-7, 1e-5 * ref)
    ok = bool((diff <= atol + 1e-4 * b.abs()).all().item())
    return diff.max().item(), (diff.max().item() / ref) if ref > 0 else 0.0, ok


def selftest_band(args, T):
    """The band5 and fmm models on seed 0's first train batch at length T, banded against dense."""
    import torch
    torch.set_num_threads(args.threads)
    labels, ids = read_split_array(os.path.join(args.data, "train.tsv"), T, limit=0)
    # the paper run's first batch (seed 0's train stream)
    idx = ot.Stream(len(labels), args.batch, 0).next()
    x = ids[torch.tensor(idx)].long()
    m, y = (x != 0).float(), labels[torch.tensor(idx)]
    lengths = (x != 0).sum(1).tolist()
    w = 4
    all_pad_rows = sum(max(0, T - (L + w)) for L in lengths)  # queries whose band (i-4..i+4) holds only padding
    print(f"band selftest: T={T}, batch {args.batch} (train rows of seed 0's first batch), tokens "
          f"{min(lengths)}..{max(lengths)}, {all_pad_rows} query rows per head whose band holds only padding; "
          f"dropout off (eval mode), {args.threads} thread(s)")
    ok_all = True
    report = []
    for attention in ("band5", "fmm-2kernel-band5"):
        cfg = ot.official_config(attention, T, 0.1)
        model = ot.build_official(args.official, 0, cfg)
        install_banded()
        if attention == "fmm-2kernel-band5":
            # move the blend off its init (far weight 0, second kernel 0) so that every path carries gradient
            with torch.no_grad():
                for i in range(2):
                    a = getattr(model.model, f"transformer_{i}").mha.attn
                    a.sparse_ratio2.fill_(0.002)
                    a.lowrank_ratio2.fill_(0.3)
        model.eval()
        cores = [getattr(model.model, f"transformer_{i}").mha.attn for i in range(2)]
        outs = {}
        for mode in ("dense", "banded"):
            for c in cores:
                c.dense_band = mode == "dense"
            captured = []
            hooks = [c.register_forward_hook(lambda mod, inp, out: captured.append(out.detach().clone()))
                     for c in cores]
            model.zero_grad()
            t0 = time.perf_counter()
            o = model(x, m, y)
            loss = o["loss"].mean()
            t1 = time.perf_counter()
            loss.backward()
            t2 = time.perf_counter()
            for h in hooks:
                h.remove()
            outs[mode] = {"loss": loss.detach().clone(), "per-example loss": o["loss"].detach().clone(),
                          "grads": {n: p.grad.detach().clone() for n, p in model.named_parameters()
                                    if p.grad is not None},
                          "cores": captured, "fwd_s": t1 - t0, "bwd_s": t2 - t1}
            print(f"  {attention} {mode}: forward {t1 - t0:.2f} s, backward {t2 - t1:.2f} s", flush=True)
            del o, loss
        d, b = outs["dense"], outs["banded"]
        rows = [("loss", b["loss"], d["loss"]), ("per-example loss", b["per-example loss"], d["per-example loss"])]
        # the core output at query rows whose band holds a real key (where it reaches the loss)
        keymask = torch.nn.functional.pad(m, (w, w)).unfold(1, 2 * w + 1, 1).sum(-1) > 0  # [B, T]
        reach = keymask[:, None, :, None]
        for i in range(2):
            rows.append((f"layer {i} attention core, rows with a real key in the band",
                         b["cores"][i] * reach, d["cores"][i] * reach))
            rows.append((f"layer {i} attention core, all rows", b["cores"][i], d["cores"][i]))
        for n in d["grads"]:
            rows.append((f"grad {n}", b["grads"][n], d["grads"][n]))
        print(f"  {'tensor':<72} {'max|abs diff|':>13} {'max rel':>10}  golden tol")
        for name, got, ref in rows:
            ab, rel, ok = _compare(got, ref)
            strict = not name.endswith("all rows")
            if strict:
                ok_all &= ok
            report.append({"attention": attention, "tensor": name, "maxAbs": ab, "maxRel": rel, "withinTol": ok})
            print(f"  {name:<72} {ab:13.3e} {rel:10.3e}  {'ok' if ok else ('FAIL' if strict else 'differs')}")
        print(f"  {attention}: dense step {d['fwd_s'] + d['bwd_s']:.2f} s, banded step {b['fwd_s'] + b['bwd_s']:.2f} s "
              f"(forward + backward, no optimiser step)")
    return ok_all, report
