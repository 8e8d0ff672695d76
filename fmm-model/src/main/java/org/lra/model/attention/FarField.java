package org.lra.model.attention;

import jdk.incubator.vector.FloatVector;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.FloatBuf;
import org.lra.model.tensor.Gemm;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Simd;

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
 * The far field keeps its own buffers head-major, {@code [B*H, T, ·]}: a head's rows are then contiguous,
 * which makes the GEMMs about twice as fast as on the interleaved {@code [B*T, H*D]} layout. Elementwise
 * passes convert between the layouts: in float32 (heads a whole number of SIMD vectors) row by row on the
 * buffers with the Vector API, φ fused in; otherwise (float64) in slabs of {@link #SLAB} rows of double scratch.
 * The non-causal product is two GEMMs per (batch, head), O(T·D·E). The causal one walks chunks of
 * {@link #CHUNK} rows: earlier chunks act through the running state S [D, E], the chunk itself through a
 * lower-triangular [C, C] block, so it stays O(T·(C + D)·E).
 */
public final class FarField {
    /** Rows per causal chunk: large enough for efficient GEMMs, small against T. */
    static final int CHUNK = 64;
    /** Rows per elementwise slab. */
    static final int SLAB = 64;
    /** Denominator guard of the normalised form (Katharopoulos et al.). */
    static final double EPS = 1e-6;

    private final FeatureMap map;
    private final boolean normalized;
    private final boolean causal;

    private AttentionShape shape;
    private Buf keyMask;
    private int valueWidth;  // E: D, or D + 1 with the mask column
    private double alpha;    // product scale: 1/√N unnormalised (N^-¼ on each side), 1 normalised
    // Head-major [B*H, T, ·] buffers of the last forward and of backward.
    private Buf phiQ;        // φ(q) [B*H, T, D]
    private Buf phiK;        // φ(k) [B*H, T, D]
    private Buf values;      // v∘m (| m) [B*H, T, E]
    private Buf product;     // normalised only: numerator | denominator − eps [B*H, T, E]
    private Buf out;         // normalised only: the caller's output, read by backward
    private Buf states;      // non-causal S = α φ(K)ᵀ V' [B*H, D, E]
    private Buf gradProduct; // normalised only: [B*H, T, E]
    private Buf gradPhiQ;    // [B*H, T, D]
    private Buf gradPhiK;    // [B*H, T, D]
    private Buf gradValues;  // [B*H, T, E]
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
        // One slab in the caller's layout [SLAB, H*D] and one head of it in ours [SLAB, D] / [SLAB, E].
        final double[] a;
        final double[] b;
        final double[] c;
        final double[] old; // previous gradient values when accumulating
        final double[] q;
        final double[] k;
        final double[] e;
        final double[] f;
        final double[] mask;
        final float[] tmp;

        Worker(Precision precision, int heads, int headDim, int valueWidth) {
            state = Buf.zeros(precision, headDim * valueWidth);
            reverse = Buf.zeros(precision, headDim * valueWidth);
            block = Buf.zeros(precision, CHUNK * CHUNK);
            a = new double[SLAB * heads * headDim];
            b = new double[SLAB * heads * headDim];
            c = new double[SLAB * heads * headDim];
            old = new double[SLAB * heads * headDim];
            q = new double[SLAB * headDim];
            k = new double[SLAB * headDim];
            e = new double[SLAB * valueWidth];
            f = new double[SLAB * valueWidth];
            mask = new double[SLAB];
            tmp = new float[SLAB * heads * valueWidth];
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
        if (normalized) {
            product = Buf.ensure(product, precision, valueSize);
        }
        if (!causal) {
            states = Buf.ensure(states, precision, shape.batch() * heads * headDim * valueWidth);
        }
        int threads = ctx.pool().threads();
        if (workers == null || workers.length < threads || workers[0].state.precision() != precision
                || workers[0].state.length() != headDim * valueWidth || workers[0].a.length != SLAB * shape.width()) {
            workers = new Worker[threads];
            for (int w = 0; w < threads; w++) {
                workers[w] = new Worker(precision, heads, headDim, valueWidth);
            }
        }
        this.shape = shape;
        this.alpha = normalized ? 1.0 : 1.0 / Math.sqrt(shape.seqLen());
    }

    /** The gradient buffers, allocated by the first backward: an evaluation-only model never has them. */
    private void prepareBackward(Precision precision) {
        int featureSize = shape.rows() * shape.width();
        int valueSize = shape.rows() * shape.heads() * valueWidth;
        gradPhiQ = Buf.ensure(gradPhiQ, precision, featureSize);
        gradPhiK = Buf.ensure(gradPhiK, precision, featureSize);
        gradValues = Buf.ensure(gradValues, precision, valueSize);
        if (normalized) {
            gradProduct = Buf.ensure(gradProduct, precision, valueSize);
        }
    }

    /** A body over the slab of rows [r0, r0 + n) of one sequence, with the thread's scratch. */
    private interface SlabBody {
        void run(Worker w, int r0, int n);
    }

    /** Runs body over all B*T rows in slabs that never cross a sequence boundary, split across threads. */
    private void forSlabs(StepContext ctx, SlabBody body) {
        int seqLen = shape.seqLen();
        ctx.pool().forRange(shape.rows(), (chunk, from, to) -> {
            Worker w = workers[chunk];
            for (int r = from; r < to; ) {
                int end = Math.min(Math.min(to, r + SLAB), (r / seqLen + 1) * seqLen);
                body.run(w, r, end - r);
                r = end;
            }
        });
    }

    /** Row index, in a head-major [B*H, T] layout, of token row r (= b*T + t) in head h. */
    private int headRow(int r, int h) {
        int seqLen = shape.seqLen();
        return ((r / seqLen) * shape.heads() + h) * seqLen + r % seqLen;
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
        boolean simd = vectorised(q);
        if (simd) {
            intoHeadsFloat(ctx, (FloatBuf) q, (FloatBuf) k, (FloatBuf) v, (FloatBuf) keyMask);
        } else {
            forSlabs(ctx, (w, r0, n) -> {
                HeadIO.loadRow(q, r0 * width, w.a, 0, n * width, w.tmp);
                HeadIO.loadRow(k, r0 * width, w.b, 0, n * width, w.tmp);
                HeadIO.loadRow(v, r0 * width, w.c, 0, n * width, w.tmp);
                HeadIO.loadRow(keyMask, r0, w.mask, 0, n, w.tmp);
                for (int h = 0; h < heads; h++) {
                    for (int t = 0; t < n; t++) {
                        int src = t * width + h * headDim;
                        double m = w.mask[t];
                        System.arraycopy(w.a, src, w.q, t * headDim, headDim);
                        System.arraycopy(w.b, src, w.k, t * headDim, headDim);
                        for (int d = 0; d < headDim; d++) {
                            w.e[t * valueWidth + d] = w.c[src + d] * m;
                        }
                        if (normalized) {
                            w.e[t * valueWidth + headDim] = m;
                        }
                    }
                    map.apply(w.q, 0, n * headDim);
                    map.apply(w.k, 0, n * headDim);
                    int hr = headRow(r0, h);
                    HeadIO.storeRow(w.q, 0, phiQ, hr * headDim, n * headDim, w.tmp);
                    HeadIO.storeRow(w.k, 0, phiK, hr * headDim, n * headDim, w.tmp);
                    HeadIO.storeRow(w.e, 0, values, hr * valueWidth, n * valueWidth, w.tmp);
                }
            });
        }
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            for (int bh = from; bh < to; bh++) {
                if (causal) {
                    causalProduct(workers[chunk], bh);
                } else {
                    fullProduct(bh);
                }
            }
        });
        if (normalized && simd) {
            divideFloat(ctx, (FloatBuf) out);
        } else if (normalized) {
            // out = numerator / (denominator + eps), back to the caller's layout
            forSlabs(ctx, (w, r0, n) -> {
                for (int h = 0; h < heads; h++) {
                    HeadIO.loadRow(product, headRow(r0, h) * valueWidth, w.e, 0, n * valueWidth, w.tmp);
                    for (int t = 0; t < n; t++) {
                        double inv = 1.0 / (w.e[t * valueWidth + headDim] + EPS);
                        for (int d = 0; d < headDim; d++) {
                            w.a[t * width + h * headDim + d] = w.e[t * valueWidth + d] * inv;
                        }
                    }
                }
                HeadIO.storeRow(w.a, 0, out, r0 * width, n * width, w.tmp);
            });
        }
    }

    /** Where the product of head bh goes: the caller's out [B*T, H*D] (unnormalised) or our product [B*H, T, E]. */
    private int targetOffset(int bh) {
        int heads = shape.heads();
        return normalized ? bh * shape.seqLen() * valueWidth
                : shape.headOffset(bh);
    }

    private int targetStride() {
        return normalized ? valueWidth : shape.width();
    }

    /** S_bh = α φ(K)ᵀ V' [D, E]; target_bh = φ(Q) S_bh [T, E]. */
    private void fullProduct(int bh) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        int f = bh * seqLen * headDim;
        int vo = bh * seqLen * valueWidth;
        int so = bh * headDim * valueWidth;
        Buf target = normalized ? product : out;
        Gemm.gemm(true, false, headDim, valueWidth, seqLen, alpha, phiK, f, headDim, values, vo, valueWidth,
                0.0, states, so, valueWidth);
        Gemm.gemm(false, false, seqLen, valueWidth, headDim, 1.0, phiQ, f, headDim, states, so, valueWidth,
                0.0, target, targetOffset(bh), targetStride());
    }

    /** Causal target_bh, chunk by chunk: earlier chunks through the running state, the chunk itself through a triangle. */
    private void causalProduct(Worker w, int bh) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        Buf target = normalized ? product : out;
        int ts = targetStride();
        w.state.fill(0, headDim * valueWidth, 0.0);
        for (int t0 = 0; t0 < seqLen; t0 += CHUNK) {
            int n = Math.min(CHUNK, seqLen - t0);
            int f = (bh * seqLen + t0) * headDim;
            int vo = (bh * seqLen + t0) * valueWidth;
            int to = targetOffset(bh) + t0 * ts;
            // earlier chunks: target_c = φ(Q_c) S
            Gemm.gemm(false, false, n, valueWidth, headDim, 1.0, phiQ, f, headDim, w.state, 0, valueWidth,
                    0.0, target, to, ts);
            // this chunk: target_c += tril(α φ(Q_c) φ(K_c)ᵀ) V'_c
            Gemm.gemm(false, true, n, n, headDim, alpha, phiQ, f, headDim, phiK, f, headDim, 0.0, w.block, 0, CHUNK);
            zeroAboveDiagonal(w.block, n);
            Gemm.gemm(false, false, n, valueWidth, n, 1.0, w.block, 0, CHUNK, values, vo, valueWidth,
                    1.0, target, to, ts);
            // S += α φ(K_c)ᵀ V'_c
            Gemm.gemm(true, false, headDim, valueWidth, n, alpha, phiK, f, headDim, values, vo, valueWidth,
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
        prepareBackward(dOut.precision());
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        int valueWidth = this.valueWidth;
        boolean simd = vectorised(dOut);
        if (normalized && simd) {
            gradProductFloat(ctx, (FloatBuf) dOut);
        } else if (normalized) {
            // out = num / den with den = num_E + eps: d num = g / den, d num_E = −(g · out) / den.
            forSlabs(ctx, (w, r0, n) -> {
                HeadIO.loadRow(dOut, r0 * width, w.a, 0, n * width, w.tmp);
                HeadIO.loadRow(out, r0 * width, w.b, 0, n * width, w.tmp);
                for (int h = 0; h < heads; h++) {
                    int hr = headRow(r0, h) * valueWidth;
                    HeadIO.loadRow(product, hr, w.e, 0, n * valueWidth, w.tmp);
                    for (int t = 0; t < n; t++) {
                        double inv = 1.0 / (w.e[t * valueWidth + headDim] + EPS);
                        double dot = 0;
                        for (int d = 0; d < headDim; d++) {
                            double g = w.a[t * width + h * headDim + d];
                            dot += g * w.b[t * width + h * headDim + d];
                            w.f[t * valueWidth + d] = g * inv;
                        }
                        w.f[t * valueWidth + headDim] = -dot * inv;
                    }
                    HeadIO.storeRow(w.f, 0, gradProduct, hr, n * valueWidth, w.tmp);
                }
            });
        }
        Buf grad = normalized ? gradProduct : dOut;
        ctx.pool().forRange(shape.batch() * heads, (chunk, from, to) -> {
            for (int bh = from; bh < to; bh++) {
                if (causal) {
                    causalBackward(workers[chunk], bh, grad);
                } else {
                    fullBackward(workers[chunk], bh, grad);
                }
            }
        });
        // Through φ and the mask into the caller's gradients (and layout).
        if (simd) {
            fromHeadsFloat(ctx, (FloatBuf) dq, (FloatBuf) dk, (FloatBuf) dv, accumulate);
            return;
        }
        forSlabs(ctx, (w, r0, n) -> {
            HeadIO.loadRow(keyMask, r0, w.mask, 0, n, w.tmp);
            for (int h = 0; h < heads; h++) {
                int hr = headRow(r0, h);
                HeadIO.loadRow(gradPhiQ, hr * headDim, w.q, 0, n * headDim, w.tmp);
                HeadIO.loadRow(phiQ, hr * headDim, w.k, 0, n * headDim, w.tmp);
                map.chain(w.q, w.k, 0, n * headDim);
                for (int t = 0; t < n; t++) {
                    System.arraycopy(w.q, t * headDim, w.a, t * width + h * headDim, headDim);
                }
                HeadIO.loadRow(gradPhiK, hr * headDim, w.q, 0, n * headDim, w.tmp);
                HeadIO.loadRow(phiK, hr * headDim, w.k, 0, n * headDim, w.tmp);
                map.chain(w.q, w.k, 0, n * headDim);
                for (int t = 0; t < n; t++) {
                    System.arraycopy(w.q, t * headDim, w.b, t * width + h * headDim, headDim);
                }
                HeadIO.loadRow(gradValues, hr * valueWidth, w.e, 0, n * valueWidth, w.tmp);
                for (int t = 0; t < n; t++) {
                    for (int d = 0; d < headDim; d++) {
                        w.c[t * width + h * headDim + d] = w.e[t * valueWidth + d] * w.mask[t];
                    }
                }
            }
            store(w.a, dq, r0 * width, n * width, accumulate, w);
            store(w.b, dk, r0 * width, n * width, accumulate, w);
            store(w.c, dv, r0 * width, n * width, accumulate, w);
        });
    }

    /** The float32 element-wise passes work on the buffers directly when a head is a whole number of SIMD vectors. */
    private boolean vectorised(Buf x) {
        return x instanceof FloatBuf && shape.headDim() % Simd.LANES == 0;
    }

    /** q, k, v [B*T, H*D] -> φ(q), φ(k) [B*H, T, D], v∘m (| m) [B*H, T, E]: the layout row by row, then φ in place. */
    private void intoHeadsFloat(StepContext ctx, FloatBuf q, FloatBuf k, FloatBuf v, FloatBuf mask) {
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        int valueWidth = this.valueWidth;
        FloatBuf pq = (FloatBuf) phiQ;
        FloatBuf pk = (FloatBuf) phiK;
        FloatBuf vals = (FloatBuf) values;
        ctx.pool().forRange(shape.rows(), (chunk, from, to) -> {
            for (int r = from; r < to; r++) {
                float m = mask.nio().get(r);
                for (int h = 0; h < heads; h++) {
                    int src = r * width + h * headDim;
                    int hr = headRow(r, h);
                    for (int d = 0; d < headDim; d += Simd.LANES) {
                        Simd.store(Simd.load(q, src + d), pq, hr * headDim + d);
                        Simd.store(Simd.load(k, src + d), pk, hr * headDim + d);
                        Simd.store(Simd.load(v, src + d).mul(m), vals, hr * valueWidth + d);
                    }
                    if (normalized) {
                        vals.nio().put(hr * valueWidth + headDim, m);
                    }
                }
            }
        });
        int n = shape.rows() * heads * headDim;
        map.applyFloat(ctx.pool(), pq, n);
        map.applyFloat(ctx.pool(), pk, n);
    }

    /** Normalised forward: out [B*T, H*D] = numerator / (denominator + eps) from product [B*H, T, E]. */
    private void divideFloat(StepContext ctx, FloatBuf out) {
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        FloatBuf prod = (FloatBuf) product;
        ctx.pool().forRange(shape.rows(), (chunk, from, to) -> {
            for (int r = from; r < to; r++) {
                for (int h = 0; h < heads; h++) {
                    int p = headRow(r, h) * valueWidth;
                    float inv = (float) (1.0 / (prod.nio().get(p + headDim) + EPS));
                    for (int d = 0; d < headDim; d += Simd.LANES) {
                        Simd.store(Simd.load(prod, p + d).mul(inv), out, r * width + h * headDim + d);
                    }
                }
            }
        });
    }

    /** Normalised backward: d num = g / den, d num_E = −(g · out) / den, into gradProduct [B*H, T, E]. */
    private void gradProductFloat(StepContext ctx, FloatBuf dOut) {
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        FloatBuf prod = (FloatBuf) product;
        FloatBuf outF = (FloatBuf) out;
        FloatBuf gp = (FloatBuf) gradProduct;
        ctx.pool().forRange(shape.rows(), (chunk, from, to) -> {
            for (int r = from; r < to; r++) {
                for (int h = 0; h < heads; h++) {
                    int p = headRow(r, h) * valueWidth;
                    int src = r * width + h * headDim;
                    double inv = 1.0 / (prod.nio().get(p + headDim) + EPS);
                    FloatVector dot = FloatVector.zero(Simd.F);
                    for (int d = 0; d < headDim; d += Simd.LANES) {
                        FloatVector g = Simd.load(dOut, src + d);
                        dot = g.fma(Simd.load(outF, src + d), dot);
                        Simd.store(g.mul((float) inv), gp, p + d);
                    }
                    gp.nio().put(p + headDim, (float) (-Simd.sum(dot) * inv));
                }
            }
        });
    }

    /** dφ(Q), dφ(K) [B*H, T, D], dV' [B*H, T, E] -> dq, dk, dv [B*T, H*D] through φ' and the mask, (=|+=). */
    private void fromHeadsFloat(StepContext ctx, FloatBuf dq, FloatBuf dk, FloatBuf dv, boolean accumulate) {
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        int valueWidth = this.valueWidth;
        FloatBuf mask = (FloatBuf) keyMask;
        FloatBuf pq = (FloatBuf) phiQ;
        FloatBuf pk = (FloatBuf) phiK;
        FloatBuf gq = (FloatBuf) gradPhiQ;
        FloatBuf gk = (FloatBuf) gradPhiK;
        FloatBuf gv = (FloatBuf) gradValues;
        int n = shape.rows() * heads * headDim;
        map.chainFloat(ctx.pool(), gq, pq, n); // dφ(Q) ← dφ(Q) ⊙ φ'(q), in place; likewise K
        map.chainFloat(ctx.pool(), gk, pk, n);
        ctx.pool().forRange(shape.rows(), (chunk, from, to) -> {
            for (int r = from; r < to; r++) {
                float m = mask.nio().get(r);
                for (int h = 0; h < heads; h++) {
                    int dst = r * width + h * headDim;
                    int hr = headRow(r, h);
                    for (int d = 0; d < headDim; d += Simd.LANES) {
                        int f = hr * headDim + d;
                        FloatVector a = Simd.load(gq, f);
                        FloatVector b = Simd.load(gk, f);
                        FloatVector c = Simd.load(gv, hr * valueWidth + d).mul(m);
                        if (accumulate) {
                            a = a.add(Simd.load(dq, dst + d));
                            b = b.add(Simd.load(dk, dst + d));
                            c = c.add(Simd.load(dv, dst + d));
                        }
                        Simd.store(a, dq, dst + d);
                        Simd.store(b, dk, dst + d);
                        Simd.store(c, dv, dst + d);
                    }
                }
            }
        });
    }

    /** dst[off, off + n) = (or +=) src, n ≤ one slab. */
    private static void store(double[] src, Buf dst, int off, int n, boolean accumulate, Worker w) {
        if (accumulate) {
            HeadIO.loadRow(dst, off, w.old, 0, n, w.tmp);
            for (int i = 0; i < n; i++) {
                src[i] += w.old[i];
            }
        }
        HeadIO.storeRow(src, 0, dst, off, n, w.tmp);
    }

    /** From G = d target_bh [T, E]: dφ(Q) = G Sᵀ, dS = φ(Q)ᵀ G, dφ(K) = α V' dSᵀ, dV' = α φ(K) dS. */
    private void fullBackward(Worker w, int bh, Buf grad) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        int f = bh * seqLen * headDim;
        int vo = bh * seqLen * valueWidth;
        int go = targetOffset(bh);
        int gs = targetStride();
        int so = bh * headDim * valueWidth;
        Buf dS = w.state;
        Gemm.gemm(false, true, seqLen, headDim, valueWidth, 1.0, grad, go, gs, states, so, valueWidth,
                0.0, gradPhiQ, f, headDim);
        Gemm.gemm(true, false, headDim, valueWidth, seqLen, 1.0, phiQ, f, headDim, grad, go, gs,
                0.0, dS, 0, valueWidth);
        Gemm.gemm(false, true, seqLen, headDim, valueWidth, alpha, values, vo, valueWidth, dS, 0, valueWidth,
                0.0, gradPhiK, f, headDim);
        Gemm.gemm(false, false, seqLen, valueWidth, headDim, alpha, phiK, f, headDim, dS, 0, valueWidth,
                0.0, gradValues, vo, valueWidth);
    }

    /**
     * Causal backward of target_i = Σ_{j≤i} α (φq_i·φk_j) v'_j, with G = d target:
     * dφq_i = Σ_{j≤i} α (g_i·v'_j) φk_j (forward over chunks, prefix state S),
     * dφk_j = Σ_{i≥j} α (g_i·v'_j) φq_i and dv'_j = Σ_{i≥j} α (φq_i·φk_j) g_i (backward over chunks,
     * suffix state R = α Σ φq_i g_iᵀ).
     */
    private void causalBackward(Worker w, int bh, Buf grad) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        int stateSize = headDim * valueWidth;
        int gs = targetStride();
        w.state.fill(0, stateSize, 0.0);
        for (int t0 = 0; t0 < seqLen; t0 += CHUNK) {
            int n = Math.min(CHUNK, seqLen - t0);
            int f = (bh * seqLen + t0) * headDim;
            int vo = (bh * seqLen + t0) * valueWidth;
            int go = targetOffset(bh) + t0 * gs;
            // dφ(Q_c) = G_c Sᵀ + tril(α G_c V'_cᵀ) φ(K_c)
            Gemm.gemm(false, true, n, headDim, valueWidth, 1.0, grad, go, gs, w.state, 0, valueWidth,
                    0.0, gradPhiQ, f, headDim);
            Gemm.gemm(false, true, n, n, valueWidth, alpha, grad, go, gs, values, vo, valueWidth,
                    0.0, w.block, 0, CHUNK);
            zeroAboveDiagonal(w.block, n);
            Gemm.gemm(false, false, n, headDim, n, 1.0, w.block, 0, CHUNK, phiK, f, headDim,
                    1.0, gradPhiQ, f, headDim);
            Gemm.gemm(true, false, headDim, valueWidth, n, alpha, phiK, f, headDim, values, vo, valueWidth,
                    1.0, w.state, 0, valueWidth);
        }
        w.reverse.fill(0, stateSize, 0.0);
        int lastStart = ((seqLen - 1) / CHUNK) * CHUNK;
        for (int t0 = lastStart; t0 >= 0; t0 -= CHUNK) {
            int n = Math.min(CHUNK, seqLen - t0);
            int f = (bh * seqLen + t0) * headDim;
            int vo = (bh * seqLen + t0) * valueWidth;
            int go = targetOffset(bh) + t0 * gs;
            // dφ(K_c) = V'_c Rᵀ + (block with (j, i) = α v'_j·g_i, i ≥ j) φ(Q_c)
            Gemm.gemm(false, true, n, headDim, valueWidth, 1.0, values, vo, valueWidth, w.reverse, 0, valueWidth,
                    0.0, gradPhiK, f, headDim);
            Gemm.gemm(false, true, n, n, valueWidth, alpha, values, vo, valueWidth, grad, go, gs,
                    0.0, w.block, 0, CHUNK);
            zeroBelowDiagonal(w.block, n);
            Gemm.gemm(false, false, n, headDim, n, 1.0, w.block, 0, CHUNK, phiQ, f, headDim,
                    1.0, gradPhiK, f, headDim);
            // dV'_c = φ(K_c) R + (block with (j, i) = α φk_j·φq_i, i ≥ j) G_c
            Gemm.gemm(false, false, n, valueWidth, headDim, 1.0, phiK, f, headDim, w.reverse, 0, valueWidth,
                    0.0, gradValues, vo, valueWidth);
            Gemm.gemm(false, true, n, n, headDim, alpha, phiK, f, headDim, phiQ, f, headDim, 0.0, w.block, 0, CHUNK);
            zeroBelowDiagonal(w.block, n);
            Gemm.gemm(false, false, n, valueWidth, n, 1.0, w.block, 0, CHUNK, grad, go, gs,
                    1.0, gradValues, vo, valueWidth);
            // R += α φ(Q_c)ᵀ G_c
            Gemm.gemm(true, false, headDim, valueWidth, n, alpha, phiQ, f, headDim, grad, go, gs,
                    1.0, w.reverse, 0, valueWidth);
        }
    }
}
