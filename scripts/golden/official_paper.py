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

--engine official (the default; CPU, float32): the one change to the official model is the band, computed on
the band's keys alone instead of the official dense T x T masked softmax: the same function, to float32
rounding (official_banded.py says how, and what differs with attention dropout on).

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

The code: this file is the command line (train's run config and resume checks, the self-tests, main);
official_loop.py the training computation and its checkpoint; official_banded.py the banded near field and its
self-test against the dense code; official_rundir.py the data, provenance and run-directory files;
official_pack.py pack and unpack.
"""
import argparse
import json
import os
import signal
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)  # scripts/golden's own modules, imported below (hence the E402s)
import official_train as ot  # noqa: E402  (shared: the stream, the import of the official code, its config)
from official_banded import selftest_band  # noqa: E402
from official_loop import train  # noqa: E402
from official_pack import cmd_pack, cmd_unpack  # noqa: E402
from official_rundir import (ROOT, SPLITS, RunDir, environment, now, official_commit, sha256_file,  # noqa: E402
                             take_lock, torch_load, write_json_atomic)

ENGINES = ("official", "official-gpu-amp")
PAPER = {"seq_len": 2048, "steps": 5000, "warmup": 1000, "lr": 1e-4, "batch": 32, "eval_every": 50,
         "eval_steps": 62, "dropout": 0.1}


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
                     # the wording of the runs started before the function moved to official_banded.py: kept,
                     # so that every run's config.json says the same
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


# ----------------------------------------------------------------------------------------------------------
# Self-test: banded == dense on a paper-shape batch (official_banded.py); an interrupted and resumed run ==
# an uninterrupted one

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
        band_ok, report = selftest_band(args, PAPER["seq_len"])
        ok &= band_ok
    if not args.skip_resume:
        ok &= selftest_resume(args)
    if args.report and report is not None:
        write_json_atomic(args.report, {"batch": args.batch, "threads": args.threads, "rows": report})
    print("selftest:", "ok" if ok else "FAILED")
    return 0 if ok else 1

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
