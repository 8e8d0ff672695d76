"""What official_paper.py reads and writes around the training computation: the exported splits, the provenance
recorded in config.json, and the files of a run directory (atomic writes, the run lock, metrics.csv).

A run directory holds config.json, metrics.csv (METRIC_COLUMNS, one row per step), train.log, result.json,
checkpoints/last.pt and, while a process trains in it, run.lock. Imported by official_paper.py, which puts
scripts/golden on sys.path.
"""
import datetime
import json
import os
import platform
import socket
import subprocess

from listops_gen import sha256_file  # the one file hash of scripts/golden (official_paper, official_pack use it too)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
OFFICIAL_MIRROR = "/work/.mirror/minhtannguyen+fmmformer-code-submission/repo"
SPLITS = ("train", "val", "test")
METRIC_COLUMNS = ("step", "lr", "train_loss", "train_acc", "dev_loss", "dev_acc", "step_ms")


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
