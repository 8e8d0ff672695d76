package org.lra.model.attention;

import java.util.Optional;
import java.util.Arrays;
import java.util.List;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Gemm;
import org.lra.model.tensor.Init;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/**
 * Linformer attention (Wang et al. 2020) as the LRA reference harness computes it, in O(T·k) per head.
 *
 * <p>One learned projection E [H, k, L] (L = the longest padded sequence, the position table's size) is
 * shared by every layer of the model, as in the reference where it is a class-level parameter: one tensor
 * for the whole model, initialised N(0, 0.02²), registered by layer 0 as {@code linformer.E} and looked up by
 * the others. A sequence of T ≤ L tokens uses its first T columns. Per (batch, head):
 * <pre>
 *   K' = E_h (k ⊙ mask)   [k, D]      V' = E_h (v ⊙ mask)   [k, D]
 *   out = softmax(q K'ᵀ / √D) V'       (softmax over the k projected keys, no mask, no dropout)
 * </pre>
 * Backward runs per (batch, head) for dq, dk, dv, keeping dK' and dV' [B·H, k, D]; then dE is summed over
 * the batch in a second pass split over E's rows, so that no two threads add into the same numbers.
 */
public final class LinformerAttention implements Attention {
    /** The model-wide parameter name of E. */
    static final String PROJECTION = "linformer.E";

    private final int projected;   // k
    private final int maxLength;   // L, E's columns
    private final Parameters params;
    private final Param projection; // E [H, k, L]

    private AttentionShape shape;
    private Buf q;
    private Buf keyMask;
    private Buf maskedK;   // k ⊙ mask [B*T, H*D]
    private Buf maskedV;   // v ⊙ mask [B*T, H*D]
    private Buf projKeys;      // K' [BH, k, D]
    private Buf projValues;    // V' [BH, k, D]
    private Buf probs;     // P [BH, T, k]
    private Buf dKeys;     // dK' [BH, k, D] (backward)
    private Buf dValues;   // dV' [BH, k, D] (backward)
    private final HeadWorkers<Worker> workers = new HeadWorkers<>();

    /**
     * @param projected k, rows of E
     * @param maxLength L, columns of E: the longest sequence the model takes
     */
    public LinformerAttention(int projected, int maxLength, Parameters params, int heads) {
        lengthProblem(projected, new AttentionLength(maxLength, "the longest sequence")).ifPresent(problem -> {
            throw new IllegalArgumentException("attention.linformerK " + problem);
        });
        this.projected = projected;
        this.maxLength = maxLength;
        this.params = params;
        this.projection = shared(params, heads, projected, maxLength);
    }

    /** E of the model: registered by the first layer that asks, the same tensor for the others. */
    private static Param shared(Parameters params, int heads, int projected, int maxLength) {
        for (Param p : params.list()) {
            if (p.name().equals(PROJECTION)) {
                if (!Arrays.equals(p.shape(), new int[] {heads, projected, maxLength})) {
                    throw new IllegalArgumentException("every linformer layer must share E's shape "
                            + Arrays.toString(p.shape()));
                }
                return p;
            }
        }
        return params.register(PROJECTION, Init.normal(0.02), true, heads, projected, maxLength);
    }

    /** Per-thread scratch. */
    private static final class Worker {
        final Buf grad;   // dP, then dS [T, k]
        final Buf dProj;  // E_hᵀ dK' (or dV') [T, D]
        final double[] row;
        final double[] grow;
        final double[] ones;

        Worker(Precision precision, int seqLen, int k, int headDim) {
            grad = Buf.zeros(precision, seqLen * k);
            dProj = Buf.zeros(precision, seqLen * headDim);
            row = new double[Math.max(k, headDim)];
            grow = new double[Math.max(k, headDim)];
            ones = new double[k];
            Arrays.fill(ones, 1.0);
        }
    }

