package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Rng;
import org.lra.model.testing.FiniteDifference;

/**
 * Inputs, outputs and gradient buffers of one attention call, plus the checks every variant shares:
 * loss = Σ out ⊙ R for a fixed random R, finite differences of q, k, v and (for fmm) the blend weights,
 * bit-for-bit comparisons.
 *
 * <p>The key mask pads the end of both sequences (1 and 4 tokens) and drops one interior token of the
 * first, like a black pixel in Image/Pathfinder. With a small bandwidth the last queries of sequence 1 see
 * only padding, so the fully masked path is exercised too.
 */
final class AttentionHarness {
    final AttentionShape shape;
    final Buf q;
    final Buf k;
    final Buf v;
    final Buf mask;
    final Buf out;
    final Buf upstream; // R = dLoss/dout
    final Buf dq;
    final Buf dk;
    final Buf dv;

    AttentionHarness(Precision precision, int batch, int seqLen, int heads, int headDim, long seed) {
        shape = new AttentionShape(batch, seqLen, heads, headDim);
        int n = shape.rows() * shape.width();
        q = Buf.zeros(precision, n);
        k = Buf.zeros(precision, n);
        v = Buf.zeros(precision, n);
        out = Buf.zeros(precision, n);
        upstream = Buf.zeros(precision, n);
        dq = Buf.zeros(precision, n);
        dk = Buf.zeros(precision, n);
        dv = Buf.zeros(precision, n);
        FiniteDifference.randomFill(q, n, seed, 1.5);
        FiniteDifference.randomFill(k, n, seed + 1, 1.5);
        FiniteDifference.randomFill(v, n, seed + 2, 1.0);
        FiniteDifference.randomFill(upstream, n, seed + 3, 1.0);
        // elu's second derivative jumps at 0; a central difference straddling it is off by O(eps).
        for (int i = 0; i < n; i++) {
            q.set(i, awayFromZero(q.get(i)));
            k.set(i, awayFromZero(k.get(i)));
        }
        mask = Buf.zeros(precision, shape.rows());
        for (int b = 0; b < batch; b++) {
            int length = seqLen - (b == 0 ? 1 : 4);
            for (int t = 0; t < seqLen; t++) {
                mask.set(b * seqLen + t, t < length ? 1 : 0);
            }
        }
        if (seqLen > 4) {
            mask.set(2, 0); // an interior padding key
        }
    }

    private static double awayFromZero(double x) {
        return Math.abs(x) >= 0.01 ? x : Math.copySign(0.01, x);
    }

    static AttentionHarness small(long seed) {
        return new AttentionHarness(Precision.FLOAT64, 2, 9, 2, 3, seed);
    }

    int size() {
        return shape.rows() * shape.width();
    }

    static StepContext context(Parallel pool, boolean training) {
        return new StepContext(pool, training, 1234, 7);
    }

    double loss(Attention attention, StepContext ctx) {
        attention.forward(ctx, shape, q, k, v, mask, out);
        return FiniteDifference.dot(out, upstream, size());
    }

    /** Forward, then backward of loss into dq, dk, dv (and the parameters' gradient block, zeroed first). */
    void gradients(Attention attention, StepContext ctx, Parameters params) {
        if (params != null && params.size() > 0) {
            params.zeroGrads();
        }
        attention.forward(ctx, shape, q, k, v, mask, out);
        attention.backward(ctx, upstream, dq, dk, dv);
    }

    /** Finite-difference check of q, k, v and every registered parameter. */
    void checkGradients(String name, Attention attention, StepContext ctx, Parameters params) {
        gradients(attention, ctx, params);
        // Queries whose band holds only padding softmax over scores shifted by the 1e6 padding penalty, whose
        // rounding (ulp(1e6) ≈ 1e-10) divided by eps is the noise of the difference: 1e-6 at eps 1e-5, 1.4e-7 at
        // 1e-4, 3e-8 at 3e-4, while the truncation error (~eps²) is still far below atol at 3e-4.
        double eps = 3e-4;
        double atol = 1e-7;
        double rtol = 1e-6;
        // Copies: the loss re-runs forward, and backward state must not be what we compare against.
        Buf gq = copy(dq);
        Buf gk = copy(dk);
        Buf gv = copy(dv);
        FiniteDifference.check(name + " dq", q, gq, 0, size(), () -> loss(attention, ctx), eps, atol, rtol);
        FiniteDifference.check(name + " dk", k, gk, 0, size(), () -> loss(attention, ctx), eps, atol, rtol);
        FiniteDifference.check(name + " dv", v, gv, 0, size(), () -> loss(attention, ctx), eps, atol, rtol);
        if (params != null && params.size() > 0) {
            Buf gp = copy(params.grads());
            for (Param p : params.list()) {
                FiniteDifference.check(name + " " + p.name(), params.values(), gp, p.offset(), p.size(),
                        () -> loss(attention, ctx), eps, atol, rtol);
            }
        }
    }

    /** Moves every blend weight away from its 0/1 init so that every path carries gradient. */
    static void perturbWeights(Parameters params) {
        for (Param p : params.list()) {
            for (int i = 0; i < p.size(); i++) {
                params.values().set(p.offset() + i, 0.2 + 0.6 * Rng.uniform(99 + p.offset(), i));
            }
        }
    }

    static Buf copy(Buf src) {
        Buf c = Buf.zeros(src.precision(), src.length());
        c.copyFrom(src, 0, 0, src.length());
        return c;
    }

    static void assertBitEqual(String what, Buf expected, Buf actual, int from, int to) {
        for (int i = from; i < to; i++) {
            assertEquals(Double.doubleToRawLongBits(expected.get(i)), Double.doubleToRawLongBits(actual.get(i)),
                    () -> what + " differs");
        }
    }

    static void assertClose(String what, double[] expected, Buf actual, double tol) {
        for (int i = 0; i < expected.length; i++) {
            int at = i;
            assertEquals(expected[i], actual.get(i), tol, () -> what + "[" + at + "]");
        }
    }

    static void assertClose(String what, Buf expected, Buf actual, int n, double tol) {
        for (int i = 0; i < n; i++) {
            int at = i;
            assertEquals(expected.get(i), actual.get(i), tol, () -> what + "[" + at + "]");
        }
    }

    /** Scales q and k so that softmax rows are far from uniform and every path carries gradient. */
    void sharpen(double factor) {
        for (int i = 0; i < size(); i++) {
            q.set(i, q.get(i) * factor);
            k.set(i, k.get(i) * factor);
        }
    }
}
