#!/usr/bin/env bash
# Training parity with the official FMMformer code: both engines train fmm-2kernel-band5 on the same generated
# ListOps (20 < tokens < 256, 20k/1k/2k), as the same token ids in the same batch order, under the CPU protocol
# (configs/cpu/listops/fmm-2kernel-band5.yaml held at 400 steps, the preset's budget when the parity study was
# made and official_train.py's default: 400 steps of 32, warmup 40, peak lr 2e-3 one-cycle, dev every 100
# steps on 16 batches, test on the best-dev weights), one seed after another; then prints both test accuracy
# distributions (mean, min, max, stalls = test accuracy below 25%) and Fisher's exact test of the stall counts.
#
#   scripts/golden/parity.sh [--seeds "1 2 3 4 5 6"] [--official DIR] [--work DIR] [--results DIR]
#
#   --official  the official code's LRA/code/ directory (default $LRA_OFFICIAL, else /work/official/LRA/code)
#   --work      data, exports and run directories (default runs/parity); finished seeds are not run again
#   --results   where summary.md and the per-seed results go (default: only printed)
#
# Needs /usr/bin/python3 with torch (Debian's python3-torch). Torch runs at 1 thread; with Debian's reference
# BLAS a step takes seconds, with OpenBLAS (libopenblas0-pthread, or its libblas.so.3 on LD_LIBRARY_PATH) well
# under one. Our engine and the official one run side by side (two processes, 1 thread each).
set -euo pipefail

root="$(cd "$(dirname "$0")/../.." && pwd)"
seeds="1 2 3 4 5 6"
official="${LRA_OFFICIAL:-/work/official/LRA/code}"
work="$root/runs/parity"
results=""
config="$root/configs/cpu/listops/fmm-2kernel-band5.yaml"
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) seeds="$2"; shift 2 ;;
    --official) official="$2"; shift 2 ;;
    --work) work="$2"; shift 2 ;;
    --results) results="$2"; shift 2 ;;
    *) echo "parity.sh: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
[ -f "$official/model_wrapper.py" ] || { echo "parity.sh: --official $official: no model_wrapper.py there" >&2; exit 2; }

lra="$root/scripts/lra"
data="$work/data"
export_dir="$work/export"
mkdir -p "$work/ours" "$work/official" "$export_dir"

# 1. Data: LRA's ListOps generator, fixed seed, imported as listops-cpu (the name the CPU config reads).
if [ ! -f "$data/listops-cpu/manifest.properties" ]; then
  "$lra" data generate listops --data-dir "$data" --name listops-cpu --train 20000 --val 1000 --test 2000 \
    --min-length 20 --max-length 256 --seed 1 --threads 1
fi
for split in train val test; do
  if [ ! -s "$export_dir/$split.tsv" ]; then
    "$lra" data export --data-dir "$data" --split "$split" listops-cpu > "$export_dir/$split.tsv.tmp"
    mv "$export_dir/$split.tsv.tmp" "$export_dir/$split.tsv"
  fi
done

# 2. Both engines, one lane each.
ours_lane() {
  for s in $seeds; do
    out="$work/ours/s$s"
    if grep -q '"status" : "finished"' "$out/result.json" 2>/dev/null; then continue; fi
    "$lra" train --config "$config" --data-dir "$data" --seed "$s" --threads 1 --force --out "$out" --set training.steps=400 \
      > "$work/ours/s$s.log" 2>&1
  done
}
official_lane() {
  for s in $seeds; do
    out="$work/official/s$s.json"
    if [ -s "$out" ]; then continue; fi
    OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$root/scripts/golden/official_train.py" \
      --official "$official" --data "$export_dir" --seed "$s" --threads 1 > "$out.tmp" 2> "$work/official/s$s.log"
    mv "$out.tmp" "$out"
  done
}
"$lra" --version > /dev/null  # build the jar once, before the lanes start
ours_lane & ours_pid=$!
official_lane & official_pid=$!
wait "$ours_pid" || { echo "parity.sh: our training failed; see $work/ours/*.log" >&2; exit 1; }
wait "$official_pid" || { echo "parity.sh: official training failed; see $work/official/*.log" >&2; exit 1; }

# 3. The two distributions.
/usr/bin/python3 - "$work" "$results" $seeds <<'EOF'
import json, os, shutil, statistics, sys
work, results, seeds = sys.argv[1], sys.argv[2], [int(s) for s in sys.argv[3:]]
rows = []
for s in seeds:
    ours = json.load(open(f"{work}/ours/s{s}/result.json"))
    off = json.load(open(f"{work}/official/s{s}.json"))
    rows.append((s, off["testAcc"], off["bestStep"], ours["testAcc"], ours["bestStep"]))
lines = ["| seed | official test acc | official best step | ours test acc | ours best step |",
         "|---:|---:|---:|---:|---:|"]
lines += [f"| {s} | {o * 100:.2f} | {ob} | {u * 100:.2f} | {ub} |" for s, o, ob, u, ub in rows]
lines += ["", "| engine | seeds | mean | min | max | stalls (test < 25%) |", "|---|---:|---:|---:|---:|---:|"]
for name, col in (("official", 1), ("ours", 3)):
    acc = [r[col] * 100 for r in rows]
    lines.append(f"| {name} | {len(acc)} | {statistics.mean(acc):.2f} | {min(acc):.2f} | {max(acc):.2f} | "
                 f"{sum(a < 25 for a in acc)} |")
# Fisher's exact test of the stall counts (2x2 table, hypergeometric): one-sided p for "ours stalls more often".
from math import comb
stalls = [sum(r[col] < 0.25 for r in rows) for col in (1, 3)]
n, total = len(rows), stalls[0] + stalls[1]
p_one = sum(comb(n, k) * comb(n, total - k) for k in range(stalls[1], min(n, total) + 1)) / comb(2 * n, total)
lines += ["", f"Fisher's exact test, stalls {stalls[1]}/{n} (ours) against {stalls[0]}/{n} (official): "
              f"one-sided p = {p_one:.3f}"]
text = "\n".join(lines) + "\n"
print(text, end="")
if results:
    os.makedirs(f"{results}/official", exist_ok=True)
    os.makedirs(f"{results}/ours", exist_ok=True)
    for s in seeds:
        shutil.copy(f"{work}/official/s{s}.json", f"{results}/official/s{s}.json")
        for f in ("result.json", "metrics.csv", "config.yaml"):
            os.makedirs(f"{results}/ours/s{s}", exist_ok=True)
            shutil.copy(f"{work}/ours/s{s}/{f}", f"{results}/ours/s{s}/{f}")
    with open(f"{results}/summary.md", "w") as f:
        f.write(text)
EOF