    /** Linformer's length rule: E projects the L = longest positions to k rows, 1 <= k <= L. */
    static Optional<String> lengthProblem(int projected, AttentionLength longest) {
        return projected < 1 || projected > longest.tokens()
                ? Optional.of("must be in [1, " + longest.name() + "] = [1, " + longest.tokens() + "], got " + projected)
                : Optional.empty();
    }

    private void prepare(StepContext ctx, AttentionShape shape, Precision precision) {
        if (shape.seqLen() > maxLength) {
            throw new IllegalArgumentException("linformer: sequence length " + shape.seqLen()
                    + " exceeds E's " + maxLength + " columns");
        }
        workers.ensure(ctx.pool().threads(), List.of(shape, precision),
                () -> new Worker(precision, shape.seqLen(), projected, shape.headDim()));
        int bh = shape.batch() * shape.heads();
        int kd = bh * projected * shape.headDim();
        maskedK = Buf.ensure(maskedK, precision, shape.rows() * shape.width());
        maskedV = Buf.ensure(maskedV, precision, shape.rows() * shape.width());
        projKeys = Buf.ensure(projKeys, precision, kd);
        projValues = Buf.ensure(projValues, precision, kd);
        dKeys = Buf.ensure(dKeys, precision, kd);
        dValues = Buf.ensure(dValues, precision, kd);
        probs = Buf.ensure(probs, precision, bh * shape.seqLen() * projected);
        this.shape = shape;
    }

