package org.lra.model.attention;

import java.util.Arrays;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;

/**
 * What one FMM layer's blend does, per head, over the forward passes it watched (a diagnostic, not part of
 * the model). With {@code out = near ⊙ N + far ⊙ F}, N = band(q, k, v) the near field and
 * F = Σ_l kernel[l] ⊙ farField_l(q, k, v) the far field, it keeps
 * <ul>
 *   <li>the blend weights near, far and kernel[l] of the last forward, per head (the mean over the head's D
 *       entries when a weight is per_head_dim; far = 1 − near when it is the complement);</li>
 *   <li>RMS(N) and RMS(F) per head over every real token (key mask ≠ 0) of every watched forward.</li>
 * </ul>
 * Each head is summed by one thread in row order, so the numbers do not depend on the thread count.
 */
public final class BlendProbe {
    private final int heads;
    private final int headDim;
    private final int kernels;
    private final double[] near;
    private final double[] far;
    private final double[][] kernel;
    private final double[] nearSq;
    private final double[] farSq;
    private long tokens;

    public BlendProbe(int heads, int headDim, int kernels) {
        this.heads = heads;
        this.headDim = headDim;
        this.kernels = kernels;
        near = new double[heads];
        far = new double[heads];
        kernel = new double[kernels][heads];
        nearSq = new double[heads];
        farSq = new double[heads];
    }

    /** Forgets what was watched so far. */
    public void reset() {
        Arrays.fill(nearSq, 0);
        Arrays.fill(farSq, 0);
        tokens = 0;
    }

    public int heads() {
        return heads;
    }

    /** Far-field terms of the blend (0: fmm is the band alone, and far, far RMS are meaningless). */
    public int kernels() {
        return kernels;
    }

    public double near(int h) {
        return near[h];
    }

    public double far(int h) {
        return far[h];
    }

    public double kernel(int l, int h) {
        return kernel[l][h];
    }

    /** RMS of the near-field output of head h; NaN before any real token was watched. */
    public double nearRms(int h) {
        return Math.sqrt(nearSq[h] / ((double) tokens * headDim));
    }

    /** RMS of the far-field output Σ_l kernel[l] ⊙ far_l of head h; NaN before any real token was watched. */
    public double farRms(int h) {
        return Math.sqrt(farSq[h] / ((double) tokens * headDim));
    }

    /** band, far_l [rows, H*D], keyMask [rows]: adds one forward of {@code blend}. */
    void add(Parallel pool, int rows, Buf keyMask, Buf band, Buf[] farFields, Blend blend) {
        int width = heads * headDim;
        double[] nearCol = blend.nearColumns();
        double[] farCol = blend.farColumns();
        double[][] kernelCol = new double[kernels][];
        for (int l = 0; l < kernels; l++) {
            kernelCol[l] = blend.kernelColumns(l);
        }
        for (int h = 0; h < heads; h++) {
            near[h] = headMean(nearCol, h);
            far[h] = headMean(farCol, h);
            for (int l = 0; l < kernels; l++) {
                kernel[l][h] = headMean(kernelCol[l], h);
            }
        }
        pool.forRange(heads, (chunk, from, to) -> {
            for (int h = from; h < to; h++) {
                double sn = 0;
                double sf = 0;
                for (int r = 0; r < rows; r++) {
                    if (keyMask.get(r) == 0) {
                        continue;
                    }
                    for (int c = h * headDim; c < (h + 1) * headDim; c++) {
                        double n = band.get(r * width + c);
                        double f = 0;
                        for (int l = 0; l < kernels; l++) {
                            f += kernelCol[l][c] * farFields[l].get(r * width + c);
                        }
                        sn += n * n;
                        sf += f * f;
                    }
                }
                nearSq[h] += sn;
                farSq[h] += sf;
            }
        });
        for (int r = 0; r < rows; r++) {
            if (keyMask.get(r) != 0) {
                tokens++;
            }
        }
    }

    private double headMean(double[] col, int h) {
        double s = 0;
        for (int c = h * headDim; c < (h + 1) * headDim; c++) {
            s += col[c];
        }
        return s / headDim;
    }
}
