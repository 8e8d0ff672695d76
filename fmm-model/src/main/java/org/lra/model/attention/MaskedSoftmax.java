package org.lra.model.attention;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.FastExp;

/**
 * The masked-softmax row shared by {@link SoftmaxAttention} (dense rows), {@link BandAttention}
 * (the up to 2k−1 keys of a query) and, through {@link #forwardRows}, the score matrices that
 * {@link LinformerAttention} and {@link NystromAttention} keep in buffers. A row is {@code n} scores at {@code s[off + t]}, t &lt; n, for
 * consecutive keys {@code key0 + t}.
 *
 * <p>Masking is the reference's additive penalty, not −∞: {@code s − 1e6·(1 − mask_key)}. A row whose keys
 * are all padding therefore still gets a proper distribution (softmax of the unmasked scores, shifted),
 * exactly as PyTorch does, instead of NaN. In float32 PyTorch rounds the shifted score to float, which
 * quantises a fully masked row to a 1/16 grid; {@code f32} reproduces that rounding.
 */
final class MaskedSoftmax {
    /** Additive penalty for a padding key (reference: {@code 1e6 * (1 - mask)}). */
    static final double MASK_PENALTY = 1e6;

    private MaskedSoftmax() {
    }

    /**
     * In place: s[off + t] ← softmax_t(scale·s − 1e6·(1 − mask[key0 + t])), t &lt; n (n ≥ 1).
     * The loops are branch-free and use {@link FastExp#nonPositive} (arguments are ≤ 0 after the max
     * shift; relative error &lt; 4e−11) so that C2 vectorises them: {@code Math.exp} costs ~10 ns here and
     * dense softmax evaluates B·H·T² of them.
     */
    static void forward(double[] s, int off, int n, double scale, double[] mask, int key0, boolean f32) {
        if (f32) {
            // PyTorch rounds the scaled score to float, then the shifted score again
            for (int t = 0; t < n; t++) {
                double v = (float) (s[off + t] * scale);
                s[off + t] = (float) (v - MASK_PENALTY * (1.0 - mask[key0 + t]));
            }
        } else {
            for (int t = 0; t < n; t++) {
                s[off + t] = s[off + t] * scale - MASK_PENALTY * (1.0 - mask[key0 + t]);
            }
        }
        double max = max(s, off, n);
        for (int t = 0; t < n; t++) {
            s[off + t] = FastExp.nonPositive(s[off + t] - max);
        }
        double inv = 1.0 / dot(s, off, null, 0, n);
        for (int t = 0; t < n; t++) {
            s[off + t] *= inv;
        }
    }

    /**
     * In place: dp ← p ⊙ (dp − Σ_t p_t·dp_t), the score gradient from the probability gradient.
     * The caller applies the 1/√D score scale.
     */
    static void backward(double[] p, int pOff, double[] dp, int dpOff, int n) {
        double dot = dot(p, pOff, dp, dpOff, n);
        for (int t = 0; t < n; t++) {
            dp[dpOff + t] = p[pOff + t] * (dp[dpOff + t] - dot);
        }
    }

    /**
     * {@link #forward} on each of {@code rows} rows of {@code cols} scores stored row-major in a buffer at off
     * (mask per column), through the scratch {@code row} (length ≥ cols).
     */
    static void forwardRows(Buf s, int off, int rows, int cols, double scale, double[] mask, double[] row,
                            boolean f32) {
        for (int i = 0; i < rows; i++) {
            s.get(off + i * cols, row, 0, cols);
            forward(row, 0, cols, scale, mask, 0, f32);
            s.set(off + i * cols, row, 0, cols);
        }
    }

    /** {@link #backward} on each row: grad rows (dP) become dS given the probabilities p, in place. */
    static void backwardRows(Buf p, int pOff, Buf grad, int gOff, int rows, int cols, double[] prow,
                             double[] grow) {
        for (int i = 0; i < rows; i++) {
            p.get(pOff + i * cols, prow, 0, cols);
            grad.get(gOff + i * cols, grow, 0, cols);
            backward(prow, 0, grow, 0, cols);
            grad.set(gOff + i * cols, grow, 0, cols);
        }
    }

    // Reductions with four partial results: a single accumulator chains every add through its latency.

    private static double max(double[] a, int off, int n) {
        double m0 = Double.NEGATIVE_INFINITY, m1 = m0, m2 = m0, m3 = m0;
        int t = 0;
        for (; t + 4 <= n; t += 4) {
            m0 = Math.max(m0, a[off + t]);
            m1 = Math.max(m1, a[off + t + 1]);
            m2 = Math.max(m2, a[off + t + 2]);
            m3 = Math.max(m3, a[off + t + 3]);
        }
        for (; t < n; t++) {
            m0 = Math.max(m0, a[off + t]);
        }
        return Math.max(Math.max(m0, m1), Math.max(m2, m3));
    }

    /** Σ a·b over n entries, or Σ a when b is null. */
    private static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int t = 0;
        if (b == null) {
            for (; t + 4 <= n; t += 4) {
                s0 += a[aOff + t];
                s1 += a[aOff + t + 1];
                s2 += a[aOff + t + 2];
                s3 += a[aOff + t + 3];
            }
            for (; t < n; t++) {
                s0 += a[aOff + t];
            }
        } else {
            for (; t + 4 <= n; t += 4) {
                s0 += a[aOff + t] * b[bOff + t];
                s1 += a[aOff + t + 1] * b[bOff + t + 1];
                s2 += a[aOff + t + 2] * b[bOff + t + 2];
                s3 += a[aOff + t + 3] * b[bOff + t + 3];
            }
            for (; t < n; t++) {
                s0 += a[aOff + t] * b[bOff + t];
            }
        }
        return (s0 + s1) + (s2 + s3);
    }
}
