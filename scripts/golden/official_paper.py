#!/usr/bin/python3
"""The official FMMformer LRA code at the paper's ListOps protocol: resumable runs, on CPU or on a GPU.

    official_paper.py train --official LRA/code --data EXPORT_DIR --attention band5 --seed 0 --out RUN_DIR
    official_paper.py train --resume RUN_DIR                      # continues a stopped run bit for bit
    official_paper.py selftest --official LRA/code --data EXPORT_DIR [--batch 32] [--work DIR]
    official_paper.py pack --data EXPORT_DIR --out DIR [--part-bytes N]   # the exports, compact (GPU runs)
    official_paper.py unpack --packed DIR --out EXPORT_DIR

The model is the official ModelForSC, imported from a patched temporary copy exactly as official_train.py (the
parity driver) does: torch.manual_seed(seed), then ModelForSC(config) with lra_config.py's ListOps values at
T = 2,048 (run_tasks.py pads max_seq_len 2000 to the next power of two). The batches come in our order (the
train stream walks official_train.Stream with the run's seed, the dev stream with seed + 1), and the protocol
is the reference's: AdamW(0.9, 0.999, eps 1e-6, no weight decay), OneCycleLR (linear, 1,000 warm-up steps of
5,000, peak 1e-4), batch 32, dev every 50 steps on 62 batches of the endless dev stream (eval mode), the
weights of the best dev accuracy (strictly better) tested on the whole test split.

--engine official (the default; CPU, float32): the one change to the official model is the band. The official
SparseLowrankAttention._forward_sparse builds the full T x T score matrix and masks all but a band of
2 * diag_size - 1 keys per query with -inf (a 2,048^2 softmax per head: about 10 s per step on this CPU).
install_banded() replaces that method, on the imported class, by a banded computation of the same function:
the same scores (Q K^T / sqrt(head_dim), padding keys shifted by -1e6, so a query whose band holds only padding
softmaxes over the shifted scores as the dense code does), the same softmax over the band's keys (keys outside
the sequence do not exist, as the dense -inf entries contribute exactly 0), the same dropout module on the band
probabilities, and memory O(B*H*T*band). `selftest` shows forward and every gradient equal to the dense code on
a paper-shape batch to float32 rounding. With attention dropout on, the masks are drawn for B*H*T*band
probabilities instead of B*H*T*T, so the random stream (and every mask after the first dropout) differs from a
dense run: the two are equal in distribution, not bit for bit.

--engine official-gpu-amp: the official code as run_tasks.py runs it, on one CUDA device: the dense band
(no banded patch), mixed precision (autocast inside ModelForSC, torch.cuda.amp.GradScaler around the
optimiser step), softmax with attention_grad_checkpointing as lra_config.py sets it. Only the pdb block of
attention.py is removed (official_train.import_official). scripts/golden/paper_protocol_gpu.sh drives it.

A run directory holds config.json (every knob, versions, data and code hashes), metrics.csv (one row per step;
dev columns at the evaluations), train.log, checkpoints/last.pt and result.json (status running, stopped or
finished). The checkpoint is written atomically after every evaluation and on SIGTERM/SIGINT (exit 143/130);
it holds the weights, AdamW and OneCycleLR state, the grad scaler (GPU), the step, both streams' positions,
the torch RNG state(s), the best-dev weights, step and accuracy, the evaluations and the step times, so a
resumed run continues as if it had not stopped (same host kind, thread count, torch and BLAS).
"""
import argparse
import datetime
import hashlib
import json
import math
import os
import platform
import signal
import socket
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import official_train as ot  # noqa: E402  (shared: the stream, the import of the official code, its config)

ROOT = os.path.dirname(os.path.dirname(HERE))
OFFICIAL_MIRROR = "/work/.mirror/minhtannguyen+fmmformer-code-submission/repo"
ENGINES = ("official", "official-gpu-amp")
PAPER = {"seq_len": 2048, "steps": 5000, "warmup": 1000, "lr": 1e-4, "batch": 32, "eval_every": 50,
         "eval_steps": 62, "dropout": 0.1}
SPLITS = ("train", "val", "test")
CKPT_FORMAT = "lra-official-paper-ckpt/1"


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
# Data: `lra data export` TSVs (label<TAB>ids), as uint8 id matrices padded with 0 / truncated to seq_len

