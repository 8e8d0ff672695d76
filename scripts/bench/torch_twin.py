#!/usr/bin/env python3
"""PyTorch CPU twin of the small LRA transformer (Nystromformer / FMMformer LRA model).

Used as the peer baseline when timing a training step of another implementation of the
same model. The model mirrors the official LRA PyTorch code:

  * token embedding (vocab x 64) + learned position embedding (next power of two >= seq len,
    x 64), both N(0, 0.02^2), dropout 0.1;
  * 2 pre-LN blocks: X = X + Dropout(Attn(LN(X))); X = X + MLP(LN(X)),
    MLP = Linear(64,128) - GELU - Dropout - Linear(128,64) - Dropout;
  * attention: W_q, W_k, W_v = Linear(64, 2*32) with bias, 2 heads of 32, output Linear(64,64);
  * final LayerNorm, multiplied by the token mask; MEAN pooling over all N positions;
  * head Linear(64,128) - ReLU - Linear(128,C); mean cross-entropy;
  * AdamW(lr 1e-4, betas (0.9, 0.999), eps 1e-6, weight decay 0).

Attention types: softmax, linear (elu+1, no normaliser), band (near field only; dense O(N^2)
masked reference or blocked O(N*k)), fmm (band + low-rank far field, per-head blend), and two
LRA baselines at the reference harness's settings: nystrom (64 segment-mean landmarks, 6-step
iterative pseudo-inverse with one batch-wide initial scale, 35-tap depthwise conv over V) and
linformer (k = 256 rows of one projection E [H, k, N] shared by all layers).

nystrom and linformer were added to the twin the first benchmarks ran with (results/bench/README.md);
the rest is that twin unchanged.

Run with --help for the options; --mode check verifies blocked band == dense band.
"""

import argparse
import math
import os
import resource
import subprocess
import sys
import time


def _early_threads():
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument("--threads", type=int, default=1)
    ns, _ = p.parse_known_args()
    return ns.threads


# Thread counts must be in the environment before torch (and its BLAS / OpenMP) is loaded.
# OMP_WAIT_POLICY=PASSIVE (unless set by the caller): torch's OpenMP pool and OpenBLAS's own
# pthreads otherwise both busy-wait between calls and fight over the cores; on a 2-core machine
# that made 2-thread steps up to 2x slower than 1-thread steps.
if __name__ == "__main__":
    _THREADS = max(1, _early_threads())
    for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[_var] = str(_THREADS)
    os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import torch  # noqa: E402
import torch.nn as nn  # noqa: E402
import torch.nn.functional as F  # noqa: E402

EMB_DIM = 64
HIDDEN_DIM = 128
NUM_HEADS = 2
HEAD_DIM = 32
NUM_LAYERS = 2
DROPOUT = 0.1
ATTN_DROPOUT = 0.1
KERNEL_NAMES = ("elu", "elu_flip")

CSV_HEADER = ("impl,attention,band_impl,kernels,seq_len,batch,threads,"
              "median_step_ms,p90_step_ms,tokens_per_s,peak_rss_mb")


# --------------------------------------------------------------------------- attention

class SoftmaxAttention(nn.Module):
    def __init__(self):
        super().__init__()
        self.drop_attn = nn.Dropout(p=ATTN_DROPOUT)

    def forward(self, Q, K, V, mask):
        dot = torch.matmul(Q, torch.transpose(K, -2, -1))
        dot = dot / math.sqrt(HEAD_DIM)
        dot = dot - 1e6 * (1 - mask[:, None, None, :])
        attn = F.softmax(dot, dim=-1)
        attn = self.drop_attn(attn)
        return torch.matmul(attn, V)


def feature_map(x, name):
    if name == "elu":
        return F.elu(x, 1.0, False) + 1.0
    if name == "elu_flip":
        return F.elu(-x, 1.0, False) + 1.0
    raise ValueError(name)


def lowrank(Q, K, V, mask, kernel):
    """Unnormalised linear attention Q'(K'^T V') with feature map `kernel`; N = padded length."""
    n4 = math.sqrt(math.sqrt(Q.size(2)))
    Qf = feature_map(Q, kernel) / n4
    Kf = feature_map(K, kernel) * mask[:, None, :, None] / n4
    return torch.matmul(Qf, torch.matmul(torch.transpose(Kf, -2, -1), V))


