package org.lra.model.attention;

import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Gemm;
import org.lra.model.tensor.Precision;

/**
 * One far-field term: linear attention with one feature map φ. {@link LinearAttention} is one of these;
 * {@link FmmAttention} sums several.
 *
 * <p>Unnormalised (reference LRA code, §1.2/§1.3): with N the padded length T,
 * <pre>  out = (φ(Q)/N^¼) · ((φ(K)∘m/N^¼)ᵀ (V∘m))</pre>
 * Normalised (Katharopoulos et al.): {@code out_i = φ(q_i)ᵀ S / (φ(q_i)ᵀ z + 1e-6)} with
 * {@code S = Σ_j m_j φ(k_j) v_jᵀ}, {@code z = Σ_j m_j φ(k_j)}; no N^¼ scaling (it would only rescale eps).
 * Causal: the sums run over j ≤ i.
 *
 * <p>Two observations keep this to one code path:
 * <ul>
 * <li>Masking V is enough: K'ᵀV' = Σ_j m_j² φ(k_j) v_jᵀ = Σ_j φ(k_j) (m_j v_j), and the gradient of φ(k_j)
 *     is a multiple of m_j v_j, so padded keys get none either.</li>
 * <li>The normalised form is the unnormalised one with V widened by the column m (E = D + 1 columns per
 *     head): that column of the product is the denominator. Forward divides, backward turns dOut into the
 *     gradient of the widened product, and the same GEMMs do the rest.</li>
 * </ul>
 * The non-causal product is two GEMMs per (batch, head), O(T·D·E). The causal one walks chunks of
 * {@link #CHUNK} rows: earlier chunks act through the running state S [D, E], the chunk itself through a
 * lower-triangular [C, C] block, so it stays O(T·(C + D)·E).
 */
public final class FarField {
    /** Rows per causal chunk: large enough for efficient GEMMs, small against T. */
    static final int CHUNK = 64;
    /** Denominator guard of the normalised form (Katharopoulos et al.). */
    static final double EPS = 1e-6;

    private final FeatureMap map;
    private final boolean normalized;
    private final boolean causal;

    private AttentionShape shape;
    private Buf keyMask;
    private int valueWidth;  // E: D, or D + 1 with the mask column
    private double alpha;    // product scale: 1/√N unnormalised (N^-¼ on each side), 1 normalised
    private Buf phiQ;        // φ(q) [B*T, H*D]
    private Buf phiK;        // φ(k) [B*T, H*D]
    private Buf values;      // v∘m (| m) [B*T, H*E]
    private Buf product;     // normalised only: numerator | denominator - eps [B*T, H*E]
    private Buf out;         // normalised only: the caller's output, read by backward
    private Buf states;      // non-causal S = α φ(K)ᵀ V' [B*H, D, E]
    private Buf gradProduct; // normalised only: [B*T, H*E]
    private Buf gradPhiQ;
    private Buf gradPhiK;
    private Buf gradValues;
    private Worker[] workers;

    public FarField(FeatureMap map, boolean normalized, boolean causal) {
        this.map = map;
        this.normalized = normalized;
        this.causal = causal;
    }

    private static final class Worker {
        final Buf state;     // [D, E]: running S (causal) or dS
        final Buf reverse;   // [D, E]: causal backward's suffix state R
        final Buf block;     // [C, C]: one chunk's triangular block

        Worker(Precision precision, int headDim, int valueWidth) {
            state = Buf.zeros(precision, headDim * valueWidth);
            reverse = Buf.zeros(precision, headDim * valueWidth);
            block = Buf.zeros(precision, CHUNK * CHUNK);
        }
    }

    private void prepare(StepContext ctx, AttentionShape shape, Precision precision) {
        int rows = shape.rows();
        int heads = shape.heads();
        int headDim = shape.headDim();
        valueWidth = normalized ? headDim + 1 : headDim;
        int featureSize = rows * shape.width();
        int valueSize = rows * heads * valueWidth;
        phiQ = Buf.ensure(phiQ, precision, featureSize);
        phiK = Buf.ensure(phiK, precision, featureSize);
        values = Buf.ensure(values, precision, valueSize);
        gradPhiQ = Buf.ensure(gradPhiQ, precision, featureSize);
        gradPhiK = Buf.ensure(gradPhiK, precision, featureSize);
        gradValues = Buf.ensure(gradValues, precision, valueSize);
        if (normalized) {
            product = Buf.ensure(product, precision, valueSize);
            gradProduct = Buf.ensure(gradProduct, precision, valueSize);
        }
        if (!causal) {
            states = Buf.ensure(states, precision, shape.batch() * heads * headDim * valueWidth);
        }
        int threads = ctx.pool().threads();
        if (workers == null || workers.length < threads || workers[0].state.precision() != precision
                || workers[0].state.length() < headDim * valueWidth) {
            workers = new Worker[threads];
            for (int w = 0; w < threads; w++) {
                workers[w] = new Worker(precision, headDim, valueWidth);
            }
        }
        this.shape = shape;
        this.alpha = normalized ? 1.0 : 1.0 / Math.sqrt(shape.seqLen());
    }