def read_split_array(path, seq_len, limit=0):
    """(labels int64 [N], ids uint8 [N, seq_len]) as torch tensors; the rows official_train.read_split gives."""
    import numpy as np
    import torch
    n = 0
    with open(path) as f:
        for _ in f:
            n += 1
    if limit:
        n = min(n, limit)
    labels = np.zeros(n, dtype=np.int64)
    ids = np.zeros((n, seq_len), dtype=np.uint8)
    with open(path) as f:
        for i, line in enumerate(f):
            if i == n:
                break
            label, row = line.rstrip("\n").split("\t")[:2]
            r = np.array(row.split(), dtype=np.int32)[:seq_len]
            if r.size and (r.min() < 0 or r.max() > 255):
                raise ValueError(f"{path}:{i + 1}: token id outside 0..255")
            labels[i] = int(label)
            ids[i, :r.size] = r
    return torch.from_numpy(labels), torch.from_numpy(ids)


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


# ----------------------------------------------------------------------------------------------------------
# Provenance

def _git(args, cwd):
    try:
        return subprocess.run(["git"] + args, cwd=cwd, capture_output=True, text=True, timeout=30,
                              check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return None


def repo_commit():
    commit = _git(["rev-parse", "HEAD"], ROOT)
    if commit is None:
        return "unknown"
    dirty = _git(["status", "--porcelain", "--untracked-files=no"], ROOT)
    return commit + ("-dirty" if dirty else "")


def official_commit(explicit=None):
    if explicit:
        return explicit
    if os.path.isdir(OFFICIAL_MIRROR):
        commit = _git(["--git-dir", OFFICIAL_MIRROR, "rev-parse", "HEAD"], "/")
        if commit:
            return commit
    return "unknown"


def blas_library():
    """The BLAS library this process mapped (torch's matrix products), with its sha256: part of reproducibility."""
    try:
        with open("/proc/self/maps") as f:
            paths = sorted({line.split()[-1] for line in f if "blas" in line.lower() and "/" in line})
    except OSError:
        return None
    return [{"path": p, "sha256": sha256_file(p)} for p in paths if os.path.isfile(p)]


def environment(threads, device):
    import numpy
    import torch
    env = {"torch": torch.__version__, "numpy": numpy.__version__, "python": platform.python_version(),
           "threads": threads, "host": socket.gethostname(), "machine": platform.machine(),
           "cpu": _cpu_model(), "device": device, "gitCommit": repo_commit(), "blas": blas_library(),
           "envThreads": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS",
                                                         "MKL_NUM_THREADS", "LD_LIBRARY_PATH")}}
    if device.startswith("cuda") and torch.cuda.is_available():
        env["gpu"] = torch.cuda.get_device_name(0)
        env["cuda"] = torch.version.cuda
    return env


def _cpu_model():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def now():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


# ----------------------------------------------------------------------------------------------------------
# Files of a run directory

def write_json_atomic(path, obj):
    tmp = path + ".tmp"
    with open(tmp, "w") as f:
        json.dump(obj, f, indent=2)
        f.write("\n")
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)


def save_atomic(obj, path):
    import torch
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        torch.save(obj, f)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
    dfd = os.open(os.path.dirname(path), os.O_RDONLY)
    try:
        os.fsync(dfd)
    finally:
        os.close(dfd)


def torch_load(path):
    import torch
    try:
        return torch.load(path, map_location="cpu", weights_only=False)
    except TypeError:  # torch without weights_only
        return torch.load(path, map_location="cpu")


METRIC_COLUMNS = ("step", "lr", "train_loss", "train_acc", "dev_loss", "dev_acc", "step_ms")


class RunDir:
    def __init__(self, path):
        self.path = path
        self.config = os.path.join(path, "config.json")
        self.metrics = os.path.join(path, "metrics.csv")
        self.log_path = os.path.join(path, "train.log")
        self.result = os.path.join(path, "result.json")
        self.ckpt_dir = os.path.join(path, "checkpoints")
        self.last = os.path.join(self.ckpt_dir, "last.pt")

    def log(self, msg):
        line = f"{now()} {msg}"
        with open(self.log_path, "a") as f:
            f.write(line + "\n")
        print(line, flush=True)

    def truncate_metrics(self, step):
        """Keep the header and the rows of steps <= step (rows a killed process wrote after its checkpoint)."""
        if not os.path.exists(self.metrics):
            with open(self.metrics, "w") as f:
                f.write(",".join(METRIC_COLUMNS) + "\n")
            return
        with open(self.metrics) as f:
            lines = f.read().splitlines()
        kept = [lines[0]] + [ln for ln in lines[1:] if ln and int(ln.split(",")[0]) <= step]
        with open(self.metrics + ".tmp", "w") as f:
            f.write("\n".join(kept) + "\n")
        os.replace(self.metrics + ".tmp", self.metrics)


# ----------------------------------------------------------------------------------------------------------
# Training