class LinearAttention(nn.Module):
    def forward(self, Q, K, V, mask):
        V = V * mask[:, None, :, None]
        return lowrank(Q, K, V, mask, "elu")


def band_dense(Q, K, V, mask, diag_size, drop=None):
    """Near field exactly as the official code: full N x N scores, band mask, softmax."""
    dot = torch.matmul(Q, torch.transpose(K, -2, -1))
    dot = dot / math.sqrt(HEAD_DIM)
    dot = dot - 1e6 * (1 - mask[:, None, None, :])
    qlen, klen = dot.shape[-2:]
    sparse_mask = torch.ones(qlen, klen).to(dot)
    sparse_mask = (torch.tril(sparse_mask, diagonal=-diag_size)
                   + torch.triu(sparse_mask, diagonal=diag_size)).to(torch.bool)
    dot.masked_fill_(sparse_mask[None, None, :, :], -float("inf"))
    attn = F.softmax(dot, dim=-1)
    if drop is not None:
        attn = drop(attn)
    return torch.matmul(attn, V)


_STATIC_CACHE = {}


def _band_static_mask(n, diag_size, width):
    """Boolean (nb, w, w + 2h) mask of key slots that are outside the band or outside [0, n)."""
    key = (n, diag_size, width)
    m = _STATIC_CACHE.get(key)
    if m is None:
        h = diag_size - 1
        nb = -(-n // width)
        win = width + 2 * h
        qi = torch.arange(nb * width).view(nb, width, 1)
        kj = (torch.arange(nb) * width).view(nb, 1, 1) - h + torch.arange(win).view(1, 1, win)
        outside_band = (kj - qi).abs() > h
        # Keys that do not exist in the dense computation.  Only masked for real queries, so that
        # the (discarded) padding queries past n never see an all -inf row (NaN in backward).
        missing = ((kj < 0) | (kj >= n)) & (qi < n)
        m = outside_band | missing
        _STATIC_CACHE[key] = m
    return m


def band_blocked(Q, K, V, mask, diag_size, width=16, drop=None):
    """Same result as band_dense in O(N*k): queries in blocks of `width`, each block scored only
    against the width + 2*(diag_size-1) keys that its band can reach."""
    B, H, n, d = Q.shape
    h = diag_size - 1
    nb = -(-n // width)
    npad = nb * width
    win = width + 2 * h
    Qb = F.pad(Q, (0, 0, 0, npad - n)).view(B, H, nb, width, d)
    Kw = F.pad(K, (0, 0, h, h + npad - n)).unfold(2, win, width)  # B,H,nb,d,win
    Vw = F.pad(V, (0, 0, h, h + npad - n)).unfold(2, win, width).transpose(-1, -2)  # B,H,nb,win,d
    mw = F.pad(mask, (h, h + npad - n)).unfold(1, win, width)  # B,nb,win
    dot = torch.matmul(Qb, Kw)
    dot = dot / math.sqrt(HEAD_DIM)
    dot = dot - 1e6 * (1 - mw[:, None, :, None, :])
    dot = dot.masked_fill(_band_static_mask(n, diag_size, width).to(dot.device), -float("inf"))
    attn = F.softmax(dot, dim=-1)
    if drop is not None:
        attn = drop(attn)
    out = torch.matmul(attn, Vw).reshape(B, H, npad, d)
    return out[:, :, :n] if npad != n else out


class BandAttention(nn.Module):
    def __init__(self, diag_size, impl, width):
        super().__init__()
        self.drop_attn = nn.Dropout(p=ATTN_DROPOUT)
        self.diag_size = diag_size
        self.impl = impl
        self.width = width

    def forward(self, Q, K, V, mask):
        if self.impl == "dense":
            return band_dense(Q, K, V, mask, self.diag_size, self.drop_attn)
        return band_blocked(Q, K, V, mask, self.diag_size, self.width, self.drop_attn)


class FMMAttention(nn.Module):
    """out = a * near + b * far, far = sum over kernels of unnormalised linear attention;
    a, b learnable per head (1,H,1,1), a = 1, b = 0 at init."""

    def __init__(self, diag_size, impl, width, kernels):
        super().__init__()
        self.near = BandAttention(diag_size, impl, width)
        self.kernels = KERNEL_NAMES[:kernels]
        self.a = nn.Parameter(torch.ones(1, NUM_HEADS, 1, 1))
        self.b = nn.Parameter(torch.zeros(1, NUM_HEADS, 1, 1))

    def forward(self, Q, K, V, mask):
        near = self.near(Q, K, V, mask)
        Vm = V * mask[:, None, :, None]
        far = None
        for kern in self.kernels:
            f = lowrank(Q, K, Vm, mask, kern)
            far = f if far is None else far + f
        return self.a * near + self.b * far


class NystromAttention(nn.Module):
    """Nystrom approximation of softmax attention with m segment-mean landmarks, O(N*m)."""

    def __init__(self, landmarks=64, conv_taps=35):
        super().__init__()
        self.m = landmarks
        self.conv = nn.Conv2d(NUM_HEADS, NUM_HEADS, (conv_taps, 1), padding=(conv_taps // 2, 0),
                              bias=False, groups=NUM_HEADS)

    @staticmethod
    def pinv(A, steps=6):
        eye = torch.eye(A.size(-1), dtype=A.dtype)
        Z = A.transpose(-1, -2) / A.sum(dim=-2).max()  # one scale for the whole batch
        for _ in range(steps):
            AZ = A @ Z
            Z = 0.25 * Z @ (13 * eye - AZ @ (15 * eye - AZ @ (7 * eye - AZ)))
        return Z

    def forward(self, Q, K, V, mask):
        B, H, n, d = Q.shape
        s = d ** -0.25
        keep = mask[:, None, :, None]
        Qs, Ks = Q * keep * s, K * keep * s
        Ql = Qs.reshape(B, H, self.m, n // self.m, d).mean(-2)
        Kl = Ks.reshape(B, H, self.m, n // self.m, d).mean(-2)
        F1 = F.softmax(Qs @ Kl.transpose(-1, -2), dim=-1)
        A = F.softmax(Ql @ Kl.transpose(-1, -2), dim=-1)
        B3 = F.softmax(Ql @ Ks.transpose(-1, -2) - 1e9 * (1 - mask[:, None, None, :]), dim=-1)
        return (F1 @ self.pinv(A)) @ (B3 @ V) + self.conv(V * keep)


class LinformerAttention(nn.Module):
    """Keys and values projected to k rows by E_h [k, N]; softmax over the k projected keys."""

    def __init__(self, E):
        super().__init__()
        self.E = E

    def forward(self, Q, K, V, mask):
        keep = mask[:, None, :, None]
        n = Q.size(2)
        E = self.E[:, :, :n]
        Kp = E @ (K * keep)
        Vp = E @ (V * keep)
        return F.softmax(Q @ Kp.transpose(-1, -2) / math.sqrt(HEAD_DIM), dim=-1) @ Vp


def make_attention(cfg):
    t = cfg["attention"]
    if t == "softmax":
        return SoftmaxAttention()
    if t == "linear":
        return LinearAttention()
    if t == "band":
        return BandAttention(cfg["bandwidth"], cfg["band_impl"], cfg["band_block"])
    if t == "fmm":
        return FMMAttention(cfg["bandwidth"], cfg["band_impl"], cfg["band_block"], cfg["kernels"])
    if t == "nystrom":
        return NystromAttention()
    if t == "linformer":
        if "linformer_E" not in cfg:  # one E for the whole model, as the reference's class-level parameter
            cfg["linformer_E"] = nn.Parameter(0.02 * torch.randn(NUM_HEADS, 256, cfg["max_len"]))
        return LinformerAttention(cfg["linformer_E"])
    raise ValueError(t)


# --------------------------------------------------------------------------- model

class Attention(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.W_q = nn.Linear(EMB_DIM, NUM_HEADS * HEAD_DIM)
        self.W_k = nn.Linear(EMB_DIM, NUM_HEADS * HEAD_DIM)
        self.W_v = nn.Linear(EMB_DIM, NUM_HEADS * HEAD_DIM)
        self.attn = make_attention(cfg)
        self.ff = nn.Linear(NUM_HEADS * HEAD_DIM, EMB_DIM)

    @staticmethod
    def split_heads(X):
        return X.reshape(X.size(0), X.size(1), NUM_HEADS, HEAD_DIM).transpose(1, 2)

    @staticmethod
    def combine_heads(X):
        X = X.transpose(1, 2)
        return X.reshape(X.size(0), X.size(1), NUM_HEADS * HEAD_DIM)

    def forward(self, X, mask):
        Q = self.split_heads(self.W_q(X))
        K = self.split_heads(self.W_k(X))
        V = self.split_heads(self.W_v(X))
        return self.ff(self.combine_heads(self.attn(Q, K, V, mask)))


class Block(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.norm1 = nn.LayerNorm(EMB_DIM)
        self.mha = Attention(cfg)
        self.dropout1 = nn.Dropout(p=DROPOUT)
        self.norm2 = nn.LayerNorm(EMB_DIM)
        self.mlpblock = nn.Sequential(
            nn.Linear(EMB_DIM, HIDDEN_DIM), nn.GELU(), nn.Dropout(p=DROPOUT),
            nn.Linear(HIDDEN_DIM, EMB_DIM), nn.Dropout(p=DROPOUT))

    def forward(self, X, mask):
        X = self.dropout1(self.mha(self.norm1(X), mask)) + X
        X = self.mlpblock(self.norm2(X)) + X
        return X


def pos_table_size(seq_len):
    return 1 << max(0, math.ceil(math.log2(seq_len)))


class Classifier(nn.Module):
    def __init__(self, cfg):
        super().__init__()
        self.word_embeddings = nn.Embedding(cfg["vocab"], EMB_DIM)
        nn.init.normal_(self.word_embeddings.weight, std=0.02)
        self.position_embeddings = nn.Embedding(pos_table_size(cfg["max_len"]), EMB_DIM)
        nn.init.normal_(self.position_embeddings.weight, std=0.02)
        self.emb_dropout = nn.Dropout(p=DROPOUT)
        self.blocks = nn.ModuleList([Block(cfg) for _ in range(NUM_LAYERS)])
        self.norm = nn.LayerNorm(EMB_DIM)
        self.head = nn.Sequential(nn.Linear(EMB_DIM, HIDDEN_DIM), nn.ReLU(),
                                  nn.Linear(HIDDEN_DIM, cfg["classes"]))

    def forward(self, ids, mask):
        b, n = ids.shape
        pos = torch.arange(n, dtype=torch.long, device=ids.device)[None, :].expand(b, n)
        X = self.emb_dropout(self.word_embeddings(ids) + self.position_embeddings(pos))
        for blk in self.blocks:
            X = blk(X, mask)
        X = self.norm(X) * mask[:, :, None]
        return self.head(X.mean(dim=1))


# --------------------------------------------------------------------------- benchmark

def make_batch(batch, seq_len, vocab, classes, seed):
    g = torch.Generator().manual_seed(seed)
    ids = torch.randint(1, vocab, (batch, seq_len), generator=g)
    lengths = torch.randint(seq_len // 2, seq_len + 1, (batch,), generator=g)
    ids = ids.masked_fill(torch.arange(seq_len)[None, :] >= lengths[:, None], 0)
    labels = torch.randint(0, classes, (batch,), generator=g)
    mask = (ids != 0).float()
    return ids, mask, labels


def percentile(values, q):
    s = sorted(values)
    if len(s) == 1:
        return s[0]
    pos = (len(s) - 1) * q / 100.0
    lo = math.floor(pos)
    hi = min(lo + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (pos - lo)


def model_cfg(args, seq_len):
    return dict(attention=args.attention, bandwidth=args.bandwidth, band_impl=args.band_impl,
                band_block=args.band_block, kernels=args.kernels, vocab=args.vocab,
                classes=args.classes, max_len=seq_len)


def bench_one(args, seq_len):
    torch.manual_seed(args.seed)
    model = Classifier(model_cfg(args, seq_len))
    model.train()
    opt = torch.optim.AdamW(model.parameters(), lr=1e-4, betas=(0.9, 0.999), eps=1e-6,
                            weight_decay=0.0)
    ids, mask, labels = make_batch(args.batch, seq_len, args.vocab, args.classes, args.seed)
    times = []
    for i in range(args.warmup + args.steps):
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        logits = model(ids, mask)
        loss = F.cross_entropy(logits, labels)
        loss.backward()
        opt.step()
        dt = time.perf_counter() - t0
        if not math.isfinite(loss.item()):
            raise RuntimeError("non-finite loss")
        if i >= args.warmup:
            times.append(dt)
    med = percentile(times, 50)
    p90 = percentile(times, 90)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    uses_band = args.attention in ("band", "fmm")
    row = dict(impl="torch", attention=args.attention,
               band_impl=args.band_impl if uses_band else "-",
               kernels=str(args.kernels) if args.attention == "fmm" else "-",
               seq_len=seq_len, batch=args.batch, threads=args.threads,
               median_step_ms=med * 1e3, p90_step_ms=p90 * 1e3,
               tokens_per_s=args.batch * seq_len / med, peak_rss_mb=rss_mb)
    nparams = sum(p.numel() for p in model.parameters())
    return row, nparams, loss.item()


def format_row(r):
    return ("{impl},{attention},{band_impl},{kernels},{seq_len},{batch},{threads},"
            "{median_step_ms:.2f},{p90_step_ms:.2f},{tokens_per_s:.1f},{peak_rss_mb:.1f}").format(**r)


def run_bench(args, seq_lens):
    if len(seq_lens) > 1:
        # One fresh process per length, so that peak RSS belongs to that run alone.
        if args.csv and not args.no_header:
            print(CSV_HEADER, flush=True)
        rc = 0
        for n in seq_lens:
            argv = [a for a in _strip_opt(sys.argv[1:], "--seq-len")]
            cmd = [sys.executable, os.path.abspath(__file__)] + argv + ["--seq-len", str(n),
                                                                        "--no-header"]
            rc |= subprocess.call(cmd)
        return rc
    row, nparams, loss = bench_one(args, seq_lens[0])
    if args.csv:
        if not args.no_header:
            print(CSV_HEADER)
        print(format_row(row), flush=True)
    else:
        print("torch {attention} band_impl={band_impl} kernels={kernels} T={seq_len} B={batch} "
              "threads={threads}: median {median_step_ms:.2f} ms, p90 {p90_step_ms:.2f} ms, "
              "{tokens_per_s:.0f} tokens/s, peak RSS {peak_rss_mb:.1f} MB".format(**row)
              + " (params {}, last loss {:.4f})".format(nparams, loss), flush=True)
    return 0


def _strip_opt(argv, name):
    out, skip = [], False
    for a in argv:
        if skip:
            skip = False
            continue
        if a == name:
            skip = True
            continue
        if a.startswith(name + "="):
            continue
        out.append(a)
    return out


# --------------------------------------------------------------------------- check

def _maxdiff(a, b):
    return (a - b).abs().max().item()


def run_check(args):
    """blocked band == dense band (forward and gradients) on random padded inputs."""
    tol = 1e-5
    worst = 0.0
    failures = 0
    g = torch.Generator().manual_seed(args.seed)
    cases = []
    for n in (1, 5, 16, 37, 64, 100, 257):
        for k in sorted({1, 2, 5, args.bandwidth, 9}):
            for w in sorted({1, 4, args.band_block, 32}):
                cases.append((n, k, w))
    for n, k, w in cases:
        B = 3
        shape = (B, NUM_HEADS, n, HEAD_DIM)
        Q, K, V = (torch.randn(shape, generator=g) for _ in range(3))
        # one unpadded row, one heavily padded row, one random length
        lengths = torch.tensor([n, max(1, n // 4), int(torch.randint(1, n + 1, (1,), generator=g))])
        mask = (torch.arange(n)[None, :] < lengths[:, None]).float()
        gout = torch.randn(shape, generator=g)
        res = []
        for fn in (lambda q, kk, v: band_dense(q, kk, v, mask, k),
                   lambda q, kk, v: band_blocked(q, kk, v, mask, k, w)):
            q, kk, v = (t.clone().requires_grad_(True) for t in (Q, K, V))
            out = fn(q, kk, v)
            grads = torch.autograd.grad(out, (q, kk, v), gout)
            res.append((out,) + tuple(grads))
        diffs = [_maxdiff(a, b) for a, b in zip(res[0], res[1])]
        finite = all(torch.isfinite(t).all().item() for t in res[1])
        worst = max(worst, max(diffs))
        if max(diffs) >= tol or not finite:
            failures += 1
            print("FAIL N={} k={} w={} out/dQ/dK/dV max|diff| = {}".format(
                n, k, w, ["%.3g" % x for x in diffs]))
    print("attention-level: {} cases, worst max|diff| {:.3g} (tol {:g})".format(
        len(cases), worst, tol))

    # whole model, eval mode (no dropout): dense vs blocked band with identical weights
    for att, kern in (("band", 1), ("fmm", 1), ("fmm", 2)):
        for n in (100, 256):
            base = model_cfg(args, n)
            base.update(attention=att, kernels=kern, classes=args.classes)
            torch.manual_seed(args.seed)
            m_dense = Classifier(dict(base, band_impl="dense"))
            m_block = Classifier(dict(base, band_impl="blocked"))
            m_block.load_state_dict(m_dense.state_dict())
            if att == "fmm":  # make the far field matter
                with torch.no_grad():
                    for m in (m_dense, m_block):
                        for blk in m.blocks:
                            blk.mha.attn.b.fill_(0.7)
            ids, mask, labels = make_batch(4, n, args.vocab, args.classes, args.seed)
            outs = []
            for m in (m_dense, m_block):
                m.eval()
                m.zero_grad()
                logits = m(ids, mask)
                F.cross_entropy(logits, labels).backward()
                outs.append((logits, {k: p.grad for k, p in m.named_parameters()}))
            d_logits = _maxdiff(outs[0][0], outs[1][0])
            d_grad = max(_maxdiff(outs[0][1][k], outs[1][1][k]) for k in outs[0][1])
            ok = d_logits < tol and d_grad < tol
            failures += 0 if ok else 1
            worst = max(worst, d_logits, d_grad)
            print("model-level {} kernels={} N={}: logits {:.3g}, param grads {:.3g} {}".format(
                att, kern if att == "fmm" else "-", n, d_logits, d_grad, "ok" if ok else "FAIL"))
    if failures:
        print("CHECK FAILED ({} failures)".format(failures))
        return 1
    print("CHECK PASSED (worst max|diff| {:.3g} < {:g})".format(worst, tol))
    return 0


# --------------------------------------------------------------------------- main

def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    p.add_argument("--mode", choices=("bench", "check"), default="bench",
                   help="bench: time training steps; check: blocked band == dense band")
    p.add_argument("--attention", choices=("softmax", "linear", "band", "fmm", "nystrom", "linformer"),
                   default="softmax",
                   help="attention type")
    p.add_argument("--seq-len", default="1024", help="sequence length, or a comma list")
    p.add_argument("--batch", type=int, default=8, help="batch size")
    p.add_argument("--threads", type=int, default=1,
                   help="torch / OpenMP / BLAS threads (set before torch is loaded)")
    p.add_argument("--kernels", type=int, choices=(1, 2), default=2,
                   help="fmm far-field kernels: 1 = elu, 2 = elu + elu_flip")
    p.add_argument("--bandwidth", type=int, default=5,
                   help="band keeps keys with |i-j| <= bandwidth-1")
    p.add_argument("--band-impl", choices=("blocked", "dense"), default="blocked",
                   help="band / fmm near field: blocked O(N*k) or dense O(N^2) as the reference code")
    p.add_argument("--band-block", type=int, default=16,
                   help="query block width of the blocked band implementation")
    p.add_argument("--steps", type=int, default=5, help="timed steps")
    p.add_argument("--warmup", type=int, default=1, help="untimed steps before timing")
    p.add_argument("--classes", type=int, default=10, help="number of classes")
    p.add_argument("--vocab", type=int, default=256, help="vocabulary size (id 0 = padding)")
    p.add_argument("--seed", type=int, default=0, help="seed for weights and the batch")
    p.add_argument("--csv", action="store_true", help="print a CSV header and one row per run")
    p.add_argument("--no-header", action="store_true", help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if args.bandwidth < 1 or args.band_block < 1 or args.steps < 1 or args.warmup < 0:
        p.error("--bandwidth, --band-block and --steps must be >= 1, --warmup >= 0")
    if args.vocab < 2 or args.classes < 2 or args.batch < 1 or args.threads < 1:
        p.error("--vocab and --classes must be >= 2, --batch and --threads >= 1")
    try:
        args.seq_lens = [int(x) for x in args.seq_len.split(",") if x.strip()]
    except ValueError:
        p.error("--seq-len must be an integer or a comma list of integers")
    if not args.seq_lens or min(args.seq_lens) < 2:
        p.error("--seq-len values must be >= 2")
    return args


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    if args.mode == "check":
        return run_check(args)
    return run_bench(args, args.seq_lens)


if __name__ == "__main__":
    sys.exit(main())
