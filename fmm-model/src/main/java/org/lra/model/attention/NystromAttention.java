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
 * Nyströmformer attention (Xiong et al. 2021) as the LRA reference harness computes it, in O(T·m) per head.
 *
 * <p>Per (batch, head), with s = D^-1/4, Q̂ = s·q⊙mask, K̂ = s·k⊙mask and m landmarks, each the mean of a
 * segment of l = T/m consecutive rows:
 * <pre>
 *   Q̃, K̃ [m, D]  segment means of Q̂ and K̂
 *   F = softmax(Q̂ K̃ᵀ)                 [T, m]  (no mask: padded queries are zero rows)
 *   A = softmax(Q̃ K̃ᵀ)                 [m, m]
 *   B = softmax(Q̃ K̂ᵀ − penalty·(1−mask)) [m, T]
 *   out = F · pinv(A) · (B v)  +  conv(v⊙mask)
 * </pre>
 * pinv is six Newton–Schulz steps Z ← ¼ Z (13I − AZ(15I − AZ(7I − AZ))) from Z₀ = Aᵀ / c, where c is the
 * largest column sum of A over the whole batch and all heads (the reference's "original" init: one scalar
 * for the batch). conv is a depthwise convolution along the sequence, one filter of {@code convKernelSize}
 * taps per head, zero-padded to keep the length. The reference switches to plain softmax when m = T; we
 * require m &lt; T instead (checked at config load). The key-padding penalty is the engine's 1e6 (the
 * reference writes 1e9); they differ only for a sequence without a single real token.
 *
 * <p>Backward retraces these steps with Gemm. The global c couples the heads: backward first finishes every
 * (batch, head) down to dA, sums dc over all of them, then adds dc to the one column that was the maximum
 * and completes dA → dQ, dK. Training keeps F, A, B and the seven pinv iterates per head:
 * B·H·(2·T·m + 8·m² + 4·m·D) numbers.
 */
public final class NystromAttention implements Attention {
    /** Newton–Schulz steps of the reference's iterative pseudo-inverse. */
    static final int PINV_STEPS = 6;

    private final int landmarks;
    private final int convTaps;
    private final Parameters params;
    private final Param conv; // [H, taps], null without convolution

    private AttentionShape shape;
    private Buf q;
    private Buf k;
    private Buf v;
    private Buf keyMask;
    private final HeadWorkers<Worker> workers = new HeadWorkers<>();
    // kept from the forward, per (batch, head) bh
    private Buf far;      // F [BH, T, m]
    private Buf core;     // A [BH, m, m]
    private Buf dCore;    // dA [BH, m, m] (backward)
    private Buf near;     // B [BH, m, T]
    private Buf iterates; // Z_0..Z_6 [BH, 7, m, m]
    private Buf qLand;    // Q̃ [BH, m, D]
    private Buf kLand;    // K̃ [BH, m, D]
    private Buf bv;       // B v [BH, m, D]
    private Buf zbv;      // pinv(A) B v [BH, m, D]
    private Buf dqLand;   // dQ̃ [BH, m, D] (backward)
    private Buf dkLand;   // dK̃ [BH, m, D] (backward)
    private double colMax;      // c
    private int maxHead;        // the bh whose column gave c
    private int maxColumn;      // and the column
    private double[] colMaxOf;  // per bh: largest column sum, and where
    private int[] colArgOf;
    private double[] dcOf;      // per bh: its share of dc
    private double[][] dConvOf; // per bh: gradient of its head's filter

    /**
     * @param landmarks m; must divide the sequence length and be smaller than it
     * @param convTaps  taps of the depthwise convolution over V, 0 for none
     */
    /** Nystrom's length rule: m landmarks are the means of T/m-token segments, and m = T would be plain softmax. */
    static Optional<String> lengthProblem(int landmarks, AttentionLength padded) {
        int t = padded.tokens();
        return landmarks < 1 || t % landmarks != 0 || landmarks >= t
                ? Optional.of("must divide " + padded.name() + " and be smaller, got " + landmarks) : Optional.empty();
    }