class Stop(Exception):
    pass


def _stream_state(s):
    return {"epoch": s.epoch, "cursor": s.cursor}


def _restore_stream(s, state):
    s.epoch, s.cursor = state["epoch"], state["cursor"]
    s.order = s._order()


def _scheduler_state(scheduler):
    # OneCycleLR of torch 1.x keeps a bound method (anneal_func) in its state: it is rebuilt, not saved
    return {k: v for k, v in scheduler.state_dict().items() if k != "anneal_func"}


def _percentile(xs, q):
    if not xs:
        return None
    ys = sorted(xs)
    pos = (len(ys) - 1) * q
    lo, hi = math.floor(pos), math.ceil(pos)
    return ys[lo] + (ys[hi] - ys[lo]) * (pos - lo)


def train(cfg, run, resume):
    """Train (or continue) the run described by cfg (config.json's dict) in RunDir run."""
    import torch
    k = cfg["knobs"]
    device = cfg["environment"]["device"]
    amp = cfg["engine"] == "official-gpu-amp"
    torch.set_num_threads(cfg["environment"]["threads"])

    data = {}
    for split in SPLITS:
        limit = k["trainLimit"] if split == "train" else 0
        data[split] = read_split_array(os.path.join(cfg["data"]["dir"], f"{split}.tsv"), k["seqLen"], limit)
    official_cfg = dict(cfg["official"]["modelConfig"])
    model = ot.build_official(cfg["official"]["codeDir"], cfg["seed"], official_cfg)
    if cfg["official"]["band"] == "banded":
        install_banded()
    model.to(device)

    optimizer = torch.optim.AdamW(model.parameters(), lr=k["lr"], betas=(0.9, 0.999), eps=1e-6, weight_decay=0)
    scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=k["lr"], total_steps=k["steps"],
                                                    pct_start=k["warmup"] / k["steps"], anneal_strategy="linear")
    scaler = None
    if amp:
        scaler = (torch.cuda.amp.GradScaler() if hasattr(torch.cuda.amp, "GradScaler")
                  else torch.amp.GradScaler("cuda"))
    train_stream = ot.Stream(len(data["train"][0]), k["batch"], cfg["seed"])
    dev_stream = ot.Stream(len(data["val"][0]), k["batch"], cfg["seed"] + 1)
    state = {"step": 0, "best_acc": -1.0, "best_step": -1, "best_model": None, "evals": [], "step_ms": [],
             "wall_s": 0.0, "processes": []}
    if resume:
        ck = torch_load(run.last)
        if ck.get("format") != CKPT_FORMAT:
            raise SystemExit(f"official_paper.py: {run.last}: not a checkpoint of this script")
        model.load_state_dict(ck["model"])
        if ck.get("optimizer") is not None:
            optimizer.load_state_dict(ck["optimizer"])
            scheduler.load_state_dict(ck["scheduler"])
        if scaler is not None and ck.get("scaler") is not None:
            scaler.load_state_dict(ck["scaler"])
        _restore_stream(train_stream, ck["train_stream"])
        _restore_stream(dev_stream, ck["dev_stream"])
        torch.set_rng_state(ck["rng"])
        if device.startswith("cuda") and ck.get("cuda_rng") is not None:
            torch.cuda.set_rng_state(ck["cuda_rng"])
        for key in ("step", "best_acc", "best_step", "best_model", "evals", "step_ms", "wall_s", "processes"):
            state[key] = ck[key]
    run.truncate_metrics(state["step"])
    state["processes"].append({"startStep": state["step"], "startedAt": now(), "host": socket.gethostname(),
                               "gitCommit": repo_commit(), "pid": os.getpid()})

    stop = {"signal": None}

    def on_signal(signum, _frame):
        stop["signal"] = signum

    old_handlers = {s: signal.signal(s, on_signal) for s in (signal.SIGTERM, signal.SIGINT)}
    started = time.time()
    wall_base = state["wall_s"]
    deadline = started + cfg["_deadline_s"] if cfg.get("_deadline_s") else None

    def tensors(split, idx):
        labels, ids = data[split]
        index = torch.tensor(idx, dtype=torch.long)
        x = ids[index].long()
        return x.to(device), (x != 0).float().to(device), labels[index].to(device)

    def checkpoint(final=False):
        ck = {"format": CKPT_FORMAT, "step": state["step"], "model": model.state_dict(),
              "optimizer": None if final else optimizer.state_dict(),
              "scheduler": None if final else _scheduler_state(scheduler),
              "scaler": scaler.state_dict() if (scaler is not None and not final) else None,
              "train_stream": _stream_state(train_stream), "dev_stream": _stream_state(dev_stream),
              "rng": torch.get_rng_state(),
              "cuda_rng": torch.cuda.get_rng_state() if device.startswith("cuda") else None}
        for key in ("best_acc", "best_step", "best_model", "evals", "step_ms", "processes"):
            ck[key] = state[key]
        ck["wall_s"] = wall_base + time.time() - started
        save_atomic(ck, run.last)

    def write_result(status, test=None):
        timed = state["step_ms"]
        med = _percentile(timed, 0.5)
        res = {"runId": os.path.basename(os.path.abspath(run.path)), "name": cfg["name"], "task": cfg["task"],
               "scale": "paper", "engine": cfg["engine"], "seed": cfg["seed"], "status": status,
               "steps": k["steps"], "stepsDone": state["step"],
               "bestStep": state["best_step"] if state["best_step"] >= 0 else None,
               "bestDevAcc": state["best_acc"] if state["best_step"] >= 0 else None,
               "testAcc": None, "testAccBatchMean": None, "testLoss": None, "testExamples": None,
               "medianStepMs": med, "p90StepMs": _percentile(timed, 0.9),
               "tokensPerS": (k["batch"] * k["seqLen"] / (med / 1000.0)) if med else None,
               "wallSeconds": wall_base + time.time() - started, "threads": cfg["environment"]["threads"],
               "device": device, "band": cfg["official"]["band"], "precision": "amp" if amp else "float32",
               "torch": torch.__version__, "gitCommit": cfg["environment"]["gitCommit"],
               "officialCommit": cfg["official"]["commit"], "processes": len(state["processes"]),
               "evals": state["evals"]}
        if test:
            res.update(test)
        write_json_atomic(run.result, res)

    def evaluate():
        model.eval()
        loss_sum, correct, n = 0.0, 0.0, 0
        with torch.no_grad():
            for _ in range(k["evalSteps"]):
                o = model(*tensors("val", dev_stream.next()))
                loss_sum += o["loss"].float().sum().item()
                correct += o["accu"].sum().item()
                n += k["batch"]
        model.train()
        return loss_sum / n, correct / n

    def check_stop():
        if deadline is not None and time.time() >= deadline and stop["signal"] is None:
            stop["signal"] = signal.SIGTERM
            run.log(f"deadline of {cfg['_deadline_s']} s reached")
        if cfg.get("_stop_after") and state["step"] >= cfg["_stop_after"] and stop["signal"] is None:
            stop["signal"] = signal.SIGTERM
        if stop["signal"] is not None:
            checkpoint()
            write_result("stopped")
            name = signal.Signals(stop["signal"]).name
            run.log(f"stopped by {name} at step {state['step']}; checkpoint written (resume: "
                    f"official_paper.py train --resume {run.path})")
            raise Stop(128 + stop["signal"])

    try:
        write_result("running")
        run.log(f"{'resume' if resume else 'start'}: step {state['step']} of {k['steps']}, engine {cfg['engine']}, "
                f"band {cfg['official']['band']}, {cfg['environment']['threads']} thread(s), device {device}")
        metrics = open(run.metrics, "a")
        first_step_this_process = state["step"]
        model.train()
        while state["step"] < k["steps"]:
            t0 = time.perf_counter()
            x, m, y = tensors("train", train_stream.next())
            lr = optimizer.param_groups[0]["lr"]
            optimizer.zero_grad()
            out = model(x, m, y)
            loss = out["loss"].mean()
            if scaler is not None:
                scaler.scale(loss).backward()
                scaler.step(optimizer)
                scaler.update()
            else:
                loss.backward()
                optimizer.step()
            scheduler.step()
            train_loss, train_acc = loss.item(), out["accu"].mean().item()
            if device.startswith("cuda"):
                torch.cuda.synchronize()
            step_ms = (time.perf_counter() - t0) * 1000.0
            state["step"] += 1
            done = state["step"]
            if done - first_step_this_process > 5:  # as ours: each process's first 5 steps are not timed
                state["step_ms"].append(step_ms)
            if not math.isfinite(train_loss) and scaler is None:
                run.log(f"step {done}: loss {train_loss}: diverged")
                metrics.close()
                write_result("diverged")
                return 3
            dev_loss = dev_acc = ""
            if done % k["evalEvery"] == 0 or done == k["steps"]:
                dl, da = evaluate()
                dev_loss, dev_acc = f"{dl:.6f}", f"{da:.6f}"
                state["evals"].append({"step": done, "train_loss": train_loss, "dev_loss": dl, "dev_acc": da})
                best = da > state["best_acc"]
                if best:
                    state["best_acc"], state["best_step"] = da, done
                    state["best_model"] = {n: v.detach().cpu().clone() for n, v in model.state_dict().items()}
            metrics.write(f"{done},{lr:.6e},{train_loss:.6f},{train_acc:.6f},{dev_loss},{dev_acc},{step_ms:.2f}\n")
            metrics.flush()
            if dev_loss != "":
                checkpoint()
                write_result("running")
                run.log(f"step {done} train loss {train_loss:.4f} dev loss {dl:.4f} dev acc {da:.4f}"
                        + (" (best)" if best else "") + "; checkpoint")
            elif cfg.get("_log_every") and done % cfg["_log_every"] == 0:
                print(f"step {done} loss {train_loss:.4f} acc {train_acc:.3f} {step_ms:.0f} ms", flush=True)
            check_stop()
        metrics.close()

        # the last weights first (a finished run's checkpoint keeps no optimiser state: nothing is left to train)
        checkpoint(final=True)
        # test on the best-dev weights: exact accuracy over the split, and the official number
        # (run_tasks.py: mean of per-batch accuracies over the full batches, drop_last)
        model.load_state_dict(state["best_model"])
        model.eval()
        labels = data["test"][0]
        correct, loss_sum, batch_acc = 0.0, 0.0, []
        with torch.no_grad():
            for start in range(0, len(labels), k["batch"]):
                idx = list(range(start, min(start + k["batch"], len(labels))))
                o = model(*tensors("test", idx))
                c = o["accu"].sum().item()
                correct += c
                loss_sum += o["loss"].float().sum().item()
                if len(idx) == k["batch"]:
                    batch_acc.append(c / len(idx))
        test = {"testAcc": correct / len(labels), "testAccBatchMean": sum(batch_acc) / len(batch_acc),
                "testLoss": loss_sum / len(labels), "testExamples": len(labels)}
        write_result("finished", test)
        run.log(f"finished: best dev acc {state['best_acc']:.4f} at step {state['best_step']}, "
                f"test acc {test['testAcc']:.4f} (batch mean {test['testAccBatchMean']:.4f})")
        return 0
    except Stop as e:
        return e.args[0]
    finally:
        for s, h in old_handlers.items():
            signal.signal(s, h)


