#!/usr/bin/env python3
"""Each layer's share of a training step, from a JFR recording of `lra bench step --in-process`.

Usage: jfr print --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 64 REC.jfr \
         | scripts/bench/profile_shares.py [--title T] > shares.md

Only samples inside StepBenchmark.run (the measured steps and their warm-up) count. A sample belongs to the
innermost engine frame on its stack whose class is a layer (below); its phase is forward, backward or the
optimiser. Samples in native code (BLAS) are weighted by 2: JFR's 'profile' settings sample Java code every
10 ms and native code every 20 ms.
"""
import collections
import re
import sys

LAYERS = ["AdamW", "Embedding", "LayerNorm", "Linear", "Gelu", "Dropout", "BandAttention", "FarField", "FeatureMap",
          "SoftmaxAttention", "MaskedSoftmax", "AttentionDropout", "HeadIO", "Blend", "RowKernels", "MeanPool",
          "SoftmaxCrossEntropy", "TransformerBlock", "Encoder", "Classifier", "StepRunner"]
FRAME = re.compile(r"^\s+([\w.$]+)\.([\w<>$]+)\(")


def samples(lines):
    kind, stack = None, []
    for line in lines:
        if line.startswith("jdk.ExecutionSample"):
            kind, stack = "java", []
        elif line.startswith("jdk.NativeMethodSample"):
            kind, stack = "native", []
        elif line.startswith("  ]") and kind:
            yield kind, stack
            kind = None
        elif kind:
            m = FRAME.match(line)
            if m:
                stack.append((m.group(1), m.group(2)))


def main():
    title = sys.argv[sys.argv.index("--title") + 1] if "--title" in sys.argv else "profile"
    by_layer = collections.Counter()
    by_phase = collections.Counter()
    blas = 0.0
    total = 0.0
    for kind, stack in samples(sys.stdin):
        if not any(c.endswith("StepBenchmark") and m == "run" for c, m in stack):
            continue
        w = 2.0 if kind == "native" else 1.0
        total += w
        if any("cblas" in m for _, m in stack[:3]):
            blas += w
        layer = "other"
        for cls, method in stack:
            simple = cls.rsplit(".", 1)[-1].split("$")[0]
            if simple in LAYERS:
                layer = simple
                break
        phase = "optimiser" if layer == "AdamW" else (
            "backward" if any(m.startswith("backward") or (m.endswith("Backward") and m != "forwardBackward")
                             for _, m in stack) else "forward")
        by_layer[layer] += w
        by_phase[phase] += w
    print(f"## {title}\n")
    print(f"{total:.0f} weighted samples; BLAS (sgemm) {100 * blas / total:.1f}% of the step; "
          + ", ".join(f"{p} {100 * v / total:.1f}%" for p, v in by_phase.most_common()) + "\n")
    print("| layer (innermost engine class) | share |\n|---|---|")
    for layer, v in by_layer.most_common():
        print(f"| {layer} | {100 * v / total:.1f}% |")
    print()


if __name__ == "__main__":
    main()
