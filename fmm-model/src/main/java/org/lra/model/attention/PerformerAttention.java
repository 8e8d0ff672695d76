package org.lra.model.attention;

import java.util.Arrays;
import java.util.List;
import org.lra.model.config.PerformerKernel;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Gemm;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Rng;

/**
 * Performer (FAVOR) attention: queries and keys go through M random features, then linear attention
 * {@code out_i = φ(q_i)·(Σ_j φ(k_j) ⊗ v_j) / φ(q_i)·Σ_j φ(k_j)}, O(T·M·D) per head, never T×T.
 *
 * <p>As the reference wraps it (docs/attention-baselines.md): q and k are scaled by D^-¼, k and v are zeroed
 * at padding (a padded key still adds its constant features to the normaliser, as there), and the feature
 * map scales by D^-¼ once more before projecting on W [M, D]:
 * <ul>
 *   <li>{@code exp} (FAVOR+ positive features): φ(x)_j = M^-½ (exp(x̂·w_j − |x̂|²/2 − max) + 1e-4) with
 *       x̂ = D^-¼ x, the max taken per query row, and over the whole head for keys; the max is a constant for
 *       the gradient (detached);</li>
 *   <li>{@code relu}: φ(x)_j = max(0, x̂·w_j) + 1e-3.</li>
 * </ul>
 * W is a block-orthogonal Gaussian matrix with rows rescaled to chi-distributed norms, drawn once per layer
 * from the run's seed and never redrawn (the reference's attention keeps its initial draw for the whole run).
 *
 * <p>Backward recomputes the features per head instead of keeping B·H·T·M numbers: two GEMMs of T·M·D.
 */
public final class PerformerAttention implements Attention {
    /** Random-stream site of the projection (with the seed and the layer index). */
    static final int SITE = 0xFA7;
    /** The constant added to every feature (reference: 1e-4 for exp, 1e-3 for relu). */
    private final double eps;

    private final PerformerKernel kernel;
    private final int features;
    private final int layerIndex;

    /** The projection W [M, D] in double, and the seed it was drawn from (null seed: fixed by the caller). */
    private double[] projection;
    private Long projectionSeed;
    private Buf w;

    private AttentionShape shape;
    private Buf q;
    private Buf k;
    private Buf v;
    private Buf keyMask;
    private final HeadWorkers<Worker> workers = new HeadWorkers<>();

    public PerformerAttention(PerformerKernel kernel, int features, int layerIndex) {
        this(kernel, features, layerIndex, kernel == PerformerKernel.exp ? 1e-4 : 1e-3);
    }

    /**
     * With the feature constant {@code eps}. At eps = 0 the detached max shifts of exp cancel exactly between
     * numerator and normaliser, so the gradient checks can difference the whole function.
     */
    PerformerAttention(PerformerKernel kernel, int features, int layerIndex, double eps) {
        this.eps = eps;
        if (features < 1) {
            throw new IllegalArgumentException("attention.rpDim must be >= 1, got " + features);
        }
        this.kernel = kernel;
        this.features = features;
        this.layerIndex = layerIndex;
    }

    /** Fixes W [M, D] (row-major) instead of drawing it from the seed; golden tests feed the reference's. */
    public void useProjection(double[] projection) {
        if (projection.length % features != 0) {
            throw new IllegalArgumentException("projection has " + projection.length + " values, not M·D for M = "
                    + features);
        }
        this.projection = projection.clone();
        this.projectionSeed = null;
        this.w = null;
    }

    /** Per-thread scratch for one head: features, masked values, context and gradients. */
    private static final class Worker {
        final Buf qf;      // φ(q) [T, M]; backward: d(q̂·w)
        final Buf kf;      // φ(k) [T, M]; backward: d(k̂·w)
        final Buf dphi;    // backward: dφ [T, M] of queries, then of keys
        final Buf vm;      // masked v [T, D]
        final double[] vmRows; // masked v [T, D], on its way into vm
        final Buf num;     // φ(q)·C [T, D]; backward: G = dOut / den
        final Buf context; // C = φ(k)ᵀ vm [M, D]
        final Buf dContext;
        final double[] ksum;
        final double[] dksum;
        final double[] den;
        final double[] mask;
        final double[] diag;   // |x̂|²/2 per row; backward: its gradient, queries
        final double[] kdiag;  // backward: the gradient of |k̂|²/2 per row
        final double[] dden;   // backward: gradient of the normaliser den_i
        final double[] dphiRow; // one row of dφ
        final double[] row;    // one row of M
        final double[] rowD;   // one row of D
        final float[] tmp;