def new_run_config(args):
    code_files = sorted(f for f in os.listdir(args.official) if f.endswith(".py"))
    if args.engine == "official-gpu-amp":
        device, band = "cuda", "dense"
    else:
        device, band = "cpu", "banded"
    if args.band:
        band = args.band
    model_cfg = ot.official_config(args.attention, args.seq_len, args.dropout, args.attention_dropout,
                                   grad_checkpointing=(args.engine == "official-gpu-amp" and args.attention == "softmax"))
    model_cfg["mixed_precision"] = args.engine == "official-gpu-amp"
    data_dir = os.path.abspath(args.data)
    files = {}
    for split in SPLITS:
        p = os.path.join(data_dir, f"{split}.tsv")
        files[split] = {"path": p, "sha256": sha256_file(p), "bytes": os.path.getsize(p)}
    return {
        "runId": os.path.basename(os.path.abspath(args.out)), "task": "listops", "name": args.attention,
        "seed": args.seed, "engine": args.engine,
        "knobs": {"seqLen": args.seq_len, "steps": args.steps, "warmup": args.warmup, "lr": args.lr,
                  "batch": args.batch, "evalEvery": args.eval_every, "evalSteps": args.eval_steps,
                  "dropout": args.dropout,
                  "attentionDropout": args.dropout if args.attention_dropout is None else args.attention_dropout,
                  "trainLimit": args.train_limit,
                  "optimizer": "AdamW(betas=(0.9, 0.999), eps=1e-6, weight_decay=0)",
                  "schedule": "OneCycleLR(max_lr=lr, total_steps=steps, pct_start=warmup/steps, "
                              "anneal_strategy='linear'; div_factor 25, final_div_factor 1e4, momentum 0.85-0.95), "
                              "one scheduler step per optimiser step",
                  "trainStream": "official_train.Stream(n, batch, seed)", "devStream": "Stream(n, batch, seed + 1), "
                  "evalSteps batches per evaluation, endless",
                  "test": "best-dev weights (strictly better); testAcc exact over the split, testAccBatchMean "
                          "= run_tasks.py's mean of full-batch accuracies",
                  "padding": "ids padded with 0 / truncated to seqLen; mask = ids != 0"},
        "official": {"codeDir": os.path.abspath(args.official), "commit": official_commit(args.official_commit),
                     "files": {f: sha256_file(os.path.join(args.official, f)) for f in code_files},
                     "patches": ["attention.py: the debugging block (torch.save, pdb.set_trace) of "
                                 "SoftmaxAttention.forward removed (official_train.import_official)"]
                     + (["SparseLowrankAttention._forward_sparse replaced by official_paper.banded_forward_sparse "
                         "(same function, banded)"] if band == "banded" else []),
                     "band": band, "modelConfig": model_cfg},
        "data": {"dir": data_dir, "files": files},
        "environment": environment(args.threads, device),
        "createdAt": now(),
    }


