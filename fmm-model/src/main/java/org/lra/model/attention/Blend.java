package org.lra.model.attention;

import java.util.Arrays;
import java.util.List;
import org.lra.model.config.BlendConfig;
import org.lra.model.config.WeightShape;
import org.lra.model.config.WeightSpec;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Init;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;

/**
 * FMM's mix of near and far field (reference §1.3):
 * <pre>  out = near ⊙ band + far ⊙ Σ_l kernel[l] ⊙ far_l</pre>
 * Each weight is a constant or a learnable parameter (no decay, no sigmoid, no clipping, as the reference)
 * of shape scalar, per head (H) or per head and dimension (H×D), broadcast over rows; {@code far} may be
 * the complement 1 − near. Every weight is expanded to one value per column of the [rows, H*D] layout
 * at the start of forward, so the elementwise loops never look at shapes, and backward reduces the
 * per-column gradients back to each weight's shape.
 *
 * <p>Weight gradients are column sums over all rows: each fixed block of {@link #BLOCK} rows sums its
 * part, and the blocks are added in order, so the result is the same whatever the thread count.
 */
public final class Blend {
    /** Rows per partial column sum; fixed so that the summation order does not depend on the threads. */
    static final int BLOCK = 256;

    private final Parameters params;
    private final int heads;
    private final int headDim;
    private final Weight near;
    /** null when far is the complement of near, or when there are no kernels. */
    private final Weight far;
    private final boolean farIsComplement;
    private final Weight[] kernels;

    // Expanded weights of the current step, one per column h*D + d, and their gradients.
    private final double[] nearCol;
    private final double[] farCol;
    private final double[][] kernelCol;
    private final double[] dNearCol;
    private final double[] dFarCol;
    private final double[][] dKernelCol;
    private Rows[] rowScratch;
    private double[] partials; // [blocks][1 + kernels][H*D]

    /**
     * Registers the learnable weights as {@code prefix.blend.near}, {@code prefix.blend.far} and
     * {@code prefix.blend.kernel<l>}.
     */
    public Blend(BlendConfig cfg, Parameters params, String prefix, int heads, int headDim) {
        if (cfg == null || cfg.near() == null) {
            throw new IllegalArgumentException("attention.blend.near is required for fmm");
        }
        if (cfg.near().shape() == WeightShape.complement) {
            throw new IllegalArgumentException("attention.blend.near cannot be complement (only far can)");
        }
        List<WeightSpec> kernelSpecs = cfg.kernels() == null ? List.of() : cfg.kernels();
        if (!kernelSpecs.isEmpty() && cfg.far() == null) {
            throw new IllegalArgumentException("attention.blend.far is required when blend.kernels is not empty");
        }
        this.params = params;
        this.heads = heads;
        this.headDim = headDim;
        String base = prefix + ".blend.";
        this.near = new Weight(cfg.near(), params, base + "near", heads, headDim);
        this.farIsComplement = !kernelSpecs.isEmpty() && cfg.far().shape() == WeightShape.complement;
        this.far = kernelSpecs.isEmpty() || farIsComplement ? null
                : new Weight(cfg.far(), params, base + "far", heads, headDim);
        this.kernels = new Weight[kernelSpecs.size()];
        for (int l = 0; l < kernels.length; l++) {
            WeightSpec spec = kernelSpecs.get(l);
            if (spec == null || spec.shape() == WeightShape.complement) {
                throw new IllegalArgumentException("attention.blend.kernels[" + l + "] must be scalar, per_head or"
                        + " per_head_dim");
            }
            kernels[l] = new Weight(spec, params, base + "kernel" + l, heads, headDim);
        }
        int columns = heads * headDim;
        nearCol = new double[columns];
        farCol = new double[columns];
        kernelCol = new double[kernels.length][columns];
        dNearCol = new double[columns];
        dFarCol = new double[columns];
        dKernelCol = new double[kernels.length][columns];
    }

    /** Number of far-field terms (0 = band only). */
    public int kernelCount() {
        return kernels.length;
    }

    /** Per-thread rows, so that buffers move by bulk row copies instead of element by element. */
    private static final class Rows {
        final double[] band;
        final double[][] far;
        final double[] grad;
        final double[] out;
        final float[] tmp;

        Rows(int columns, int kernels) {
            band = new double[columns];
            far = new double[kernels][columns];
            grad = new double[columns];
            out = new double[columns];
            tmp = new float[columns];
        }
    }

