#!/usr/bin/env bash
# Checks scripts/lra on a fresh clone of this repository, the way sweeps and Slurm arrays use it:
#   1. three launches at once on a clone that has no jar yet all succeed (one builds, the others wait);
#   2. after a source file changes, three launches at once again all succeed (rebuild under the lock);
#   3. no temporary jar is left behind (nor a temporary copy in target/run); the jar prints the clone's commit;
#   4. a symlink to the launcher works; LRA_JAVA_OPTS is split into words; a bad JAVA_HOME is one line, exit 1;
#   5. a sweep's later workers still start after another launch has cleaned up old copies of the jar: a copy
#      that a running JVM uses is kept, an unused one is deleted;
#   6. a training run survives target/lra.jar being rewritten in place under it (what `mvn verify` does).
# Usage: scripts/tests/launcher.sh   (run by .ci/run; takes two builds, a few minutes on 2 cores)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "launcher test FAILED: $*" >&2; exit 1; }

git clone -q "$repo" "$work/clone"
lra="$work/clone/scripts/lra"
commit="$(git -C "$work/clone" rev-parse HEAD)"

launch_three() {   # $1: label
  local pids=() i
  for i in 1 2 3; do
    "$lra" --version >"$work/$1.$i.out" 2>"$work/$1.$i.err" & pids+=($!)
  done
  for i in 1 2 3; do
    wait "${pids[$((i - 1))]}" || fail "$1 launch $i exited $?: $(cat "$work/$1.$i.err")"
    grep -q "^lra .*(build commit $commit" "$work/$1.$i.out" || fail "$1 launch $i printed: $(cat "$work/$1.$i.out")"
  done
}

launch_three fresh
[ "$(grep -l 'building the CLI jar' "$work"/fresh.*.err | wc -l)" -ge 1 ] || fail "nobody built the jar"
sleep 1
touch "$work/clone/lra-cli/src/main/java/org/lra/cli/LraCommand.java"
launch_three changed
[ "$(grep -l 'building the CLI jar' "$work"/changed.*.err | wc -l)" -eq 1 ] || fail "expected exactly one rebuild"
target="$work/clone/lra-cli/target"
leftovers="$(find "$target" "$target/run" -maxdepth 1 \( -name '.lra.jar.*' -o -name 'build-start.*' \))"
[ -z "$leftovers" ] || fail "temporary files left: $leftovers"

mkdir -p "$work/bin" && ln -s "$lra" "$work/bin/lra"
"$work/bin/lra" --version | grep -q "^lra " || fail "launch through a symlink"
LRA_JAVA_OPTS="-Xms64m   -Xmx300m" "$lra" --version >/dev/null || fail "LRA_JAVA_OPTS with two options (as one word java rejects the heap size)"
set +e
err="$(JAVA_HOME="$work/no-such-jdk" "$lra" --version 2>&1)"; code=$?
set -e
[ "$code" -eq 1 ] && [ "$(echo "$err" | wc -l)" -eq 1 ] && [[ "$err" == *"JAVA_HOME"* ]] \
  || fail "bad JAVA_HOME: exit $code, '$err'"
data="$work/data"
"$lra" data generate listops --data-dir "$data" --name listops-tiny --train 512 --val 64 --test 64 \
  --min-length 10 --max-length 64 --threads 1 >"$work/generate.out" 2>&1 || fail "generate: $(tail -3 "$work/generate.out")"

# 5. A sweep runs two tiny trainings one after the other, each a worker JVM started from the file of the copy the
# sweep's JVM runs. While the first trains, the copies are aged past the launcher's ten minutes and target/lra.jar
# gets a new build key (touch: no Maven needed), so the next launch makes a new copy and cleans up old ones.
cat > "$work/band5.yaml" <<CELL
extends: $work/clone/configs/sweeps/cluster-test/band5.yaml
training: {steps: 600}
CELL
cat > "$work/grid.yaml" <<GRID
tasks: [listops]
models: [band5]
seeds: [0, 1]
configs: "$work/{model}.yaml"
out: $work/sweep
parallel: 1
threads: 1
GRID
LRA_DATA_DIR="$data" "$lra" sweep --grid "$work/grid.yaml" >"$work/sweep.out" 2>&1 & sweep=$!
first="$work/sweep/listops__band5__s0"
for _ in $(seq 1200); do grep -q "step 16 .*dev" "$first/train.log" 2>/dev/null && break; sleep 0.1; done
grep -q "step 16 .*dev" "$first/train.log" || fail "the sweep's first run did not start: $(tail -5 "$work/sweep.out")"
touch -d '20 minutes ago' "$target"/run/lra-*.jar && touch "$target/lra.jar"
"$lra" --version >/dev/null || fail "a launch with a new build key"
grep -qs '"finished"' "$first/result.json" && fail "inconclusive: the first run ended before the clean-up; lengthen it"
wait "$sweep" || fail "the sweep failed after old jar copies were cleaned up: $(tail -5 "$work/sweep.out")"
grep -q '"status" : "finished"' "$work/sweep/listops__band5__s1/result.json" || fail "the second worker did not finish"
touch -d '20 minutes ago' "$target"/run/lra-*.jar && touch "$target/lra.jar"
"$lra" --version >/dev/null || fail "a launch with a new build key"
[ "$(find "$target/run" -name 'lra-*.jar' | wc -l)" -eq 1 ] || fail "unused old copies kept: $(ls "$target/run")"

# 6. Last, because it leaves the clone's jar unusable: truncate target/lra.jar in place while a run trains. The
# run's JVM has a copy of it, so it still loads what it needs for its final test and finishes.
"$lra" train --config "$work/clone/configs/sweeps/cluster-test/band5.yaml" --data-dir "$data" --threads 1 \
  --set training.steps=400 --set training.evalEvery=100 --out "$work/run" >"$work/train.out" 2>&1 & train=$!
for _ in $(seq 1200); do grep -q "step 100 .*dev" "$work/run/train.log" 2>/dev/null && break; sleep 0.1; done
kill -0 "$train" 2>/dev/null && ! grep -qs '"finished"' "$work/run/result.json" \
  || fail "the run was not training when the jar was rewritten: $(tail -3 "$work/train.out")"
: > "$target/lra.jar"
wait "$train" || fail "a run died when target/lra.jar was rewritten under it: $(tail -3 "$work/train.out")"
grep -q '"status" : "finished"' "$work/run/result.json" || fail "the run did not finish: $(cat "$work/run/result.json")"
echo "launcher test passed: 3 + 3 concurrent launches, symlink, LRA_JAVA_OPTS, JAVA_HOME check, jar copies kept while used, jar rewritten under a run"