def cmd_train(args):
    if args.resume:
        run = RunDir(args.resume)
        if not os.path.exists(run.config) or not os.path.exists(run.last):
            print(f"official_paper.py: --resume {args.resume}: no config.json or checkpoints/last.pt there",
                  file=sys.stderr)
            return 2
        with open(run.config) as f:
            cfg = json.load(f)
        with open(run.result) as f:
            if json.load(f).get("status") == "finished":
                print(f"official_paper.py: {args.resume} is finished", file=sys.stderr)
                return 0
        if args.data:  # the same files, moved: their hashes must match
            cfg["data"]["dir"] = os.path.abspath(args.data)
        if args.official:
            cfg["official"]["codeDir"] = os.path.abspath(args.official)
        for split, meta in cfg["data"]["files"].items():
            p = os.path.join(cfg["data"]["dir"], f"{split}.tsv")
            if not os.path.exists(p) or os.path.getsize(p) != meta["bytes"] or sha256_file(p) != meta["sha256"]:
                print(f"official_paper.py: {p} is not the file this run was started on", file=sys.stderr)
                return 2
        for name, digest in cfg["official"]["files"].items():
            p = os.path.join(cfg["official"]["codeDir"], name)
            if not os.path.exists(p) or sha256_file(p) != digest:
                print(f"official_paper.py: {p} differs from the official code this run was started on",
                      file=sys.stderr)
                return 2
        import torch
        if torch.__version__ != cfg["environment"]["torch"]:
            print(f"official_paper.py: warning: torch {torch.__version__}, the run started on "
                  f"{cfg['environment']['torch']}: the continuation may differ in the last bits", file=sys.stderr)
    else:
        for need in ("official", "data", "attention", "seed", "out"):
            if getattr(args, need) is None:
                print(f"official_paper.py train: --{need} is required (or --resume RUN_DIR)", file=sys.stderr)
                return 2
        if os.path.exists(os.path.join(args.out, "config.json")) and not args.force:
            print(f"official_paper.py: {args.out} holds a run (continue it with --resume, or --force)",
                  file=sys.stderr)
            return 2
        if args.engine == "official-gpu-amp":
            import torch
            if not torch.cuda.is_available():
                print("official_paper.py: --engine official-gpu-amp needs a CUDA device", file=sys.stderr)
                return 2
        run = RunDir(args.out)
        os.makedirs(run.ckpt_dir, exist_ok=True)
        for p in (run.metrics, run.log_path, run.result, run.last):
            if os.path.exists(p):
                os.remove(p)
        cfg = new_run_config(args)
        write_json_atomic(run.config, cfg)
    cfg["_deadline_s"] = args.deadline_s
    cfg["_stop_after"] = args.stop_after
    cfg["_log_every"] = args.log_every
    lock = os.path.join(run.path, "run.lock")
    if not take_lock(lock):
        print(f"official_paper.py: {run.path} is in use by another process ({lock})", file=sys.stderr)
        return 2
    try:
        return train(cfg, run, resume=bool(args.resume))
    finally:
        os.remove(lock)


