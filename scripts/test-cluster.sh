#!/usr/bin/env bash
# End-to-end test of `lra sweep --emit slurm|parallel` against a real one-node Slurm and GNU parallel.
#
#   sudo scripts/test-cluster.sh        # root: it starts munged, slurmctld and slurmd (CI runs it from .ci/run)
#
# Needs the Debian packages slurm-wlm, munge and parallel, plus git, a JDK 17 and Maven. Everything it starts
# lives in a temporary directory (daemons' state, logs, sockets, a git clone of this checkout's HEAD, data,
# runs) and is stopped and removed on exit, also when a check fails (KEEP=1 keeps the directory).
# Prints one line per check ("ok  ..." or "FAIL ..."); exits 1 if any check failed, 2 if it cannot start.
#
# The grid is configs/sweeps/cluster-test.yaml: tiny generated ListOps, 3 models x 2 seeds, 64 steps each.
# Slurm: submit from a fresh clone with no jar (two tasks build it at once), every run finishes, `lra report`
# merges them; resubmit: nothing reruns; a task cancelled mid-run with scancel resumes on resubmission and
# ends with the numbers of an uninterrupted run. GNU parallel: the same, the interrupted job rerun with
# --resume-failed.
set -uo pipefail

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
grid=configs/sweeps/cluster-test.yaml
slurm_out=runs/cluster-test
par_out=runs/cluster-test-parallel
victim=listops__band5__s1          # the run that gets interrupted
deadline_s=${DEADLINE_S:-240}      # per wait; a run takes seconds, the first build a minute or two

die() { echo "test-cluster: $*" >&2; exit 2; }
[ "$(id -u)" = 0 ] || die "needs root (it starts munged, slurmctld and slurmd)"
for tool in munged mungekey slurmctld slurmd sbatch squeue scancel sinfo parallel git mvn java python3; do
  command -v "$tool" >/dev/null || die "$tool not found (apt-get install slurm-wlm munge parallel)"
done

tmp="$(mktemp -d /tmp/lra-cluster.XXXXXX)"
chmod 755 "$tmp"
pids=()
failures=0