    private Rows rows(int chunk) {
        if (rowScratch == null || rowScratch.length <= chunk) {
            throw new IllegalStateException("prepare(pool) first");
        }
        return rowScratch[chunk];
    }

    private void prepare(Parallel pool, int rows) {
        int columns = heads * headDim;
        if (rowScratch == null || rowScratch.length < pool.threads()) {
            rowScratch = new Rows[pool.threads()];
            for (int t = 0; t < rowScratch.length; t++) {
                rowScratch[t] = new Rows(columns, kernels.length);
            }
        }
        int blocks = (rows + BLOCK - 1) / BLOCK;
        int need = blocks * (1 + kernels.length) * columns;
        if (partials == null || partials.length < need) {
            partials = new double[need];
        }
    }

    /** band, far_l [rows, H*D] -> out [rows, H*D]. */
    public void forward(Parallel pool, int rows, Buf band, Buf[] farFields, Buf out) {
        prepare(pool, rows);
        expandWeights();
        int columns = heads * headDim;
        pool.forRange(rows, (chunk, from, to) -> {
            Rows s = rows(chunk);
            for (int r = from; r < to; r++) {
                int row = r * columns;
                HeadIO.loadRow(band, row, s.band, 0, columns, s.tmp);
                Arrays.fill(s.out, 0.0);
                for (int l = 0; l < kernels.length; l++) {
                    HeadIO.loadRow(farFields[l], row, s.far[l], 0, columns, s.tmp);
                    double[] k = kernelCol[l];
                    double[] f = s.far[l];
                    for (int c = 0; c < columns; c++) {
                        s.out[c] += k[c] * f[c];
                    }
                }
                for (int c = 0; c < columns; c++) {
                    s.out[c] = nearCol[c] * s.band[c] + farCol[c] * s.out[c];
                }
                HeadIO.storeRow(s.out, 0, out, row, columns, s.tmp);
            }
        });
    }

    /**
     * dOut [rows, H*D] -> dBand [rows, H*D] (overwritten); adds the weights' gradients to the gradient block.
     * The far-field gradients come one at a time from {@link #farGradient}, so one scratch buffer serves all.
     */
    public void backward(Parallel pool, int rows, Buf dOut, Buf band, Buf[] farFields, Buf dBand) {
        prepare(pool, rows);
        int columns = heads * headDim;
        int terms = 1 + kernels.length;
        int blocks = (rows + BLOCK - 1) / BLOCK;
        // Per block of rows: Σ_r g⊙band and Σ_r g⊙far_l per column; dBand = near ⊙ g on the way.
        pool.forRange(blocks, (chunk, fromBlock, toBlock) -> {
            Rows s = rows(chunk);
            for (int blk = fromBlock; blk < toBlock; blk++) {
                int base = blk * terms * columns;
                Arrays.fill(partials, base, base + terms * columns, 0.0);
                for (int r = blk * BLOCK; r < Math.min(rows, (blk + 1) * BLOCK); r++) {
                    int row = r * columns;
                    HeadIO.loadRow(dOut, row, s.grad, 0, columns, s.tmp);
                    HeadIO.loadRow(band, row, s.band, 0, columns, s.tmp);
                    for (int c = 0; c < columns; c++) {
                        partials[base + c] += s.grad[c] * s.band[c];
                        s.out[c] = nearCol[c] * s.grad[c];
                    }
                    HeadIO.storeRow(s.out, 0, dBand, row, columns, s.tmp);
                    for (int l = 0; l < kernels.length; l++) {
                        HeadIO.loadRow(farFields[l], row, s.far[l], 0, columns, s.tmp);
                        int at = base + (1 + l) * columns;
                        double[] f = s.far[l];
                        for (int c = 0; c < columns; c++) {
                            partials[at + c] += s.grad[c] * f[c];
                        }
                    }
                }
            }
        });
        // Blocks are summed in order on one thread: the result does not depend on the thread count.
        Arrays.fill(dNearCol, 0.0);
        for (double[] d : dKernelCol) {
            Arrays.fill(d, 0.0);
        }
        for (int blk = 0; blk < blocks; blk++) {
            int base = blk * terms * columns;
            for (int c = 0; c < columns; c++) {
                dNearCol[c] += partials[base + c];
            }
            for (int l = 0; l < kernels.length; l++) {
                int at = base + (1 + l) * columns;
                for (int c = 0; c < columns; c++) {
                    dKernelCol[l][c] += partials[at + c];
                }
            }
        }
        // d far_c = Σ_l kernel_l,c · Σ_r g·far_l ; d kernel_l,c = far_c · Σ_r g·far_l ; complement: d near −= d far.
        for (int c = 0; c < columns; c++) {
            double sFar = 0;
            for (int l = 0; l < kernels.length; l++) {
                sFar += kernelCol[l][c] * dKernelCol[l][c];
                dKernelCol[l][c] *= farCol[c];
            }
            dFarCol[c] = sFar;
            if (farIsComplement) {
                dNearCol[c] -= sFar;
            }
        }
        Buf grads = params.grads();
        near.accumulateGradient(dNearCol, grads);
        if (far != null) {
            far.accumulateGradient(dFarCol, grads);
        }
        for (int l = 0; l < kernels.length; l++) {
            kernels[l].accumulateGradient(dKernelCol[l], grads);
        }
    }