def take_lock(path):
    """run.lock holds host and pid; a lock of this host whose process is gone is taken over."""
    me = f"{socket.gethostname()} {os.getpid()}\n"
    for _ in range(2):
        try:
            fd = os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
        except FileExistsError:
            try:
                host, pid = open(path).read().split()
                if host == socket.gethostname():
                    os.kill(int(pid), 0)
                return False  # alive here, or another host's (not ours to judge)
            except ProcessLookupError:
                os.remove(path)
                continue
            except (ValueError, OSError):
                return False
        with os.fdopen(fd, "w") as f:
            f.write(me)
        return True
    return False


# ----------------------------------------------------------------------------------------------------------
# Self-test: banded == dense on a paper-shape batch; an interrupted and resumed run == an uninterrupted one

def _compare(a, b):
    """max |a - b|, max |a - b| / max |b|, and the golden tolerance's verdict (scripts/golden/README.md)."""
    a, b = a.double(), b.double()
    diff = (a - b).abs()
    ref = b.abs().max().item()
    atol = max(1e-7, 1e-5 * ref)
    ok = bool((diff <= atol + 1e-4 * b.abs()).all().item())
    return diff.max().item(), (diff.max().item() / ref) if ref > 0 else 0.0, ok


def selftest_band(args):
    import torch
    torch.set_num_threads(args.threads)
    T = PAPER["seq_len"]
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