        Worker(Precision precision, int seqLen, int features, int headDim) {
            qf = Buf.zeros(precision, seqLen * features);
            kf = Buf.zeros(precision, seqLen * features);
            dphi = Buf.zeros(precision, seqLen * features);
            vm = Buf.zeros(precision, seqLen * headDim);
            vmRows = new double[seqLen * headDim];
            num = Buf.zeros(precision, seqLen * headDim);
            context = Buf.zeros(precision, features * headDim);
            dContext = Buf.zeros(precision, features * headDim);
            ksum = new double[features];
            dksum = new double[features];
            den = new double[seqLen];
            mask = new double[seqLen];
            diag = new double[seqLen];
            kdiag = new double[seqLen];
            dden = new double[seqLen];
            dphiRow = new double[features];
            row = new double[Math.max(features, headDim)];
            rowD = new double[headDim];
            tmp = new float[Math.max(features, headDim)];
        }
    }

    private void prepare(StepContext ctx, AttentionShape shape, Precision precision) {
        workers.ensure(ctx.pool().threads(), List.of(shape.seqLen(), shape.headDim(), precision),
                () -> new Worker(precision, shape.seqLen(), features, shape.headDim()));
        int headDim = shape.headDim();
        boolean fixed = projection != null && projectionSeed == null;
        if (fixed && projection.length != features * headDim) {
            throw new IllegalArgumentException("projection is " + projection.length / features + " wide, heads are "
                    + headDim);
        }
        if (!fixed && (projection == null || projectionSeed != ctx.seed() || projection.length != features * headDim)) {
            projection = orthogonalGaussian(Rng.key(ctx.seed(), SITE, layerIndex), features, headDim);
            projectionSeed = ctx.seed();
            w = null;
        }
        if (w == null || w.precision() != precision) {
            w = Buf.zeros(precision, features * headDim);
            w.set(0, projection, 0, projection.length);
        }
        this.shape = shape;
    }

    /**
     * M rows of width D: blocks of D orthonormal rows (Gram–Schmidt on Gaussian vectors; the last block cut to
     * what is left), row r then scaled by the norm of a fresh Gaussian D-vector, so that every row has the
     * length distribution of a Gaussian row while rows within a block stay orthogonal.
     */
    static double[] orthogonalGaussian(long key, int rows, int cols) {
        double[] out = new double[rows * cols];
        long draw = 0;
        double[][] block = new double[cols][cols];
        for (int r0 = 0; r0 < rows; r0 += cols) {
            for (int i = 0; i < cols; i++) {
                for (int j = 0; j < cols; j++) {
                    block[i][j] = Rng.normal(key, draw++);
                }
                for (int p = 0; p < i; p++) {       // modified Gram–Schmidt against the rows before
                    double dot = 0;
                    for (int j = 0; j < cols; j++) {
                        dot += block[i][j] * block[p][j];
                    }
                    for (int j = 0; j < cols; j++) {
                        block[i][j] -= dot * block[p][j];
                    }
                }
                double norm = 0;
                for (int j = 0; j < cols; j++) {
                    norm += block[i][j] * block[i][j];
                }
                norm = Math.sqrt(norm);
                for (int j = 0; j < cols; j++) {
                    block[i][j] /= norm;
                }
            }
            for (int i = 0; i < cols && r0 + i < rows; i++) {
                System.arraycopy(block[i], 0, out, (r0 + i) * cols, cols);
            }
        }
        for (int r = 0; r < rows; r++) {
            double sq = 0;
            for (int j = 0; j < cols; j++) {
                double g = Rng.normal(key, draw++);
                sq += g * g;
            }
            double scale = Math.sqrt(sq);
            for (int j = 0; j < cols; j++) {
                out[r * cols + j] *= scale;
            }
        }
        return out;
    }