    /** q, k, v [B*T, H*D], keyMask [B*T] -> out [B*T, H*D]. */
    @Override
    public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out) {
        Precision precision = q.precision();
        prepare(ctx, shape, precision);
        this.q = q;
        this.keyMask = keyMask;
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        double scale = 1.0 / Math.sqrt(headDim);
        boolean f32 = precision == Precision.FLOAT32;
        Buf e = params.values();
        maskRows(ctx, shape, keyMask, k, maskedK, v, maskedV);
        workers.forEachHead(ctx, shape, (w, bh) -> {
            int off = shape.headOffset(bh);
            int eOff = projectionOffset(bh % heads);
            int kdOff = projectedOffset(bh);
            int pOff = probsOffset(bh);
            // K' = E_h[:, :T] (k ⊙ mask), V' likewise [k, D]
            Gemm.gemm(false, false, projected, headDim, seqLen, 1.0, e, eOff, maxLength, maskedK, off, width,
                    0.0, projKeys, kdOff, headDim);
            Gemm.gemm(false, false, projected, headDim, seqLen, 1.0, e, eOff, maxLength, maskedV, off, width,
                    0.0, projValues, kdOff, headDim);
            // P = softmax(q K'ᵀ / √D) [T, k]; out = P V'
            Gemm.gemm(false, true, seqLen, projected, headDim, 1.0, q, off, width, projKeys, kdOff, headDim,
                    0.0, probs, pOff, projected);
            MaskedSoftmax.forwardRows(probs, pOff, seqLen, projected, scale, w.ones, w.row, f32);
            Gemm.gemm(false, false, seqLen, headDim, projected, 1.0, probs, pOff, projected, projValues, kdOff,
                    headDim, 0.0, out, off, width);
        });
    }

    /** Where head h's E_h [k, maxLength] starts in the parameter block (and its gradient in the gradient block). */
    private int projectionOffset(int h) {
        return projection.offset() + h * projected * maxLength;
    }

    /** Where head bh's projected keys and values K', V' [k, D] (and their gradients) start. */
    private int projectedOffset(int bh) {
        return bh * projected * shape.headDim();
    }

    /** Where head bh's probabilities P [T, k] start. */
    private int probsOffset(int bh) {
        return bh * shape.seqLen() * projected;
    }

    /** a' = a ⊙ keyMask and b' = b ⊙ keyMask, whole [B*T, H*D] rows: padding tokens' rows become 0 (a' may be a). */
    private static void maskRows(StepContext ctx, AttentionShape shape, Buf keyMask, Buf a, Buf aOut, Buf b,
                                 Buf bOut) {
        int seqLen = shape.seqLen();
        int width = shape.width();
        ctx.pool().forRange(shape.batch(), (chunk, from, to) -> {
            double[] row = new double[width];
            for (int s = from; s < to; s++) {
                for (int t = 0; t < seqLen; t++) {
                    int at = (s * seqLen + t) * width;
                    double m = keyMask.get(s * seqLen + t);
                    maskRow(a, aOut, at, width, m, row);
                    maskRow(b, bOut, at, width, m, row);
                }
            }
        });
    }

    private static void maskRow(Buf src, Buf dst, int at, int width, double mask, double[] row) {
        src.get(at, row, 0, width);
        for (int c = 0; c < width; c++) {
            row[c] *= mask;
        }
        dst.set(at, row, 0, width);
    }

    @Override
    public void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv) {
        if (shape == null) {
            throw new IllegalStateException("linformer backward needs a forward first");
        }
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        double scale = 1.0 / Math.sqrt(headDim);
        Buf e = params.values();
        workers.forEachHead(ctx, shape, (w, bh) -> {
            int off = shape.headOffset(bh);
            int kdOff = projectedOffset(bh);
            int pOff = probsOffset(bh);
            // out = P V': dP = dOut V'ᵀ [T, k]; dV' = Pᵀ dOut [k, D]
            Gemm.gemm(false, true, seqLen, projected, headDim, 1.0, dOut, off, width, projValues, kdOff, headDim,
                    0.0, w.grad, 0, projected);
            Gemm.gemm(true, false, projected, headDim, seqLen, 1.0, probs, pOff, projected, dOut, off, width,
                    0.0, dValues, kdOff, headDim);
            MaskedSoftmax.backwardRows(probs, pOff, w.grad, 0, seqLen, projected, w.row, w.grow);
            // S = q K'ᵀ/√D: dq = dS K'/√D; dK' = dSᵀ q/√D
            Gemm.gemm(false, false, seqLen, headDim, projected, scale, w.grad, 0, projected, projKeys, kdOff, headDim,
                    0.0, dq, off, width);
            Gemm.gemm(true, false, projected, headDim, seqLen, scale, w.grad, 0, projected, q, off, width,
                    0.0, dKeys, kdOff, headDim);
            // K' = E_h (k ⊙ mask): dk = (E_hᵀ dK') ⊙ mask; likewise dv
            int eOff = projectionOffset(bh % heads);
            Gemm.gemm(true, false, seqLen, headDim, projected, 1.0, e, eOff, maxLength, dKeys, kdOff, headDim,
                    0.0, dk, off, width);
            Gemm.gemm(true, false, seqLen, headDim, projected, 1.0, e, eOff, maxLength, dValues, kdOff, headDim,
                    0.0, dv, off, width);
        });
        // mask the key and value gradients: rows of padding tokens get nothing
        maskRows(ctx, shape, keyMask, dk, dk, dv, dv);
        // dE_h[:, :T] += Σ_b dK'_bh (k ⊙ mask)_bhᵀ + dV'_bh (v ⊙ mask)_bhᵀ, split over E's rows
        Buf grads = params.grads();
        ctx.pool().forRange(heads * projected, (chunk, from, to) -> {
            for (int r0 = from; r0 < to; ) {
                int h = r0 / projected;
                int r1 = Math.min(to, (h + 1) * projected);
                int rows = r1 - r0;
                int gOff = projectionOffset(h) + (r0 - h * projected) * maxLength;
                for (int b = 0; b < shape.batch(); b++) {
                    int bh = b * heads + h;
                    int off = shape.headOffset(bh);
                    int kdOff = projectedOffset(bh) + (r0 - h * projected) * headDim;
                    Gemm.gemm(false, true, rows, seqLen, headDim, 1.0, dKeys, kdOff, headDim, maskedK, off, width,
                            1.0, grads, gOff, maxLength);
                    Gemm.gemm(false, true, rows, seqLen, headDim, 1.0, dValues, kdOff, headDim, maskedV, off, width,
                            1.0, grads, gOff, maxLength);
                }
                r0 = r1;
            }
        });
    }
}
