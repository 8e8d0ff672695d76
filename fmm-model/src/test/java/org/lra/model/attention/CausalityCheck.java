package org.lra.model.attention;

import java.util.function.Function;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/** Perturbs a later token's q, k and v and requires every earlier output to stay bit-for-bit the same. */
final class CausalityCheck {
    private CausalityCheck() {
    }

    /** {@code make} builds the attention, registering any blend weights in the given parameters. */
    static void assertCausal(Function<Parameters, Attention> make) {
        for (Precision precision : Precision.values()) {
            try (Parallel pool = new Parallel(2)) {
                // T = 150 spans several FarField.CHUNK chunks.
                AttentionHarness h = new AttentionHarness(precision, 2, 150, 2, 4, 21);
                Parameters params = new Parameters();
                Attention attention = make.apply(params);
                params.allocate(precision, 5);
                AttentionHarness.perturbWeights(params);
                StepContext ctx = AttentionHarness.context(pool, true);
                for (int later : new int[] {149, 97, 64, 10}) {
                    attention.forward(ctx, h.shape, h.q, h.k, h.v, h.mask, h.out);
                    Buf before = AttentionHarness.copy(h.out);
                    int width = h.shape.width();
                    for (int b = 0; b < h.shape.batch(); b++) {
                        int row = b * h.shape.seqLen() + later;
                        for (int c = 0; c < width; c++) {
                            h.q.set(row * width + c, h.q.get(row * width + c) + 0.7);
                            h.k.set(row * width + c, h.k.get(row * width + c) - 0.9);
                            h.v.set(row * width + c, h.v.get(row * width + c) * 3 + 1);
                        }
                    }
                    attention.forward(ctx, h.shape, h.q, h.k, h.v, h.mask, h.out);
                    for (int b = 0; b < h.shape.batch(); b++) {
                        int from = b * h.shape.seqLen() * width;
                        AttentionHarness.assertBitEqual(precision + " output before token " + later, before, h.out,
                                from, from + later * width);
                    }
                }
            }
        }
    }
}
