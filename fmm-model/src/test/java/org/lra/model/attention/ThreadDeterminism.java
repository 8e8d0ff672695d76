package org.lra.model.attention;

import java.util.function.Function;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/**
 * Runs forward and backward with 1 and with 2 threads (float32, dropout on) and requires bit-identical
 * outputs and gradients: every (batch, head) is computed whole by one thread, and the blend's column sums
 * are split by column, so no floating-point sum depends on the thread count.
 */
final class ThreadDeterminism {
    private ThreadDeterminism() {
    }

    /** {@code make} builds the attention, registering any blend weights in the given parameters. */
    static void assertSame(Function<Parameters, Attention> make) {
        assertSame(make, 8);
    }

    /** {@link #assertSame(Function)} with heads {@code headDim} wide (32: whole SIMD vectors, the Vector API paths). */
    static void assertSame(Function<Parameters, Attention> make, int headDim) {
        AttentionHarness[] runs = new AttentionHarness[2];
        Parameters[] params = new Parameters[2];
        for (int t = 0; t < 2; t++) {
            try (Parallel pool = new Parallel(t + 1)) {
                runs[t] = new AttentionHarness(Precision.FLOAT32, 3, 70, 2, headDim, 31);
                params[t] = new Parameters();
                Attention attention = make.apply(params[t]);
                params[t].allocate(Precision.FLOAT32, 5);
                AttentionHarness.perturbWeights(params[t]);
                StepContext ctx = AttentionHarness.context(pool, true);
                runs[t].gradients(attention, ctx, params[t]);
            }
        }
        int n = runs[0].size();
        AttentionHarness.assertBitEqual("out", runs[0].out, runs[1].out, 0, n);
        AttentionHarness.assertBitEqual("dq", runs[0].dq, runs[1].dq, 0, n);
        AttentionHarness.assertBitEqual("dk", runs[0].dk, runs[1].dk, 0, n);
        AttentionHarness.assertBitEqual("dv", runs[0].dv, runs[1].dv, 0, n);
        if (params[0].size() > 0) {
            AttentionHarness.assertBitEqual("blend grads", params[0].grads(), params[1].grads(), 0, params[0].size());
        }
    }
}
