#!/usr/bin/env bash
# The CPU grid: the cells of FMMformer Table 1 scaled for a 2-core machine (configs/cpu/), 3 seeds, then the
# report in results/cpu. NOT comparable to the paper; see configs/cpu/*/_task.yaml for the scaling.
#
#   scripts/reproduce-cpu.sh                                          # every task whose data is here
#   GRID=configs/sweeps/cpu-generated.yaml scripts/reproduce-cpu.sh   # another grid (its task list is filtered too)
#
# ListOps and Pathfinder are generated here. Text, Retrieval and Image need IMDb, AAN and CIFAR-10: tasks whose
# data is missing are left out of the sweep, and the report (results/cpu/lra_table.md) lists them with the
# command that fetches their data. The report is written even when some runs fail.
set -euo pipefail
cd "$(dirname "$0")/.."
lra=scripts/lra
grid=${GRID:-configs/sweeps/cpu-table1.yaml}
out=results/cpu
runs=$(sed -n 's/^out: *//p' "$grid")

if ! $lra data info listops-cpu >/dev/null 2>&1; then
  $lra data generate listops --name listops-cpu --train 20000 --val 1000 --test 2000 --min-length 20 --max-length 256
fi
if ! $lra data info pathfinder32-cpu >/dev/null 2>&1; then
  $lra data generate pathfinder --name pathfinder32-cpu --resolution 32 --difficulty hard --count 24000
fi

# Which of the grid's tasks have their dataset (the one their CPU config names) in the data dir.
fetch_command() {
  case "$1" in
    text) echo "scripts/lra data download imdb" ;;
    image) echo "scripts/lra data download cifar10" ;;
    *) echo "scripts/lra data download lra-release" ;;
  esac
}
grid_tasks=$(sed -n 's/^tasks: *\[\(.*\)\].*/\1/p' "$grid" | tr -d ' ' | tr ',' ' ')
present=()
missing=()
for task in $grid_tasks; do
  dataset=$($lra config show "configs/cpu/$task/softmax.yaml" | awk '/^task:/ {t = 1} t && /^  dataset:/ {print $2; exit}')
  if $lra data info "$dataset" >/dev/null 2>&1; then
    present+=("$task")
  else
    missing+=("$task|$dataset|$(fetch_command "$task")")
  fi
done

mkdir -p "$runs" "$out"
status=0
if [ ${#present[@]} -gt 0 ]; then
  present_grid="$runs/grid-present-tasks.yaml"
  tasks_line="tasks: [$(IFS=,; echo "${present[*]}" | sed 's/,/, /g')]"
  sed "s/^tasks: .*/$tasks_line/" "$grid" > "$present_grid"
  echo "reproduce-cpu: running $tasks_line (grid $grid)" >&2
  $lra sweep --grid "$present_grid" || status=$?
fi
if ! $lra report --runs "$runs" --out "$out"; then
  printf '# LRA results\n\nNo finished runs yet.\n' > "$out/lra_table.md"
fi

if [ ${#missing[@]} -gt 0 ]; then
  {
    printf '\n## Tasks not run: their data is missing\n\n| task | dataset | fetch it with |\n|---|---|---|\n'
    for m in "${missing[@]}"; do
      IFS='|' read -r task dataset cmd <<< "$m"
      printf '| %s | %s | `%s`, then rerun `scripts/reproduce-cpu.sh` |\n' "$task" "$dataset" "$cmd"
    done
  } >> "$out/lra_table.md"
  echo "reproduce-cpu: not run for want of data: ${missing[*]%%|*} (see $out/lra_table.md)" >&2
fi
exit "$status"