    public NystromAttention(int landmarks, int convTaps, Parameters params, String prefix, int heads) {
        if (landmarks < 1) {
            throw new IllegalArgumentException("attention.numLandmarks must be >= 1, got " + landmarks);
        }
        if (convTaps < 0) {
            throw new IllegalArgumentException("attention.convKernelSize must be >= 0, got " + convTaps);
        }
        this.landmarks = landmarks;
        this.convTaps = convTaps;
        this.params = params;
        // PyTorch's Conv2d default: U(±1/√fanIn), fanIn = taps (one input channel per group)
        this.conv = convTaps == 0 ? null
                : params.register(prefix + ".conv", Init.uniform(1 / Math.sqrt(convTaps)), true, heads, convTaps);
    }

    /** Per-thread scratch. */
    private static final class Worker {
        final Buf qs;     // Q̂ [T, D]
        final Buf ks;     // K̂ [T, D]
        final Buf gFar;   // dF, then dS_F [T, m]
        final Buf gNear;  // dB, then dS_B [m, T]
        final Buf dzbv;   // [m, D]
        final Buf dbv;    // [m, D]
        final Buf kv;     // A Z [m, m]
        final Buf a;      // 7I − AZ
        final Buf b;      // 15I − AZ(7I − AZ)
        final Buf c;      // 13I − AZ(...)
        final Buf dz;     // dZ_i [m, m]
        final Buf dzPrev;
        final Buf dc;     // dC, dB, dA in turn
        final Buf dkv;    // d(AZ)
        final double[] row;
        final double[] drow;
        final double[] mask;
        final double[] ones;
        final double[] vm;   // v⊙mask [T, D] (convolution)
        final double[] acc;  // [T, D]

        Worker(Precision precision, int seqLen, int m, int headDim) {
            qs = Buf.zeros(precision, seqLen * headDim);
            ks = Buf.zeros(precision, seqLen * headDim);
            gFar = Buf.zeros(precision, seqLen * m);
            gNear = Buf.zeros(precision, m * seqLen);
            dzbv = Buf.zeros(precision, m * headDim);
            dbv = Buf.zeros(precision, m * headDim);
            kv = Buf.zeros(precision, m * m);
            a = Buf.zeros(precision, m * m);
            b = Buf.zeros(precision, m * m);
            c = Buf.zeros(precision, m * m);
            dz = Buf.zeros(precision, m * m);
            dzPrev = Buf.zeros(precision, m * m);
            dc = Buf.zeros(precision, m * m);
            dkv = Buf.zeros(precision, m * m);
            row = new double[Math.max(seqLen, m) * headDim];
            drow = new double[Math.max(seqLen, m) * headDim];
            mask = new double[seqLen];
            ones = new double[Math.max(seqLen, m)];
            Arrays.fill(ones, 1.0);
            vm = new double[seqLen * headDim];
            acc = new double[seqLen * headDim];
        }
    }

    private void prepare(StepContext ctx, AttentionShape shape, Precision precision) {
        int seqLen = shape.seqLen();
        lengthProblem(landmarks, AttentionLength.of(seqLen)).ifPresent(problem -> {
            throw new IllegalArgumentException("attention.numLandmarks " + problem);
        });
        int m = landmarks;
        int d = shape.headDim();
        workers.ensure(ctx.pool().threads(), List.of(shape, precision), () -> new Worker(precision, seqLen, m, d));
        int bh = shape.batch() * shape.heads();
        far = Buf.ensure(far, precision, bh * seqLen * m);
        near = Buf.ensure(near, precision, bh * m * seqLen);
        core = Buf.ensure(core, precision, bh * m * m);
        dCore = Buf.ensure(dCore, precision, bh * m * m);
        iterates = Buf.ensure(iterates, precision, bh * (PINV_STEPS + 1) * m * m);
        qLand = Buf.ensure(qLand, precision, bh * m * d);
        kLand = Buf.ensure(kLand, precision, bh * m * d);
        bv = Buf.ensure(bv, precision, bh * m * d);
        zbv = Buf.ensure(zbv, precision, bh * m * d);
        dqLand = Buf.ensure(dqLand, precision, bh * m * d);
        dkLand = Buf.ensure(dkLand, precision, bh * m * d);
        colMaxOf = new double[bh];
        colArgOf = new int[bh];
        dcOf = new double[bh];
        dConvOf = new double[bh][convTaps];
        this.shape = shape;
    }

