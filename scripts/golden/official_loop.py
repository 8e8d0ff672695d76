"""The training computation of `official_paper.py train`: one run, or its continuation, from config.json's dict.

The protocol (optimiser, schedule, dev and test) is the one official_paper.py's docstring states. The checkpoint
(CKPT_FORMAT) is written after every evaluation and when a stop is asked for (SIGTERM/SIGINT, --deadline-s,
--stop-after); it holds all the state a resumed run needs to continue as if it had not stopped.

Imported by official_paper.py, which puts scripts/golden on sys.path.
"""
import math
import os
import signal
import socket
import time

import official_train as ot  # the stream, the import of the official code
from official_banded import install_banded
from official_rundir import SPLITS, now, read_split_array, repo_commit, save_atomic, torch_load, write_json_atomic

CKPT_FORMAT = "lra-official-paper-ckpt/1"


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