def selftest_resume(args):
    """A tiny run (T = 64, 20 steps, dropout on) stopped at step 7 (in-process stop), and one stopped by a real
    SIGTERM, each resumed, against the uninterrupted run: same metrics (step times aside), result, weights."""
    import shutil
    import torch
    work = args.work
    if os.path.exists(work):
        shutil.rmtree(work)
    os.makedirs(work)
    base = [sys.executable, os.path.abspath(__file__), "train", "--official", args.official, "--data", args.data,
            "--attention", "fmm-2kernel-band5", "--seed", "3", "--seq-len", "64", "--steps", "20", "--warmup", "4",
            "--eval-every", "5", "--eval-steps", "2", "--train-limit", "3000", "--threads", str(args.threads)]
    env = dict(os.environ)

    def run(cmd, expect):
        r = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if r.returncode != expect:
            print(r.stdout[-3000:], r.stderr[-3000:])
            raise SystemExit(f"resume selftest: {' '.join(cmd[2:4])} exited {r.returncode}, expected {expect}")

    a, b, c = (os.path.join(work, n) for n in ("uninterrupted", "stopped-at-7", "sigterm"))
    run(base + ["--out", a], 0)
    run(base + ["--out", b, "--stop-after", "7"], 143)
    run([sys.executable, os.path.abspath(__file__), "train", "--resume", b], 0)
    # a real SIGTERM at whatever step the run has reached after its first 11 steps (between evaluations)
    p = subprocess.Popen(base + ["--out", c, "--log-every", "1"], env=env, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT, text=True)
    seen = 0
    for line in p.stdout:
        if line.startswith("step "):
            seen = int(line.split()[1])
            if seen >= 11:
                p.send_signal(signal.SIGTERM)
                break
    rest = p.stdout.read()
    p.wait()
    if p.returncode != 143:
        print(rest)
        raise SystemExit(f"resume selftest: SIGTERM'd run exited {p.returncode}, expected 143")
    with open(os.path.join(c, "result.json")) as f:
        stopped_at = json.load(f)["stepsDone"]
    run([sys.executable, os.path.abspath(__file__), "train", "--resume", c], 0)

    def metrics(d):
        with open(os.path.join(d, "metrics.csv")) as f:
            return [ln.rsplit(",", 1)[0] for ln in f.read().splitlines()]  # step_ms dropped

    def result(d):
        with open(os.path.join(d, "result.json")) as f:
            r = json.load(f)
        return {key: r[key] for key in ("status", "stepsDone", "bestStep", "bestDevAcc", "testAcc",
                                        "testAccBatchMean", "testLoss", "evals")}

    def weights(d):
        return torch_load(os.path.join(d, "checkpoints", "last.pt"))

    ok = True
    wa = weights(a)
    for d, what in ((b, "stopped at step 7 (in-process), resumed"), (c, f"SIGTERM at step {stopped_at}, resumed")):
        same_metrics = metrics(d) == metrics(a)
        same_result = result(d) == result(a)
        wd = weights(d)
        same_weights = all(torch.equal(wd["model"][n], wa["model"][n]) for n in wa["model"]) and \
            all(torch.equal(wd["best_model"][n], wa["best_model"][n]) for n in wa["best_model"])
        same_rng = torch.equal(wd["rng"], wa["rng"])
        print(f"resume selftest, {what}: metrics {'equal' if same_metrics else 'DIFFER'}, result "
              f"{'equal' if same_result else 'DIFFERS'}, final and best weights "
              f"{'equal' if same_weights else 'DIFFER'}, RNG state {'equal' if same_rng else 'DIFFERS'}")
        ok &= same_metrics and same_result and same_weights and same_rng
    r = result(a)
    print(f"  (the run: 20 steps at T = 64, dropout 0.1, losses {metrics(a)[1].split(',')[2]} .. "
          f"{metrics(a)[-1].split(',')[2]}, test acc {r['testAcc']:.4f})")
    return ok


def cmd_selftest(args):
    ok = True
    report = None
    if not args.skip_band:
        band_ok, report = selftest_band(args)
        ok &= band_ok
    if not args.skip_resume:
        ok &= selftest_resume(args)
    if args.report and report is not None:
        write_json_atomic(args.report, {"batch": args.batch, "threads": args.threads, "rows": report})
    print("selftest:", "ok" if ok else "FAILED")
    return 0 if ok else 1