    /** dOut [rows, H*D] -> dFar_l = far ⊙ kernel[l] ⊙ dOut [rows, H*D]. */
    public void farGradient(Parallel pool, int rows, int l, Buf dOut, Buf dFar) {
        prepare(pool, rows);
        int columns = heads * headDim;
        pool.forRange(rows, (chunk, from, to) -> {
            Rows s = rows(chunk);
            for (int r = from; r < to; r++) {
                int row = r * columns;
                HeadIO.loadRow(dOut, row, s.grad, 0, columns, s.tmp);
                for (int c = 0; c < columns; c++) {
                    s.out[c] = farCol[c] * kernelCol[l][c] * s.grad[c];
                }
                HeadIO.storeRow(s.out, 0, dFar, row, columns, s.tmp);
            }
        });
    }

    /** near, far and kernel[l] as expanded for the last forward, one value per column h*D + d (read by {@link BlendProbe}). */
    double[] nearColumns() {
        return nearCol;
    }

    double[] farColumns() {
        return farCol;
    }

    double[] kernelColumns(int l) {
        return kernelCol[l];
    }

    private void expandWeights() {
        Buf values = params.values();
        near.expand(values, nearCol);
        if (far != null) {
            far.expand(values, farCol);
        } else {
            for (int c = 0; c < farCol.length; c++) {
                farCol[c] = 1.0 - nearCol[c]; // complement; unused when there are no kernels
            }
        }
        for (int l = 0; l < kernels.length; l++) {
            kernels[l].expand(values, kernelCol[l]);
        }
    }

    /** One blend weight: a constant or a registered parameter, with its broadcast over the H*D columns. */
    private static final class Weight {
        private final WeightShape shape;
        private final double constant;
        private final Param param; // null when fixed
        private final int heads;
        private final int headDim;
        private final double[] sums; // gradient reduced to this weight's entries, in double before one add each

        Weight(WeightSpec spec, Parameters params, String name, int heads, int headDim) {
            if (spec.shape() == null) {
                throw new IllegalArgumentException(name + ": shape is required");
            }
            this.shape = spec.shape();
            this.constant = spec.init();
            this.heads = heads;
            this.headDim = headDim;
            int[] dims = switch (shape) {
                case scalar -> new int[] {1};
                case per_head -> new int[] {heads};
                case per_head_dim -> new int[] {heads, headDim};
                case complement -> throw new IllegalArgumentException(name + ": complement is only valid for far");
            };
            this.param = spec.learnable() ? params.register(name, Init.constant(spec.init()), false, dims) : null;
            this.sums = new double[heads * headDim];
        }

        /** Index of column c = h*D + d within this weight's entries. */
        private int entry(int c) {
            return switch (shape) {
                case scalar -> 0;
                case per_head -> c / headDim;
                default -> c;
            };
        }

        void expand(Buf values, double[] col) {
            for (int c = 0; c < col.length; c++) {
                col[c] = param == null ? constant : values.get(param.offset() + entry(c));
            }
        }

        /** Adds the per-column gradient, summed down to this weight's shape; fixed weights ignore it. */
        void accumulateGradient(double[] dCol, Buf grads) {
            if (param == null) {
                return;
            }
            int n = param.size();
            Arrays.fill(sums, 0, n, 0.0);
            for (int c = 0; c < dCol.length; c++) {
                sums[entry(c)] += dCol[c];
            }
            for (int e = 0; e < n; e++) {
                grads.add(param.offset() + e, sums[e]);
            }
        }
    }
}
