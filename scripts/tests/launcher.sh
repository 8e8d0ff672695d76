#!/usr/bin/env bash
# Checks scripts/lra on a fresh clone of this repository, the way sweeps and Slurm arrays use it:
#   1. three launches at once on a clone that has no jar yet all succeed (one builds, the others wait);
#   2. after a source file changes, three launches at once again all succeed (rebuild under the lock);
#   3. no temporary jar is left behind (nor a temporary copy in target/run); the jar prints the clone's commit;
#   4. a symlink to the launcher works; LRA_JAVA_OPTS is split into words; a bad JAVA_HOME is one line, exit 1;
#   5. a training run survives target/lra.jar being rewritten in place under it (what `mvn verify` does).
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
# 5. Last, because it leaves the clone's jar unusable: truncate target/lra.jar in place while a run trains. The
# run's JVM has a copy of it, so it still loads what it needs for its final test and finishes.
data="$work/data"
"$lra" data generate listops --data-dir "$data" --name listops-tiny --train 512 --val 64 --test 64 \
  --min-length 10 --max-length 64 --threads 1 >"$work/generate.out" 2>&1 || fail "generate: $(tail -3 "$work/generate.out")"
"$lra" train --config "$work/clone/configs/sweeps/cluster-test/band5.yaml" --data-dir "$data" --threads 1 \
  --set training.steps=400 --set training.evalEvery=100 --out "$work/run" >"$work/train.out" 2>&1 & train=$!
for _ in $(seq 1200); do grep -q "step 100 .*dev" "$work/run/train.log" 2>/dev/null && break; sleep 0.1; done
kill -0 "$train" 2>/dev/null && ! grep -qs '"finished"' "$work/run/result.json" \
  || fail "the run was not training when the jar was rewritten: $(tail -3 "$work/train.out")"
: > "$target/lra.jar"
wait "$train" || fail "a run died when target/lra.jar was rewritten under it: $(tail -3 "$work/train.out")"
grep -q '"status" : "finished"' "$work/run/result.json" || fail "the run did not finish: $(cat "$work/run/result.json")"
echo "launcher test passed: 3 + 3 concurrent launches, symlink, LRA_JAVA_OPTS, JAVA_HOME check, jar rewritten under a run"
