#!/usr/bin/env bash
# A/B of engine kernels between two lra.jar builds, alternating in one JVM (see ab/AbRun.java).
#   scripts/bench/ab.sh OLD.jar NEW.jar KERNEL... [ROUNDS=15]
# KERNEL: dropout | gelu | layernorm | step-fmm | step-band | step-linear | step-softmax (T=1024 B=8, 1 thread)
set -euo pipefail
old="$(readlink -f "$1")"; new="$(readlink -f "$2")"; shift 2   # absolute: the unzips below run in other directories
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
mkdir -p "$work/old" "$work/new" "$work/driver"
(cd "$work/old" && unzip -q "$old" 'org/lra/*')
(cd "$work/new" && unzip -q "$new" 'org/lra/*')
javac -q -cp "$new" -d "$work/driver" "$here/ab/AbDriver.java" 2>/dev/null || javac -cp "$new" -d "$work/driver" "$here/ab/AbDriver.java"
javac -cp "$new" -d "$work/driver" "$here/ab/AbRun.java" 2>&1 | grep -v "^Note:" || true
rounds="${ROUNDS:-15}"
for k in "$@"; do
  OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 java --add-modules jdk.incubator.vector -Xmx3g -cp "$new:$work/driver" \
    AbRun "$work/old" "$work/new" "$work/driver" "$k" "$rounds" 2>&1 | grep -v "^WARNING: Using incubator"
done
