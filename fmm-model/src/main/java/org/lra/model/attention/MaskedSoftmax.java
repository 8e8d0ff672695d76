package org.lra.model.attention;

/**
 * The masked-softmax row shared by {@link SoftmaxAttention} (dense rows) and {@link BandAttention}
 * (the 2k−1 diagonals of a row). A row is {@code n} scores at {@code s[off + t*stride]}, t &lt; n, for
 * consecutive keys {@code key0 + t}; the stride lets the band read one row across its diagonal-major
 * layout without copying.
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
     * In place: s[off + t*stride] ← softmax_t(scale·s − 1e6·(1 − mask[key0 + t])), t &lt; n (n ≥ 1).
     */
    static void forward(double[] s, int off, int stride, int n, double scale, double[] mask, int key0,
                        boolean f32) {
        double max = Double.NEGATIVE_INFINITY;
        for (int t = 0, at = off; t < n; t++, at += stride) {
            double v = s[at] * scale;
            double m = mask[key0 + t];
            if (f32) {
                v = (float) v;
                if (m != 1.0) {
                    v = (float) (v - MASK_PENALTY * (1.0 - m));
                }
            } else {
                v -= MASK_PENALTY * (1.0 - m);
            }
            s[at] = v;
            max = Math.max(max, v);
        }
        double sum = 0;
        for (int t = 0, at = off; t < n; t++, at += stride) {
            double e = Math.exp(s[at] - max);
            s[at] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        for (int t = 0, at = off; t < n; t++, at += stride) {
            s[at] *= inv;
        }
    }

    /**
     * In place: dp ← p ⊙ (dp − Σ_t p_t·dp_t), the score gradient from the probability gradient; both rows
     * have the same stride. The caller applies the 1/√D score scale.
     */
    static void backward(double[] p, int pOff, double[] dp, int dpOff, int stride, int n) {
        double dot = 0;
        for (int t = 0; t < n; t++) {
            dot += p[pOff + t * stride] * dp[dpOff + t * stride];
        }
        for (int t = 0; t < n; t++) {
            int at = dpOff + t * stride;
            dp[at] = p[pOff + t * stride] * (dp[at] - dot);
        }
    }
}