    /** q, k, v [B*T, H*D], keyMask [B*T] -> out [B*T, H*D]. */
    @Override
    public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out) {
        Precision precision = q.precision();
        prepare(ctx, shape, precision);
        this.q = q;
        this.k = k;
        this.v = v;
        this.keyMask = keyMask;
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        int m = landmarks;
        int mm = m * m;
        boolean f32 = precision == Precision.FLOAT32;
        int bhCount = shape.batch() * heads;
        // pass 1: the three softmax kernels, and each head's largest column sum of A
        workers.forEachHead(ctx, shape, (w, bh) -> {
            int off = shape.headOffset(bh);
            HeadIO.loadMask(keyMask, bh / heads, seqLen, w.mask);
            scaledMasked(q, off, w, w.qs);
            scaledMasked(k, off, w, w.ks);
            segmentMeans(w.qs, qLand, bh * m * headDim, w.row);
            segmentMeans(w.ks, kLand, bh * m * headDim, w.row);
            int farOff = bh * seqLen * m;
            int nearOff = bh * m * seqLen;
            int coreOff = bh * mm;
            // F = softmax(Q̂ K̃ᵀ) [T, m]; A = softmax(Q̃ K̃ᵀ) [m, m]; B = softmax(Q̃ K̂ᵀ, masked) [m, T]
            Gemm.gemm(false, true, seqLen, m, headDim, 1.0, w.qs, 0, headDim, kLand, bh * m * headDim, headDim,
                    0.0, far, farOff, m);
            Gemm.gemm(false, true, m, m, headDim, 1.0, qLand, bh * m * headDim, headDim, kLand,
                    bh * m * headDim, headDim, 0.0, core, coreOff, m);
            Gemm.gemm(false, true, m, seqLen, headDim, 1.0, qLand, bh * m * headDim, headDim, w.ks, 0, headDim,
                    0.0, near, nearOff, seqLen);
            MaskedSoftmax.forwardRows(far, farOff, seqLen, m, 1.0, w.ones, w.row, f32);
            MaskedSoftmax.forwardRows(core, coreOff, m, m, 1.0, w.ones, w.row, f32);
            MaskedSoftmax.forwardRows(near, nearOff, m, seqLen, 1.0, w.mask, w.row, f32);
            double[] sums = w.drow;
            Arrays.fill(sums, 0, m, 0.0);
            for (int i = 0; i < m; i++) {
                core.get(coreOff + i * m, w.row, 0, m);
                for (int j = 0; j < m; j++) {
                    sums[j] += w.row[j];
                }
            }
            int arg = 0;
            for (int j = 1; j < m; j++) {
                if (sums[j] > sums[arg]) {
                    arg = j;
                }
            }
            colMaxOf[bh] = f32 ? (float) sums[arg] : sums[arg];
            colArgOf[bh] = arg;
        });
        maxHead = 0;
        for (int bh = 1; bh < bhCount; bh++) {
            if (colMaxOf[bh] > colMaxOf[maxHead]) {
                maxHead = bh;
            }
        }
        colMax = colMaxOf[maxHead];
        maxColumn = colArgOf[maxHead];
        // pass 2: pinv(A), out = F (pinv(A) (B v)) + conv(v⊙mask)
        workers.forEachHead(ctx, shape, (w, bh) -> {
            int off = shape.headOffset(bh);
            int landOff = bh * m * headDim;
            int iterOff = bh * (PINV_STEPS + 1) * mm;
            // Z_0 = Aᵀ / c
            for (int i = 0; i < m; i++) {
                core.get(bh * mm + i * m, w.row, 0, m);
                for (int j = 0; j < m; j++) {
                    iterates.set(iterOff + j * m + i, w.row[j] / colMax);
                }
            }
            for (int step = 0; step < PINV_STEPS; step++) {
                int zOff = iterOff + step * mm;
                newtonSchulzTerms(w, bh * mm, zOff);
                // Z_{i+1} = ¼ Z_i C
                Gemm.gemm(false, false, m, m, m, 0.25, iterates, zOff, m, w.c, 0, m, 0.0, iterates, zOff + mm, m);
            }
            int zOff = iterOff + PINV_STEPS * mm;
            Gemm.gemm(false, false, m, headDim, seqLen, 1.0, near, bh * m * seqLen, seqLen, v, off, width,
                    0.0, bv, landOff, headDim);
            Gemm.gemm(false, false, m, headDim, m, 1.0, iterates, zOff, m, bv, landOff, headDim,
                    0.0, zbv, landOff, headDim);
            Gemm.gemm(false, false, seqLen, headDim, m, 1.0, far, bh * seqLen * m, m, zbv, landOff, headDim,
                    0.0, out, off, width);
            if (conv != null) {
                HeadIO.loadMask(keyMask, bh / heads, seqLen, w.mask);
                HeadIO.loadHeadPacked(v, off, width, seqLen, headDim, 1.0, w.mask, w.vm);
                convolve(w.vm, bh % heads, w.acc);
                addRows(out, off, w.acc, w.row);
            }
        });
    }

    /** kv = A Z_i, a = 7I − kv, b = 15I − kv a, c = 13I − kv b, all [m, m]. */
    private void newtonSchulzTerms(Worker w, int coreOff, int zOff) {
        int m = landmarks;
        Gemm.gemm(false, false, m, m, m, 1.0, core, coreOff, m, iterates, zOff, m, 0.0, w.kv, 0, m);
        w.a.copyFrom(w.kv, 0, 0, m * m);
        scaleAddIdentity(w.a, -1.0, 7.0);
        Gemm.gemm(false, false, m, m, m, -1.0, w.kv, 0, m, w.a, 0, m, 0.0, w.b, 0, m);
        scaleAddIdentity(w.b, 1.0, 15.0);
        Gemm.gemm(false, false, m, m, m, -1.0, w.kv, 0, m, w.b, 0, m, 0.0, w.c, 0, m);
        scaleAddIdentity(w.c, 1.0, 13.0);
    }

    /** x ← scale·x + diag·I for an [m, m] matrix. */
    private void scaleAddIdentity(Buf x, double scale, double diag) {
        int m = landmarks;
        if (scale != 1.0) {
            for (int i = 0; i < m * m; i++) {
                x.set(i, scale * x.get(i));
            }
        }
        for (int i = 0; i < m; i++) {
            x.set(i * m + i, x.get(i * m + i) + diag);
        }
    }

    @Override
    public void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv) {
        if (shape == null) {
            throw new IllegalStateException("nystrom backward needs a forward first");
        }
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        int m = landmarks;
        int mm = m * m;
        int bhCount = shape.batch() * heads;
        // pass 1: everything that does not need dc — dV, dA without the c term, F and B down to Q̂, K̂, Q̃, K̃
        workers.forEachHead(ctx, shape, (w, bh) -> {
            int off = shape.headOffset(bh);
            int landOff = bh * m * headDim;
            int farOff = bh * seqLen * m;
            int nearOff = bh * m * seqLen;
            int coreOff = bh * mm;
            int iterOff = bh * (PINV_STEPS + 1) * mm;
            HeadIO.loadMask(keyMask, bh / heads, seqLen, w.mask);
            scaledMasked(q, off, w, w.qs);
            scaledMasked(k, off, w, w.ks);
            // out = F zbv: dF = dOut zbvᵀ [T, m]; dzbv = Fᵀ dOut [m, D]
            Gemm.gemm(false, true, seqLen, m, headDim, 1.0, dOut, off, width, zbv, landOff, headDim,
                    0.0, w.gFar, 0, m);
            Gemm.gemm(true, false, m, headDim, seqLen, 1.0, far, farOff, m, dOut, off, width,
                    0.0, w.dzbv, 0, headDim);
            // zbv = Z bv: dZ = dzbv bvᵀ; dbv = Zᵀ dzbv
            int zLast = iterOff + PINV_STEPS * mm;
            Gemm.gemm(false, true, m, m, headDim, 1.0, w.dzbv, 0, headDim, bv, landOff, headDim, 0.0, w.dz, 0, m);
            Gemm.gemm(true, false, m, headDim, m, 1.0, iterates, zLast, m, w.dzbv, 0, headDim, 0.0, w.dbv, 0,
                    headDim);
            // bv = B v: dB = dbv vᵀ [m, T]; dv = Bᵀ dbv [T, D]
            Gemm.gemm(false, true, m, seqLen, headDim, 1.0, w.dbv, 0, headDim, v, off, width, 0.0, w.gNear, 0,
                    seqLen);
            Gemm.gemm(true, false, seqLen, headDim, m, 1.0, near, nearOff, seqLen, w.dbv, 0, headDim, 0.0, dv,
                    off, width);
            if (conv != null) {
                convBackward(dOut, off, bh, w);
                addRows(dv, off, w.acc, w.row);
            }
            pinvBackward(w, bh);
            // dS_F, dS_B from dF, dB (the mask penalty is a constant)
            MaskedSoftmax.backwardRows(far, farOff, w.gFar, 0, seqLen, m, w.row, w.drow);
            MaskedSoftmax.backwardRows(near, nearOff, w.gNear, 0, m, seqLen, w.row, w.drow);
            // S_F = Q̂ K̃ᵀ: dQ̂ = dS_F K̃ (into dq), dK̃ = dS_Fᵀ Q̂
            Gemm.gemm(false, false, seqLen, headDim, m, 1.0, w.gFar, 0, m, kLand, landOff, headDim, 0.0, dq,
                    off, width);
            Gemm.gemm(true, false, m, headDim, seqLen, 1.0, w.gFar, 0, m, w.qs, 0, headDim, 0.0, dkLand,
                    landOff, headDim);
            // S_B = Q̃ K̂ᵀ: dQ̃ = dS_B K̂, dK̂ = dS_Bᵀ Q̃ (into dk)
            Gemm.gemm(false, false, m, headDim, seqLen, 1.0, w.gNear, 0, seqLen, w.ks, 0, headDim, 0.0, dqLand,
                    landOff, headDim);
            Gemm.gemm(true, false, seqLen, headDim, m, 1.0, w.gNear, 0, seqLen, qLand, landOff, headDim, 0.0,
                    dk, off, width);
        });
        // c = max column sum of A over every head: its gradient goes to every entry of that one column
        double dc = 0;
        for (int bh = 0; bh < bhCount; bh++) {
            dc += dcOf[bh];
        }
        for (int i = 0; i < m; i++) {
            dCore.add(maxHead * mm + i * m + maxColumn, dc);
        }
        if (conv != null) {
            Buf grads = params.grads();
            for (int bh = 0; bh < bhCount; bh++) {
                for (int s = 0; s < convTaps; s++) {
                    grads.add(conv.offset() + (bh % heads) * convTaps + s, dConvOf[bh][s]);
                }
            }
        }
        // pass 2: dA -> dS_A -> dQ̃, dK̃; landmark means back to rows; undo the scale and mask
        double scale = Math.pow(headDim, -0.25);
        workers.forEachHead(ctx, shape, (w, bh) -> {
            int off = shape.headOffset(bh);
            int landOff = bh * m * headDim;
            int coreOff = bh * mm;
            MaskedSoftmax.backwardRows(core, coreOff, dCore, coreOff, m, m, w.row, w.drow);
            // S_A = Q̃ K̃ᵀ: dQ̃ += dS_A K̃, dK̃ += dS_Aᵀ Q̃
            Gemm.gemm(false, false, m, headDim, m, 1.0, dCore, coreOff, m, kLand, landOff, headDim, 1.0, dqLand,
                    landOff, headDim);
            Gemm.gemm(true, false, m, headDim, m, 1.0, dCore, coreOff, m, qLand, landOff, headDim, 1.0, dkLand,
                    landOff, headDim);
            HeadIO.loadMask(keyMask, bh / heads, seqLen, w.mask);
            finishRows(dq, off, dqLand, landOff, w, scale);
            finishRows(dk, off, dkLand, landOff, w, scale);
        });
    }

    /**
     * dZ_6 (in w.dz) back through the six Newton–Schulz steps and Z_0 = Aᵀ/c: writes dA [m, m] of this head
     * into dCore (without the c term) and its share of dc into dcOf.
     */
    private void pinvBackward(Worker w, int bh) {
        int m = landmarks;
        int mm = m * m;
        int coreOff = bh * mm;
        int iterOff = bh * (PINV_STEPS + 1) * mm;
        dCore.fill(coreOff, coreOff + mm, 0.0);
        for (int step = PINV_STEPS - 1; step >= 0; step--) {
            int zOff = iterOff + step * mm;
            newtonSchulzTerms(w, coreOff, zOff);
            // Z' = ¼ Z C: dZ_prev = ¼ dZ' Cᵀ; dC = ¼ Zᵀ dZ'
            Gemm.gemm(false, true, m, m, m, 0.25, w.dz, 0, m, w.c, 0, m, 0.0, w.dzPrev, 0, m);
            Gemm.gemm(true, false, m, m, m, 0.25, iterates, zOff, m, w.dz, 0, m, 0.0, w.dc, 0, m);
            // C = 13I − kv b: d(kv) = −dC bᵀ; db = −kvᵀ dC
            Gemm.gemm(false, true, m, m, m, -1.0, w.dc, 0, m, w.b, 0, m, 0.0, w.dkv, 0, m);
            Gemm.gemm(true, false, m, m, m, -1.0, w.kv, 0, m, w.dc, 0, m, 0.0, w.dz, 0, m); // dz now holds db
            // b = 15I − kv a: d(kv) −= db aᵀ; da = −kvᵀ db
            Gemm.gemm(false, true, m, m, m, -1.0, w.dz, 0, m, w.a, 0, m, 1.0, w.dkv, 0, m);
            Gemm.gemm(true, false, m, m, m, -1.0, w.kv, 0, m, w.dz, 0, m, 0.0, w.dc, 0, m); // dc now holds da
            // a = 7I − kv: d(kv) −= da
            for (int i = 0; i < mm; i++) {
                w.dkv.set(i, w.dkv.get(i) - w.dc.get(i));
            }
            // kv = A Z: dA += d(kv) Zᵀ; dZ_prev += Aᵀ d(kv)
            Gemm.gemm(false, true, m, m, m, 1.0, w.dkv, 0, m, iterates, zOff, m, 1.0, dCore, coreOff, m);
            Gemm.gemm(true, false, m, m, m, 1.0, core, coreOff, m, w.dkv, 0, m, 1.0, w.dzPrev, 0, m);
            w.dz.copyFrom(w.dzPrev, 0, 0, mm);
        }
        // Z_0 = Aᵀ / c: dA += dZ_0ᵀ / c; dc = −Σ dZ_0ᵀ ⊙ A / c²
        double dcSum = 0;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < m; j++) {
                double g = w.dz.get(j * m + i);
                dCore.add(coreOff + i * m + j, g / colMax);
                dcSum -= g * core.get(coreOff + i * m + j);
            }
        }
        dcOf[bh] = dcSum / (colMax * colMax);
    }

    /** dx ← s·mask ⊙ (dx + dLandmark[row / l] / l), rows of one head; dx holds dQ̂ (or dK̂) on entry. */
    private void finishRows(Buf dx, int off, Buf dLand, int landOff, Worker w, double scale) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        int width = shape.width();
        int seg = seqLen / landmarks;
        for (int t = 0; t < seqLen; t++) {
            dx.get(off + t * width, w.row, 0, headDim);
            dLand.get(landOff + (t / seg) * headDim, w.drow, 0, headDim);
            double f = scale * w.mask[t];
            for (int d = 0; d < headDim; d++) {
                w.row[d] = f * (w.row[d] + w.drow[d] / seg);
            }
            dx.set(off + t * width, w.row, 0, headDim);
        }
    }

    /** dst [T, D] = D^-1/4 · src_head ⊙ mask, through w.row. */
    private void scaledMasked(Buf src, int off, Worker w, Buf dst) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        HeadIO.loadHeadPacked(src, off, shape.width(), seqLen, headDim, Math.pow(headDim, -0.25), w.mask, w.row);
        dst.set(0, w.row, 0, seqLen * headDim);
    }

    /** land [m, D] at landOff = means of consecutive segments of T/m rows of rows [T, D]. */
    private void segmentMeans(Buf rows, Buf land, int landOff, double[] tmp) {
        int headDim = shape.headDim();
        int seg = shape.seqLen() / landmarks;
        rows.get(0, tmp, 0, shape.seqLen() * headDim);
        double[] mean = new double[headDim];
        for (int i = 0; i < landmarks; i++) {
            Arrays.fill(mean, 0.0);
            for (int t = i * seg; t < (i + 1) * seg; t++) {
                for (int d = 0; d < headDim; d++) {
                    mean[d] += tmp[t * headDim + d];
                }
            }
            for (int d = 0; d < headDim; d++) {
                mean[d] /= seg;
            }
            land.set(landOff + i * headDim, mean, 0, headDim);
        }
    }

    /** acc [T, D] = Σ_s w[head, s] · vm[t + s − taps/2] (zero outside [0, T)). */
    private void convolve(double[] vm, int head, double[] acc) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        int pad = convTaps / 2;
        Buf values = params.values();
        Arrays.fill(acc, 0, seqLen * headDim, 0.0);
        for (int s = 0; s < convTaps; s++) {
            double tap = values.get(conv.offset() + head * convTaps + s);
            int shift = s - pad;
            for (int t = Math.max(0, -shift); t < Math.min(seqLen, seqLen - shift); t++) {
                int src = (t + shift) * headDim;
                int dst = t * headDim;
                for (int d = 0; d < headDim; d++) {
                    acc[dst + d] += tap * vm[src + d];
                }
            }
        }
    }

    /**
     * Convolution backward for head bh: w.acc [T, D] = d(v⊙mask)⊙mask (what dv gains) and dConvOf[bh] the
     * filter gradient Σ_t dOut[t] · vm[t + s − pad].
     */
    private void convBackward(Buf dOut, int off, int bh, Worker w) {
        int seqLen = shape.seqLen();
        int headDim = shape.headDim();
        int pad = convTaps / 2;
        int head = bh % shape.heads();
        HeadIO.loadHeadPacked(v, off, shape.width(), seqLen, headDim, 1.0, w.mask, w.vm);
        double[] g = w.row; // dOut of the head [T, D]; row holds max(T, m)·D
        HeadIO.loadHeadPacked(dOut, off, shape.width(), seqLen, headDim, 1.0, null, g);
        Buf values = params.values();
        Arrays.fill(w.acc, 0, seqLen * headDim, 0.0);
        double[] dTaps = dConvOf[bh];
        for (int s = 0; s < convTaps; s++) {
            double tap = values.get(conv.offset() + head * convTaps + s);
            int shift = s - pad;
            double dTap = 0;
            for (int t = Math.max(0, -shift); t < Math.min(seqLen, seqLen - shift); t++) {
                int src = (t + shift) * headDim;
                int dst = t * headDim;
                for (int d = 0; d < headDim; d++) {
                    dTap += g[dst + d] * w.vm[src + d];
                    w.acc[src + d] += tap * g[dst + d];
                }
            }
            dTaps[s] = dTap;
        }
        for (int t = 0; t < seqLen; t++) {
            for (int d = 0; d < headDim; d++) {
                w.acc[t * headDim + d] *= w.mask[t];
            }
        }
    }

    /** dst_head [T, D] += acc, row by row. */
    private void addRows(Buf dst, int off, double[] acc, double[] row) {
        int headDim = shape.headDim();
        for (int t = 0; t < shape.seqLen(); t++) {
            int at = off + t * shape.width();
            dst.get(at, row, 0, headDim);
            for (int d = 0; d < headDim; d++) {
                row[d] += acc[t * headDim + d];
            }
            dst.set(at, row, 0, headDim);
        }
    }
}