    /** q, k, v [B*T, H*D], keyMask [B*T] -> out [B*T, H*D]. */
    @Override
    public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out) {
        prepare(ctx, shape, q.precision());
        this.q = q;
        this.k = k;
        this.v = v;
        this.keyMask = keyMask;
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        workers.forEachHead(ctx, shape, (wk, bh) -> {
            int b = bh / heads;
            int off = shape.headOffset(bh);
            headFeatures(wk, b, off);
            // out_i = φ(q_i)·C / den_i
            Gemm.gemm(false, false, seqLen, headDim, features, 1.0, wk.qf, 0, features, wk.context, 0, headDim,
                    0.0, wk.num, 0, headDim);
            for (int i = 0; i < seqLen; i++) {
                HeadIO.loadRow(wk.num, i * headDim, wk.rowD, 0, headDim, wk.tmp);
                double inv = 1.0 / wk.den[i];
                for (int d = 0; d < headDim; d++) {
                    wk.rowD[d] *= inv;
                }
                HeadIO.storeRow(wk.rowD, 0, out, (b * seqLen + i) * width + off % width, headDim, wk.tmp);
            }
        });
    }

    /**
     * One head's forward up to the context: wk.qf = φ(q) [T, M], wk.kf = φ(k) [T, M], wk.vm = masked v,
     * wk.ksum = Σ_j φ(k_j), wk.context = φ(k)ᵀ vm [M, D], wk.den_i = φ(q_i)·ksum, wk.mask.
     */
    private void headFeatures(Worker wk, int b, int off) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        int width = shape.width();
        double scale = Math.pow(headDim, -0.5); // D^-¼ of the wrapper times D^-¼ of the feature map
        HeadIO.loadMask(keyMask, b, seqLen, wk.mask);
        // x̂·w for queries and keys: [T, M] = scale · x [T, D] Wᵀ
        Gemm.gemm(false, true, seqLen, features, headDim, scale, q, off, width, w, 0, headDim, 0.0, wk.qf, 0,
                features);
        Gemm.gemm(false, true, seqLen, features, headDim, scale, k, off, width, w, 0, headDim, 0.0, wk.kf, 0,
                features);
        if (kernel == PerformerKernel.exp) {
            halfSquaredNorms(q, off, null, scale, wk);
            expFeatures(wk.qf, wk, false, Double.NaN);
            halfSquaredNorms(k, off, wk.mask, scale, wk);
            expFeatures(wk.kf, wk, true, maskedMax(wk));
        } else {
            reluFeatures(wk.qf, wk, false);
            reluFeatures(wk.kf, wk, true);
        }
        Arrays.fill(wk.ksum, 0.0);
        for (int j = 0; j < seqLen; j++) {
            HeadIO.loadRow(wk.kf, j * features, wk.row, 0, features, wk.tmp);
            for (int m = 0; m < features; m++) {
                wk.ksum[m] += wk.row[m];
            }
        }
        HeadIO.loadHeadPacked(v, off, width, seqLen, headDim, 1.0, wk.mask, wk.vmRows);
        wk.vm.set(0, wk.vmRows, 0, seqLen * headDim);
        // C [M, D] = φ(k)ᵀ vm
        Gemm.gemm(true, false, features, headDim, seqLen, 1.0, wk.kf, 0, features, wk.vm, 0, headDim, 0.0,
                wk.context, 0, headDim);
        for (int i = 0; i < seqLen; i++) {
            HeadIO.loadRow(wk.qf, i * features, wk.row, 0, features, wk.tmp);
            double den = 0;
            for (int m = 0; m < features; m++) {
                den += wk.row[m] * wk.ksum[m];
            }
            wk.den[i] = den;
        }
    }

    /** diag_i = |scale·x_i|²/2 (times mask_i: a padded key is zeroed first); keys pass their mask. */
    private void halfSquaredNorms(Buf x, int off, double[] mask, double scale, Worker wk) {
        int headDim = shape.headDim();
        int width = shape.width();
        int row0 = off - off % width;
        for (int i = 0; i < shape.seqLen(); i++) {
            HeadIO.loadRow(x, row0 + i * width + off % width, wk.rowD, 0, headDim, wk.tmp);
            double sq = 0;
            for (int d = 0; d < headDim; d++) {
                sq += wk.rowD[d] * wk.rowD[d];
            }
            wk.diag[i] = 0.5 * scale * scale * sq * (mask == null ? 1.0 : mask[i]);
        }
    }

    /** The largest projection of a (masked) key over the head: masked rows project to 0. */
    private double maskedMax(Worker wk) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < shape.seqLen(); i++) {
            HeadIO.loadRow(wk.kf, i * features, wk.row, 0, features, wk.tmp);
            for (int m = 0; m < features; m++) {
                max = Math.max(max, wk.row[m] * wk.mask[i]);
            }
        }
        return max;
    }

    /**
     * In place on [T, M] projections p: φ = M^-½ (exp(p − diag_i − max) + 1e-4); queries use their row max,
     * keys the head's max {@code keyMax}, and a key's projection is masked first.
     */
    private void expFeatures(Buf p, Worker wk, boolean keys, double keyMax) {
        double ratio = 1.0 / Math.sqrt(features);
        for (int i = 0; i < shape.seqLen(); i++) {
            HeadIO.loadRow(p, i * features, wk.row, 0, features, wk.tmp);
            double m = keys ? wk.mask[i] : 1.0;
            double max = keyMax;
            if (!keys) {
                max = Double.NEGATIVE_INFINITY;
                for (int j = 0; j < features; j++) {
                    max = Math.max(max, wk.row[j]);
                }
            }
            for (int j = 0; j < features; j++) {
                double arg = wk.row[j] * m - wk.diag[i] - max;
                wk.row[j] = ratio * (Math.exp(arg) + eps);
            }
            HeadIO.storeRow(wk.row, 0, p, i * features, features, wk.tmp);
        }
    }

    /** In place on [T, M] projections p: φ = max(0, p) + 1e-3, a key's projection masked first. */
    private void reluFeatures(Buf p, Worker wk, boolean keys) {
        for (int i = 0; i < shape.seqLen(); i++) {
            HeadIO.loadRow(p, i * features, wk.row, 0, features, wk.tmp);
            double m = keys ? wk.mask[i] : 1.0;
            for (int j = 0; j < features; j++) {
                wk.row[j] = Math.max(0.0, wk.row[j] * m) + eps;
            }
            HeadIO.storeRow(wk.row, 0, p, i * features, features, wk.tmp);
        }
    }

    /** dOut [B*T, H*D] -> dq, dk, dv [B*T, H*D], overwritten. */
    @Override
    public void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv) {
        if (shape == null) {
            throw new IllegalStateException("performer backward needs a forward first");
        }
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        double scale = Math.pow(headDim, -0.5);
        workers.forEachHead(ctx, shape, (wk, bh) -> {
            int b = bh / heads;
            int off = shape.headOffset(bh);
            int col = off % width;
            headFeatures(wk, b, off);
            // num = φ(q)·C; G_i = dOut_i / den_i; dden_i = −G_i·num_i / den_i
            Gemm.gemm(false, false, seqLen, headDim, features, 1.0, wk.qf, 0, features, wk.context, 0, headDim,
                    0.0, wk.num, 0, headDim);
            for (int i = 0; i < seqLen; i++) {
                HeadIO.loadRow(dOut, (b * seqLen + i) * width + col, wk.rowD, 0, headDim, wk.tmp);
                HeadIO.loadRow(wk.num, i * headDim, wk.row, 0, headDim, wk.tmp);
                double inv = 1.0 / wk.den[i];
                double dot = 0;
                for (int d = 0; d < headDim; d++) {
                    wk.rowD[d] *= inv;
                    dot += wk.rowD[d] * wk.row[d];
                }
                wk.dden[i] = -dot * inv;
                HeadIO.storeRow(wk.rowD, 0, wk.num, i * headDim, headDim, wk.tmp);
            }
            // dC [M, D] = φ(q)ᵀ G; dksum = Σ_i dden_i φ(q_i)
            Gemm.gemm(true, false, features, headDim, seqLen, 1.0, wk.qf, 0, features, wk.num, 0, headDim, 0.0,
                    wk.dContext, 0, headDim);
            Arrays.fill(wk.dksum, 0.0);
            for (int i = 0; i < seqLen; i++) {
                HeadIO.loadRow(wk.qf, i * features, wk.row, 0, features, wk.tmp);
                for (int m = 0; m < features; m++) {
                    wk.dksum[m] += wk.dden[i] * wk.row[m];
                }
            }
            // dvm [T, D] = φ(k) dC, masked into dv
            Gemm.gemm(false, false, seqLen, headDim, features, 1.0, wk.kf, 0, features, wk.dContext, 0, headDim,
                    0.0, dv, off, width);
            // dφ(q) = G Cᵀ + dden ⊗ ksum, then through the feature map (in place on qf)
            featureGrad(wk.qf, wk.num, wk.context, wk.dden, wk.ksum, false, wk.diag, wk);
            // dφ(k) = vm dCᵀ + 1 ⊗ dksum, then through the feature map (in place on kf)
            featureGrad(wk.kf, wk.vm, wk.dContext, null, wk.dksum, true, wk.kdiag, wk);
            // dx = scale · d(x̂·w) W + (exp) scale · dDiag_i x_i, masked for keys and values
            inputGrad(wk.qf, q, dq, off, scale, null, wk.diag, wk);
            inputGrad(wk.kf, k, dk, off, scale, wk.mask, wk.kdiag, wk);
            for (int i = 0; i < seqLen; i++) {
                if (wk.mask[i] == 0.0) {
                    dv.fill((b * seqLen + i) * width + col, (b * seqLen + i) * width + col + headDim, 0.0);
                }
            }
        });
    }

    /**
     * In place on φ [T, M]: φ ← d(x̂·w), the gradient of the projections, from dφ = left [T, D] · rightᵀ [D, M]
     * + rowScale_i · add (rowScale null: 1). dDiag_i gets the gradient of the |x̂_i|²/2 term (exp; 0 for relu).
     */
    private void featureGrad(Buf phi, Buf left, Buf right, double[] rowScale, double[] add, boolean keys,
                             double[] dDiag, Worker wk) {
        int seqLen = shape.seqLen();
        double ratio = 1.0 / Math.sqrt(features);
        // relu: a feature at the floor (the constant as stored, float32-rounded in a float run) had p <= 0
        double floor = phi.precision() == Precision.FLOAT32 ? (float) eps : eps;
        Gemm.gemm(false, true, seqLen, features, shape.headDim(), 1.0, left, 0, shape.headDim(), right, 0,
                shape.headDim(), 0.0, wk.dphi, 0, features);
        double[] dphi = wk.dphiRow;
        for (int i = 0; i < seqLen; i++) {
            HeadIO.loadRow(wk.dphi, i * features, dphi, 0, features, wk.tmp);
            HeadIO.loadRow(phi, i * features, wk.row, 0, features, wk.tmp);
            double scaleAdd = rowScale == null ? 1.0 : rowScale[i];
            double m = keys ? wk.mask[i] : 1.0;
            double diag = 0;
            for (int j = 0; j < features; j++) {
                double g = dphi[j] + scaleAdd * add[j];
                // exp: dφ/dp = φ − M^-½·1e-4 (the exponential itself); relu: 1 where the projection was positive
                double dp = kernel == PerformerKernel.exp
                        ? g * (wk.row[j] - ratio * eps)
                        : (wk.row[j] > floor ? g : 0.0);
                diag -= dp;
                wk.row[j] = dp * m;
            }
            dDiag[i] = kernel == PerformerKernel.exp ? diag * m : 0.0;
            HeadIO.storeRow(wk.row, 0, phi, i * features, features, wk.tmp);
        }
    }

    /** dx [T, D] at off = scale · dP W + scale² · dDiag_i · x_i (then masked when {@code mask}). */
    private void inputGrad(Buf dp, Buf x, Buf dx, int off, double scale, double[] mask, double[] dDiag,
                           Worker wk) {
        int headDim = shape.headDim();
        int width = shape.width();
        Gemm.gemm(false, false, shape.seqLen(), headDim, features, scale, dp, 0, features, w, 0, headDim, 0.0, dx,
                off, width);
        for (int i = 0; i < shape.seqLen(); i++) {
            int at = off + i * width;
            HeadIO.loadRow(dx, at, wk.row, 0, headDim, wk.tmp);
            HeadIO.loadRow(x, at, wk.rowD, 0, headDim, wk.tmp);
            double m = mask == null ? 1.0 : mask[i];
            for (int d = 0; d < headDim; d++) {
                wk.row[d] = (wk.row[d] + scale * scale * dDiag[i] * wk.rowD[d]) * m;
            }
            HeadIO.storeRow(wk.row, 0, dx, at, headDim, wk.tmp);
        }
    }
}
