#!/usr/bin/env bash
# The paper grid: the 25 cells of FMMformer Table 1 and the Nyströmformer paper's 20 baseline cells with the
# reference protocol (configs/paper/), 3 seeds (135 runs; configs/sweeps/paper-table1.yaml).
# Sized for a big machine or a cluster, not for a laptop:
#
#   scripts/reproduce-paper.sh                  # here, one run at a time
#   EMIT=slurm scripts/reproduce-paper.sh       # write runs/paper/sweep.slurm instead (then: sbatch it)
#   EMIT=parallel scripts/reproduce-paper.sh    # write a GNU parallel job file instead
#
# Data: the real LRA release, IMDb and CIFAR-10 (downloaded and imported below), Pathfinder from the release.
# Afterwards: scripts/lra report --runs runs/paper --out results/paper
set -euo pipefail
cd "$(dirname "$0")/.."
lra=scripts/lra

if ! $lra data verify >/dev/null; then
  $lra data download lra-release
  $lra data download imdb
  $lra data download cifar10
fi
$lra data verify
if [ -n "${EMIT:-}" ]; then
  $lra sweep --grid configs/sweeps/paper-table1.yaml --emit "$EMIT"
else
  $lra sweep --grid configs/sweeps/paper-table1.yaml
  $lra report --runs runs/paper --out results/paper
fi
