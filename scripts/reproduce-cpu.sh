#!/usr/bin/env bash
# The CPU grid: all 25 cells of FMMformer Table 1 scaled for a 2-core machine (configs/cpu/), 3 seeds,
# then the report in results/cpu. NOT comparable to the paper; see configs/cpu/*/_task.yaml for the scaling.
#
#   scripts/reproduce-cpu.sh                      # whole grid (needs IMDb, AAN and CIFAR-10 imported)
#   GRID=configs/sweeps/cpu-generated.yaml scripts/reproduce-cpu.sh   # only the generated tasks
#
# ListOps and Pathfinder are generated here; Text, Retrieval and Image must be downloaded or imported first
# ('scripts/lra data verify' prints the exact commands).
set -euo pipefail
cd "$(dirname "$0")/.."
lra=scripts/lra
grid=${GRID:-configs/sweeps/cpu-table1.yaml}

if ! $lra data info listops-cpu >/dev/null 2>&1; then
  $lra data generate listops --name listops-cpu --train 20000 --val 1000 --test 2000 --min-length 20 --max-length 256
fi
if ! $lra data info pathfinder32-cpu >/dev/null 2>&1; then
  $lra data generate pathfinder --name pathfinder32-cpu --resolution 32 --difficulty hard --count 24000
fi
$lra sweep --grid "$grid"
$lra report --runs runs/cpu --out results/cpu