cleanup() {
  local code=$?
  if [ -n "${SLURM_CONF:-}" ] && [ -n "$(squeue -h -o %A 2>/dev/null)" ]; then
    # Cancel while slurmctld and slurmd still run, so the job steps end; then kill what is left of them.
    local job_pids; job_pids=$(scontrol listpids 2>/dev/null | awk 'NR > 1 {print $1}')
    scancel --user=root >/dev/null 2>&1
    for _ in $(seq 40); do [ -z "$(squeue -h -o %A 2>/dev/null)" ] && break; sleep 0.5; done
    for pid in $job_pids; do kill -KILL "$pid" 2>/dev/null; done
  fi
  # slurmstepd processes outlive slurmd; ours are the ones writing to this test's slurmd.log.
  for fd in /proc/[0-9]*/fd/*; do
    [ "$(readlink "$fd" 2>/dev/null)" = "$tmp/log/slurmd.log" ] && stepd_pids="${stepd_pids:-} $(cut -d/ -f3 <<< "$fd")"
  done
  [ -n "${par_pid:-}" ] && kill "$par_pid" 2>/dev/null
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill "${pids[i]}" 2>/dev/null; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null; done
  for pid in ${stepd_pids:-}; do [ "$pid" != "$$" ] && kill -KILL "$pid" 2>/dev/null; done
  if [ "${KEEP:-0}" = 1 ]; then echo "kept $tmp"; else rm -rf "$tmp"; fi
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# check NAME COMMAND...: one line per check; a failed check is counted, the test goes on
check() {
  local name="$1"; shift
  if "$@"; then echo "ok   $name"; else echo "FAIL $name"; failures=$((failures + 1)); fi
}

lra() { "$src/scripts/lra" "$@"; }   # the checkout's launcher, for emitting and inspecting

# --- one-node Slurm ------------------------------------------------------------------------------------
# The daemons get their own session (setsid), so a Ctrl-C or timeout aimed at this script's process group
# leaves them up until cleanup has cancelled the jobs; then cleanup stops them.
host="$(hostname -s)"
mkdir -p "$tmp/munge" "$tmp/slurm/state" "$tmp/slurm/spool" "$tmp/log"
chmod 700 "$tmp/munge"
mungekey --create --keyfile="$tmp/munge/munge.key" >/dev/null 2>&1 \
  || dd if=/dev/urandom of="$tmp/munge/munge.key" bs=1024 count=1 status=none
chmod 600 "$tmp/munge/munge.key"
setsid munged -F --force --key-file="$tmp/munge/munge.key" --socket="$tmp/munge/munge.socket" \
  --pid-file="$tmp/munge/munged.pid" --log-file="$tmp/log/munged.log" --seed-file="$tmp/munge/seed" \
  >>"$tmp/log/munged.out" 2>&1 &
pids+=($!)

mem_mb=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 - 512 ))
export SLURM_CONF="$tmp/slurm/slurm.conf"
cat > "$SLURM_CONF" <<EOF
ClusterName=lratest
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=16817
SlurmdPort=16818
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$tmp/munge/munge.socket
CredType=cred/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
KillWait=30
StateSaveLocation=$tmp/slurm/state
SlurmdSpoolDir=$tmp/slurm/spool
SlurmctldPidFile=$tmp/slurm/slurmctld.pid
SlurmdPidFile=$tmp/slurm/slurmd.pid
SlurmctldLogFile=$tmp/log/slurmctld.log
SlurmdLogFile=$tmp/log/slurmd.log
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$mem_mb State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
for _ in $(seq 50); do [ -S "$tmp/munge/munge.socket" ] && break; sleep 0.1; done
setsid slurmctld -D -i -f "$SLURM_CONF" >>"$tmp/log/slurmctld.out" 2>&1 &
pids+=($!)
setsid slurmd -D -f "$SLURM_CONF" -N "$host" >>"$tmp/log/slurmd.out" 2>&1 &
pids+=($!)
node_idle() { sinfo -h -N -o %t 2>/dev/null | grep -qx idle; }
for _ in $(seq 60); do node_idle && break; sleep 0.5; done
check "one-node Slurm up: $host, $(nproc) CPUs (munged, slurmctld, slurmd as root under $tmp)" node_idle
if ! node_idle; then tail -5 "$tmp"/log/*.log "$tmp"/log/*.out >&2; exit 1; fi

# --- a fresh clone with no jar, and the data ------------------------------------------------------------
repo="$tmp/repo"
git clone -q "$src" "$repo"
check "fresh clone of $(git -C "$repo" rev-parse --short HEAD) has no jar" test ! -e "$repo/lra-cli/target/lra.jar"
export LRA_DATA_DIR="$tmp/data"
lra data generate listops --name listops-tiny --train 512 --val 64 --test 64 --min-length 10 --max-length 64 \
  >"$tmp/log/generate.log" 2>&1 || { cat "$tmp/log/generate.log" >&2; exit 1; }

# --- helpers --------------------------------------------------------------------------------------------
# numbers FILE: a result.json's numbers, without timings (those differ between any two runs)
numbers() {
  python3 - "$1" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
print(json.dumps({k: r.get(k) for k in ["runId", "status", "steps", "bestStep", "bestDevAcc", "testAcc",
                                        "testAccBatchMean", "testExamples", "configHash"]}, sort_keys=True))
EOF
}
same_numbers() {  # same_numbers A B: two result.json files with equal numbers (both must exist)
  [ -f "$1" ] && [ -f "$2" ] && [ "$(numbers "$1")" = "$(numbers "$2")" ]
}
all_finished() {  # all_finished OUT: every run of the grid has result.json with status finished
  local n=0
  for d in "$repo/$1"/listops__*; do
    grep -q '"status" : "finished"' "$d/result.json" 2>/dev/null && n=$((n + 1))
  done
  [ "$n" = 6 ]
}
fingerprint() { (cd "$repo/$1" && sha256sum listops__*/result.json listops__*/metrics.csv listops__*/checkpoints/*); }
proc_status() {  # proc_status PID KEY: the first value of the line "KEY: ..." of /proc/PID/status (empty if gone)
  awk -v key="$2:" '$1 == key { print $2 }' "/proc/$1/status" 2>/dev/null
}
sigterm_pending() {  # sigterm_pending PID: SIGTERM (15, mask bit 0x4000) is pending on the process or its thread group
  local mask
  for mask in $(proc_status "$1" SigPnd) $(proc_status "$1" ShdPnd); do
    (( 16#$mask & 0x4000 )) && return 0
  done
  return 1
}
stopped() { [ "$(proc_status "$1" State)" = T ]; }  # stopped PID: state T
last_step() { tail -n 1 "$1/metrics.csv" 2>/dev/null | cut -d, -f1; }
wait_for_step() {  # wait_for_step DIR N: until the run has logged step >= N
  for _ in $(seq $((deadline_s * 20))); do
    local s; s=$(last_step "$1"); [[ "$s" =~ ^[0-9]+$ ]] && [ "$s" -ge "$2" ] && return 0; sleep 0.05
  done
  return 1
}
submit() {  # submit: sbatch the emitted script from a directory other than the repository; echoes the job id
  (cd "$tmp" && sbatch --parsable "$repo/$slurm_out/sweep.slurm")
}
wait_job() {  # wait_job ID: until no task of the job is queued or running
  for _ in $(seq $((deadline_s * 2))); do
    [ -z "$(squeue -h -j "$1" -o %i 2>/dev/null)" ] && return 0; sleep 0.5
  done
  return 1
}
report_merges() {  # report_merges OUT: lra report reads the 6 runs: 3 model rows, 2 seeds each
  lra report --runs "$repo/$1" --out "$tmp/report-$(basename "$1")" >"$tmp/log/report.log" 2>&1 || return 1
  python3 - "$tmp/report-$(basename "$1")/lra_table.csv" <<'EOF'
import csv, sys
table = list(csv.DictReader(open(sys.argv[1])))
rows = [r for r in table if r["scale"] != "reference"]   # the majority-class and shortcut rows come from the data
models = {r["model"] for r in rows}
references = {r["model"] for r in table if r["scale"] == "reference"}
sys.exit(0 if models == {"softmax", "band5", "fmm-2kernel-band5"} and all(r["listops_n"] == "2" for r in rows)
         and references == {"majority-class", "shortcut"} else 1)
EOF
}

# --- Slurm ----------------------------------------------------------------------------------------------
t0=$SECONDS
(cd "$repo" && lra sweep --grid "$grid" --emit slurm) >"$tmp/log/emit.log" 2>&1
check "emit slurm: $(grep -o 'Wrote.*' "$tmp/log/emit.log" | sed 's/\. \(Run\|Submit\):.*//')" test -x "$repo/$slurm_out/sweep.slurm"
check "the log directory exists before sbatch" test -d "$repo/$slurm_out/logs"
job=$(submit)
check "sbatch job $job: 6 array tasks, 2 at a time" test -n "$job"
wait_job "$job"
check "every run finished ($((SECONDS - t0)) s, the jar built once by concurrent tasks)" all_finished "$slurm_out"
first_job=$job
builds=$(cat "$repo/$slurm_out"/logs/slurm-"${first_job}"_*.log | grep -c 'building the CLI jar')
check "the jar was built once in the clone ($builds build(s) among the 6 tasks)" \
  test -f "$repo/lra-cli/target/lra.jar" -a "$builds" = 1
check "lra report merges the 6 runs (3 models x 2 seeds)" report_merges "$slurm_out"
(cd "$repo" && lra sweep --status "$grid") >"$tmp/log/status.txt" 2>&1
check "sweep --status: 6 runs: 0 pending, 0 running, 6 finished" grep -q "6 runs: 0 pending, 0 running, 6 finished" "$tmp/log/status.txt"

before=$(fingerprint "$slurm_out")
job=$(submit); wait_job "$job"
skips=$(cat "$repo/$slurm_out"/logs/slurm-"${job}"_*.log 2>/dev/null | grep -c '^skip ')
check "resubmitted (job $job): $skips of 6 tasks skipped, no file changed" \
  test "$skips" = 6 -a "$before" = "$(fingerprint "$slurm_out")"

# Keep the victim's uninterrupted result, delete the run, start it again, stop it mid-run, resume, compare.
cp "$repo/$slurm_out/$victim/result.json" "$tmp/uninterrupted-slurm.json"
rm -rf "${repo:?}/$slurm_out/$victim"
job=$(submit)
wait_for_step "$repo/$slurm_out/$victim" 20
idx=$(grep -l "^start $slurm_out/$victim" "$repo/$slurm_out"/logs/slurm-"${job}"_*.log | sed 's/.*_\([0-9]*\)\.log$/\1/')
# Hold the trainer still (it keeps its run-directory lock) while --status looks, then cancel the task;
# scancel sends SIGCONT and SIGTERM to the task's processes.
trainer=$(cat "$repo/$slurm_out/$victim/run.lock")
kill -STOP "$trainer"
(cd "$repo" && lra sweep --status "$grid") >"$tmp/log/status.txt" 2>&1
check "sweep --status while it trains: $(grep "^$victim" "$tmp/log/status.txt" | tr -s ' ')" \
  grep -q "^$victim *running .*PID $trainer\$" "$tmp/log/status.txt"
scancel "${job}_${idx}"
# Continue the trainer only once slurmd's SIGTERM is pending on it (or slurmd has continued or ended it itself):
# continuing it earlier lets it train on, on a busy machine to the end of the run, before the signal arrives.
for _ in $(seq $((deadline_s * 20))); do
  sigterm_pending "$trainer" || ! stopped "$trainer" && break; sleep 0.05
done
kill -CONT "$trainer" 2>/dev/null
wait_job "$job"
stopped_at=$(last_step "$repo/$slurm_out/$victim")
check "scancel ${job}_${idx} stopped $victim at step $stopped_at of 64, its current step checkpointed" \
  grep -q "stopped by SIGTERM after step $stopped_at: run state saved" "$repo/$slurm_out/$victim/train.log"
(cd "$repo" && lra sweep --status "$grid") >"$tmp/log/status.txt" 2>&1
check "sweep --status: $(grep "^$victim" "$tmp/log/status.txt" | tr -s ' ')" \
  grep -q "^$victim *stopped .*checkpointed at a signal" "$tmp/log/status.txt"
job=$(submit); wait_job "$job"
logs_of_job() { cat "$repo/$slurm_out"/logs/slurm-"$1"_*.log 2>/dev/null; }
check "resubmitted (job $job): $victim resumed, the 5 others skipped" \
  test "$(logs_of_job "$job" | grep -c "^resume $slurm_out/$victim")" = 1 -a "$(logs_of_job "$job" | grep -c '^skip ')" = 5
check "resumed result equals the uninterrupted run's: $(numbers "$repo/$slurm_out/$victim/result.json" 2>/dev/null)" \
  same_numbers "$repo/$slurm_out/$victim/result.json" "$tmp/uninterrupted-slurm.json"

# --- GNU parallel ---------------------------------------------------------------------------------------
sed "s#^out: .*#out: $par_out#" "$repo/$grid" > "$repo/configs/sweeps/cluster-test-parallel.yaml"
pgrid=configs/sweeps/cluster-test-parallel.yaml
driver="$repo/$par_out/sweep_parallel.sh"
joblog="$repo/$par_out/logs/parallel.joblog"
t0=$SECONDS
(cd "$repo" && lra sweep --grid "$pgrid" --emit parallel) >"$tmp/log/emit.log" 2>&1
check "emit parallel: $(grep -o 'Wrote.*' "$tmp/log/emit.log" | sed 's/\. \(Run\|Submit\):.*//')" test -f "$driver.jobs"
(cd "$tmp" && bash "$driver") >"$tmp/log/parallel-1.log" 2>&1
check "parallel: every run finished ($((SECONDS - t0)) s)" all_finished "$par_out"
check "lra report merges the 6 runs (3 models x 2 seeds)" report_merges "$par_out"
same_as_slurm() {
  for d in "$repo/$par_out"/listops__*; do
    same_numbers "$d/result.json" "$repo/$slurm_out/$(basename "$d")/result.json" || return 1
  done
  [ -d "$repo/$par_out/$victim" ]
}
check "the 6 runs' numbers equal those of the Slurm runs (same config, seed, threads)" same_as_slurm

before=$(fingerprint "$par_out")
printf ':\n' > "$tmp/hosts.txt"   # ':' is this machine; relative to where the driver is run, as its header shows
(cd "$tmp" && bash "$driver" --sshloginfile hosts.txt) >"$tmp/log/parallel-2.log" 2>&1
skips=$(cat "$repo/$par_out"/logs/listops__*.log | grep -c '^skip ')
check "rerun with --sshloginfile hosts.txt: $skips of 6 jobs skipped, no file changed" \
  test "$skips" = 6 -a "$before" = "$(fingerprint "$par_out")"

cp "$repo/$par_out/$victim/result.json" "$tmp/uninterrupted-parallel.json"
rm -rf "${repo:?}/$par_out/$victim"
rm -f "$joblog"   # this round's joblog: 5 skips that exit 0, the victim's failure
(cd "$tmp" && exec bash "$driver") >"$tmp/log/parallel-3.log" 2>&1 &
par_pid=$!
wait_for_step "$repo/$par_out/$victim" 20
trainer=$(cat "$repo/$par_out/$victim/run.lock")
kill -TERM "$trainer"
wait "$par_pid"; par_code=$?; par_pid=
stopped_at=$(last_step "$repo/$par_out/$victim")
check "SIGTERM to $victim's trainer (PID $trainer) stopped it at step $stopped_at of 64, checkpointed; parallel exit $par_code" \
  grep -q "stopped by SIGTERM after step $stopped_at: run state saved" "$repo/$par_out/$victim/train.log"
check "parallel exited 1 (one failed job)" test "$par_code" = 1
lines_before=$(wc -l < "$joblog")
(cd "$tmp" && bash "$driver" --resume-failed) >"$tmp/log/parallel-4.log" 2>&1
check "--resume-failed reran 1 job (joblog $lines_before -> $(wc -l < "$joblog") lines) and it resumed" \
  test "$(wc -l < "$joblog")" = $((lines_before + 1)) -a "$(grep -c '^resume ' "$repo/$par_out/logs/$victim.log")" = 1
check "resumed result equals the uninterrupted run's: $(numbers "$repo/$par_out/$victim/result.json" 2>/dev/null)" \
  same_numbers "$repo/$par_out/$victim/result.json" "$tmp/uninterrupted-parallel.json"

echo "test-cluster: $failures failed check(s), $SECONDS s"
[ "$failures" = 0 ]