    /** q, k, v [B*T, H*D], keyMask [B*T] -> out [B*T, H*D]; keeps φ(q), φ(k), v∘m for backward. */
    public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out) {
        prepare(ctx, shape, q.precision());
        this.keyMask = keyMask;
        this.out = out;
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        int valueWidth = this.valueWidth;
        ctx.pool().forRange(shape.rows(), (chunk, from, to) -> {
            for (int r = from; r < to; r++) {
                double m = keyMask.get(r);
                for (int c = r * width; c < (r + 1) * width; c++) {
                    phiQ.set(c, map.value(q.get(c)));
                    phiK.set(c, map.value(k.get(c)));
                }
                for (int h = 0; h < heads; h++) {
                    int src = r * width + h * headDim;
                    int dst = (r * heads + h) * valueWidth;
                    for (int d = 0; d < headDim; d++) {
                        values.set(dst + d, v.get(src + d) * m);
                    }
                    if (normalized) {
                        values.set(dst + headDim, m);
                    }
                }
            }
        });
        Buf target = normalized ? product : out;
        int targetWidth = normalized ? heads * valueWidth : width;
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            for (int bh = from; bh < to; bh++) {
                if (causal) {
                    causalProduct(workers[chunk], bh, target, targetWidth);
                } else {
                    fullProduct(bh, target, targetWidth);
                }
            }
        });
        if (normalized) {
            ctx.pool().forRange(shape.rows(), (chunk, from, to) -> {
                for (int r = from; r < to; r++) {
                    for (int h = 0; h < heads; h++) {
                        int p = (r * heads + h) * valueWidth;
                        double inv = 1.0 / (product.get(p + headDim) + EPS);
                        for (int d = 0; d < headDim; d++) {
                            out.set(r * width + h * headDim + d, product.get(p + d) * inv);
                        }
                    }
                }
            });
        }
    }

    /** Offsets of head bh's first row in the feature ([B*T, H*D]) and value ([B*T, H*E]) layouts. */
    private int featureOffset(int bh) {
        int heads = shape.heads();
        return (bh / heads) * shape.seqLen() * shape.width() + (bh % heads) * shape.headDim();
    }

    private int valueOffset(int bh) {
        int heads = shape.heads();
        return ((bh / heads) * shape.seqLen() * heads + bh % heads) * valueWidth;
    }

    /** S_bh = α φ(K)ᵀ V' [D, E]; target_bh = φ(Q) S_bh [T, E]. */
    private void fullProduct(int bh, Buf target, int targetWidth) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        int width = shape.width();
        int valuesWidth = shape.heads() * valueWidth;
        int f = featureOffset(bh);
        int vo = valueOffset(bh);
        int so = bh * headDim * valueWidth;
        int to = normalized ? vo : f;
        Gemm.gemm(true, false, headDim, valueWidth, seqLen, alpha, phiK, f, width, values, vo, valuesWidth,
                0.0, states, so, valueWidth);
        Gemm.gemm(false, false, seqLen, valueWidth, headDim, 1.0, phiQ, f, width, states, so, valueWidth,
                0.0, target, to, targetWidth);
    }

    /** Causal target_bh, chunk by chunk: earlier chunks through the running state, the chunk itself through a triangle. */
    private void causalProduct(Worker w, int bh, Buf target, int targetWidth) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        int width = shape.width();
        int valuesWidth = shape.heads() * valueWidth;
        w.state.fill(0, headDim * valueWidth, 0.0);
        for (int t0 = 0; t0 < seqLen; t0 += CHUNK) {
            int n = Math.min(CHUNK, seqLen - t0);
            int f = featureOffset(bh) + t0 * width;
            int vo = valueOffset(bh) + t0 * valuesWidth;
            int to = (normalized ? valueOffset(bh) : featureOffset(bh)) + t0 * targetWidth;
            // earlier chunks: target_c = φ(Q_c) S
            Gemm.gemm(false, false, n, valueWidth, headDim, 1.0, phiQ, f, width, w.state, 0, valueWidth,
                    0.0, target, to, targetWidth);
            // this chunk: target_c += tril(α φ(Q_c) φ(K_c)ᵀ) V'_c
            Gemm.gemm(false, true, n, n, headDim, alpha, phiQ, f, width, phiK, f, width, 0.0, w.block, 0, CHUNK);
            zeroAboveDiagonal(w.block, n);
            Gemm.gemm(false, false, n, valueWidth, n, 1.0, w.block, 0, CHUNK, values, vo, valuesWidth,
                    1.0, target, to, targetWidth);
            // S += α φ(K_c)ᵀ V'_c
            Gemm.gemm(true, false, headDim, valueWidth, n, alpha, phiK, f, width, values, vo, valuesWidth,
                    1.0, w.state, 0, valueWidth);
        }
    }

    /** Keeps entries (i, j) with j ≤ i of an n×n block stored with row stride CHUNK. */
    private static void zeroAboveDiagonal(Buf block, int n) {
        for (int i = 0; i < n; i++) {
            block.fill(i * CHUNK + i + 1, i * CHUNK + n, 0.0);
        }
    }

    /** Keeps entries (i, j) with j ≥ i: the transpose pattern, for blocks built as (key, query). */
    private static void zeroBelowDiagonal(Buf block, int n) {
        for (int i = 0; i < n; i++) {
            block.fill(i * CHUNK, i * CHUNK + i, 0.0);
        }
    }

    /** dOut [B*T, H*D] -> dq, dk, dv [B*T, H*D], overwritten or (accumulate) added to. */
    public void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv, boolean accumulate) {
        if (shape == null) {
            throw new IllegalStateException("backward before forward");
        }
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        int valueWidth = this.valueWidth;
        Buf grad = dOut;
        int gradWidth = width;
        if (normalized) {
            // out = num / den with den = num_E + eps: d num = g / den, d num_E = −(g · out) / den.
            ctx.pool().forRange(shape.rows(), (chunk, from, to) -> {
                for (int r = from; r < to; r++) {
                    for (int h = 0; h < heads; h++) {
                        int p = (r * heads + h) * valueWidth;
                        int o = r * width + h * headDim;
                        double inv = 1.0 / (product.get(p + headDim) + EPS);
                        double dot = 0;
                        for (int d = 0; d < headDim; d++) {
                            double g = dOut.get(o + d);
                            dot += g * out.get(o + d);
                            gradProduct.set(p + d, g * inv);
                        }
                        gradProduct.set(p + headDim, -dot * inv);
                    }
                }
            });
            grad = gradProduct;
            gradWidth = heads * valueWidth;
        }
        Buf g = grad;
        int gw = gradWidth;
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            for (int bh = from; bh < to; bh++) {
                if (causal) {
                    causalBackward(workers[chunk], bh, g, gw);
                } else {
                    fullBackward(workers[chunk], bh, g, gw);
                }
            }
        });
        // Through φ and the mask into the caller's gradients.
        ctx.pool().forRange(shape.rows(), (chunk, from, to) -> {
            for (int r = from; r < to; r++) {
                for (int c = r * width; c < (r + 1) * width; c++) {
                    double gq = gradPhiQ.get(c) * map.derivativeFromValue(phiQ.get(c));
                    double gk = gradPhiK.get(c) * map.derivativeFromValue(phiK.get(c));
                    dq.set(c, accumulate ? dq.get(c) + gq : gq);
                    dk.set(c, accumulate ? dk.get(c) + gk : gk);
                }
                double m = keyMask.get(r);
                for (int h = 0; h < heads; h++) {
                    int src = (r * heads + h) * valueWidth;
                    int dst = r * width + h * headDim;
                    for (int d = 0; d < headDim; d++) {
                        double gv = gradValues.get(src + d) * m;
                        dv.set(dst + d, accumulate ? dv.get(dst + d) + gv : gv);
                    }
                }
            }
        });
    }

    /** From G = d target_bh [T, E]: dφ(Q) = G Sᵀ, dS = φ(Q)ᵀ G, dφ(K) = α V' dSᵀ, dV' = α φ(K) dS. */
    private void fullBackward(Worker w, int bh, Buf grad, int gradWidth) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        int width = shape.width();
        int valuesWidth = shape.heads() * valueWidth;
        int f = featureOffset(bh);
        int vo = valueOffset(bh);
        int go = normalized ? vo : f;
        int so = bh * headDim * valueWidth;
        Buf dS = w.state;
        Gemm.gemm(false, true, seqLen, headDim, valueWidth, 1.0, grad, go, gradWidth, states, so, valueWidth,
                0.0, gradPhiQ, f, width);
        Gemm.gemm(true, false, headDim, valueWidth, seqLen, 1.0, phiQ, f, width, grad, go, gradWidth,
                0.0, dS, 0, valueWidth);
        Gemm.gemm(false, true, seqLen, headDim, valueWidth, alpha, values, vo, valuesWidth, dS, 0, valueWidth,
                0.0, gradPhiK, f, width);
        Gemm.gemm(false, false, seqLen, valueWidth, headDim, alpha, phiK, f, width, dS, 0, valueWidth,
                0.0, gradValues, vo, valuesWidth);
    }

    /**
     * Causal backward of target_i = Σ_{j≤i} α (φq_i·φk_j) v'_j, with G = d target:
     * dφq_i = Σ_{j≤i} α (g_i·v'_j) φk_j (forward over chunks, prefix state S),
     * dφk_j = Σ_{i≥j} α (g_i·v'_j) φq_i and dv'_j = Σ_{i≥j} α (φq_i·φk_j) g_i (backward over chunks,
     * suffix state R = α Σ φq_i g_iᵀ).
     */
    private void causalBackward(Worker w, int bh, Buf grad, int gradWidth) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        int width = shape.width();
        int valuesWidth = shape.heads() * valueWidth;
        int stateSize = headDim * valueWidth;
        int f0 = featureOffset(bh);
        int v0 = valueOffset(bh);
        int g0 = normalized ? v0 : f0;
        w.state.fill(0, stateSize, 0.0);
        for (int t0 = 0; t0 < seqLen; t0 += CHUNK) {
            int n = Math.min(CHUNK, seqLen - t0);
            int f = f0 + t0 * width;
            int vo = v0 + t0 * valuesWidth;
            int go = g0 + t0 * gradWidth;
            // dφ(Q_c) = G_c Sᵀ + tril(α G_c V'_cᵀ) φ(K_c)
            Gemm.gemm(false, true, n, headDim, valueWidth, 1.0, grad, go, gradWidth, w.state, 0, valueWidth,
                    0.0, gradPhiQ, f, width);
            Gemm.gemm(false, true, n, n, valueWidth, alpha, grad, go, gradWidth, values, vo, valuesWidth,
                    0.0, w.block, 0, CHUNK);
            zeroAboveDiagonal(w.block, n);
            Gemm.gemm(false, false, n, headDim, n, 1.0, w.block, 0, CHUNK, phiK, f, width,
                    1.0, gradPhiQ, f, width);
            Gemm.gemm(true, false, headDim, valueWidth, n, alpha, phiK, f, width, values, vo, valuesWidth,
                    1.0, w.state, 0, valueWidth);
        }
        w.reverse.fill(0, stateSize, 0.0);
        int lastStart = ((seqLen - 1) / CHUNK) * CHUNK;
        for (int t0 = lastStart; t0 >= 0; t0 -= CHUNK) {
            int n = Math.min(CHUNK, seqLen - t0);
            int f = f0 + t0 * width;
            int vo = v0 + t0 * valuesWidth;
            int go = g0 + t0 * gradWidth;
            // dφ(K_c) = V'_c Rᵀ + (block with (j, i) = α v'_j·g_i, i ≥ j) φ(Q_c)
            Gemm.gemm(false, true, n, headDim, valueWidth, 1.0, values, vo, valuesWidth, w.reverse, 0, valueWidth,
                    0.0, gradPhiK, f, width);
            Gemm.gemm(false, true, n, n, valueWidth, alpha, values, vo, valuesWidth, grad, go, gradWidth,
                    0.0, w.block, 0, CHUNK);
            zeroBelowDiagonal(w.block, n);
            Gemm.gemm(false, false, n, headDim, n, 1.0, w.block, 0, CHUNK, phiQ, f, width,
                    1.0, gradPhiK, f, width);
            // dV'_c = φ(K_c) R + (block with (j, i) = α φk_j·φq_i, i ≥ j) G_c
            Gemm.gemm(false, false, n, valueWidth, headDim, 1.0, phiK, f, width, w.reverse, 0, valueWidth,
                    0.0, gradValues, vo, valuesWidth);
            Gemm.gemm(false, true, n, n, headDim, alpha, phiK, f, width, phiQ, f, width, 0.0, w.block, 0, CHUNK);
            zeroBelowDiagonal(w.block, n);
            Gemm.gemm(false, false, n, valueWidth, n, 1.0, w.block, 0, CHUNK, grad, go, gradWidth,
                    1.0, gradValues, vo, valuesWidth);
            // R += α φ(Q_c)ᵀ G_c
            Gemm.gemm(true, false, headDim, valueWidth, n, alpha, phiQ, f, width, grad, go, gradWidth,
                    1.0, w.reverse, 0, valueWidth);
        }
    }
}