# ----------------------------------------------------------------------------------------------------------
# Packing the exports for a machine without our tools (paper_protocol_gpu.sh)

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


# ----------------------------------------------------------------------------------------------------------

class _Parser(argparse.ArgumentParser):
    def error(self, message):  # one line, exit 2
        self.exit(2, f"{self.prog}: {message} (see --help)\n")


def main(argv=None):
    ap = _Parser(prog="official_paper.py", description=__doc__.split("\n")[0],
                 formatter_class=argparse.RawDescriptionHelpFormatter,
                 epilog="See the module docstring and scripts/golden/README.md.")
    sub = ap.add_subparsers(dest="cmd", required=True, parser_class=_Parser)

    t = sub.add_parser("train", help="train or continue one run")
    t.add_argument("--resume", metavar="RUN_DIR", help="continue this run (its config.json sets every knob)")
    t.add_argument("--official", help="the official LRA/code/ directory")
    t.add_argument("--data", help="directory with train.tsv, val.tsv, test.tsv from `lra data export`")
    t.add_argument("--attention", choices=list(ot.ATTENTIONS))
    t.add_argument("--seed", type=int)
    t.add_argument("--out", help="the run directory")
    t.add_argument("--force", action="store_true", help="start over in an --out that holds a run")
    t.add_argument("--engine", choices=ENGINES, default="official",
                   help="official: CPU float32, banded near field; official-gpu-amp: CUDA, dense band, AMP")
    t.add_argument("--band", choices=["banded", "dense"], help="override the engine's band implementation")
    t.add_argument("--seq-len", type=int, default=PAPER["seq_len"])
    t.add_argument("--steps", type=int, default=PAPER["steps"])
    t.add_argument("--warmup", type=int, default=PAPER["warmup"])
    t.add_argument("--lr", type=float, default=PAPER["lr"])
    t.add_argument("--batch", type=int, default=PAPER["batch"])
    t.add_argument("--eval-every", type=int, default=PAPER["eval_every"])
    t.add_argument("--eval-steps", type=int, default=PAPER["eval_steps"])
    t.add_argument("--dropout", type=float, default=PAPER["dropout"], help="dropout_prob (and attention_dropout)")
    t.add_argument("--attention-dropout", type=float, help="attention_dropout alone (default: --dropout)")
    t.add_argument("--train-limit", type=int, default=0, help="use the first N training rows (0: all; tests)")
    t.add_argument("--threads", type=int, default=1)
    t.add_argument("--official-commit", help="the official repository's commit (default: read from the mirror)")
    t.add_argument("--deadline-s", type=float, help="checkpoint and stop (exit 143) after this many seconds")
    t.add_argument("--log-every", type=int, default=10, help="print a step line every N steps")
    t.add_argument("--stop-after", type=int, help=argparse.SUPPRESS)  # tests: behave as SIGTERM after step N

    s = sub.add_parser("selftest", help="banded == dense on a paper-shape batch; resume == uninterrupted")
    s.add_argument("--official", required=True)
    s.add_argument("--data", required=True, help="the paper export (train.tsv at least)")
    s.add_argument("--batch", type=int, default=32)
    s.add_argument("--threads", type=int, default=1)
    s.add_argument("--work", default=os.path.join(ROOT, "runs", "official-paper-selftest"))
    s.add_argument("--report", help="write the band comparison as JSON here")
    s.add_argument("--skip-band", action="store_true")
    s.add_argument("--skip-resume", action="store_true")

    p = sub.add_parser("pack", help="the exports as lzma'd 4-bit ids in parts")
    p.add_argument("--data", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--part-bytes", type=int, default=20 * 1024 * 1024)

    u = sub.add_parser("unpack", help="the TSVs back from pack's parts")
    u.add_argument("--packed", required=True)
    u.add_argument("--out", required=True)

    args = ap.parse_args(argv)
    for name in ("steps", "batch", "eval_every", "eval_steps", "seq_len", "threads", "part_bytes"):
        if getattr(args, name, 1) is not None and getattr(args, name, 1) < 1:
            ap.error(f"--{name.replace('_', '-')} must be at least 1")
    if args.cmd == "train" and args.resume is None and args.warmup is not None and not 0 < args.warmup < args.steps:
        ap.error("--warmup must be between 0 and --steps (exclusive)")
    return {"train": cmd_train, "selftest": cmd_selftest, "pack": cmd_pack, "unpack": cmd_unpack}[args.cmd](args)


if __name__ == "__main__":
    sys.exit(main())
