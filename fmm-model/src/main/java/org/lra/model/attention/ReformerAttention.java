package org.lra.model.attention;

import java.util.Optional;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Gemm;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Rng;

/**
 * Reformer LSH attention with shared query/key, as the reference wraps HF's {@code LSHSelfAttention}
 * (docs/attention-baselines.md). Per head and hashing round r:
 * <ol>
 *   <li>hash: bucket_t = argmax([x_t R_r, −x_t R_r]) for a random rotation R_r [D, nb/2] (nb buckets; split
 *       into factors when nb is large, as HF does); padding tokens go to an extra last bucket;</li>
 *   <li>sort positions by (round, bucket, position) and cut the nh·T sorted entries into chunks of L;</li>
 *   <li>each query attends to the keys of its chunk and of the chunk before (the first chunk's "before" is the
 *       last chunk, wrapping across rounds), with keys k = x / rms(x) / √D (length-normalised), scores q·k,
 *       padding keys at −1e9 and the query's own position at −1e5 (so a token sees itself only when nothing
 *       else is available), softmax with its log-normaliser ℓ;</li>
 *   <li>unsort, and mix the rounds with weights softmax_r(ℓ_r).</li>
 * </ol>
 * The query/key input is q; k is not used (the reference's W_k is unused too), so dk is zero. A sequence not
 * longer than one chunk gets plain softmax attention with the same masks, as HF does. Work is O(nh·T·L·D)
 * and memory O(nh·T·D) per head: linear in T for a fixed chunk length (the sort is a counting sort).
 *
 * <p>Rotations are drawn anew every forward from (seed, step, layer) (HF draws them per forward too); the hash
 * and the sort are not differentiated: gradients flow through the gathered q, k, v and the softmaxes.
 */
public final class ReformerAttention implements Attention {
    /** Random-stream site of the rotations (with the seed, step and layer index). */
    static final int SITE = 0x15A;
    static final double PADDING_SCORE = -1e9;
    static final double SELF_SCORE = -1e5;
    private static final double RMS_EPS = 1e-6;

    private final int numHashes;
    private final int chunkLength;
    private final int numBucketsSetting;
    private final int layerIndex;
    private double[] fixedRotations;

    private AttentionShape shape;
    private Buf q;
    private Buf v;
    private Buf keyMask;
    private Plan plan;
    /** Per (b, h): the sorted positions of the forward, [B*H][rounds·T]. */
    private int[][] sorted;
    /** Per (b, h, round, t): the round's output [B*H*rounds*T, D] and log-normaliser [B*H*rounds*T]. */
    private Buf roundOut;
    private Buf roundLogit;
    private final HeadWorkers<Worker> workers = new HeadWorkers<>();

    /**
     * @param numHashes   hashing rounds (reference: 2)
     * @param chunkLength queries per chunk (HF default 64)
     * @param numBuckets  buckets per round (even); 0 picks HF's rule from the sequence length
     */
    /** Reformer's length rule: a sequence longer than one chunk is cut into whole chunks. */
    static Optional<String> lengthProblem(int chunkLength, AttentionLength padded) {
        int t = padded.tokens();
        return chunkLength >= 1 && t > chunkLength && t % chunkLength != 0
                ? Optional.of("must divide " + padded.name() + " when shorter than it, got " + chunkLength)
                : Optional.empty();
    }

    public ReformerAttention(int numHashes, int chunkLength, int numBuckets, int layerIndex) {
        if (numHashes < 1) {
            throw new IllegalArgumentException("attention.numHashes must be >= 1, got " + numHashes);
        }
        if (chunkLength < 1) {
            throw new IllegalArgumentException("attention.lshChunkLength must be >= 1, got " + chunkLength);
        }
        if (numBuckets < 0 || numBuckets % 2 != 0) {
            throw new IllegalArgumentException("attention.numBuckets must be even and >= 0 (0: automatic), got "
                    + numBuckets);
        }
        this.numHashes = numHashes;
        this.chunkLength = chunkLength;
        this.numBucketsSetting = numBuckets;
        this.layerIndex = layerIndex;
    }

    /**
     * Fixes the rotations, [H, D, numHashes, rotationSize/2] row-major as HF draws them, instead of drawing them
     * every forward; golden tests feed the reference's.
     */
    public void useRotations(double[] rotations) {
        this.fixedRotations = rotations.clone();
    }

    /**
     * What one forward does for a sequence length: the bucket factors (one entry, or two when HF factorises),
     * the rounds and chunks, and whether it is the plain-attention case. Equal plans (factors compared by
     * value) need scratch of equal sizes.
     */
    record Plan(int seqLen, int[] factors, int rotationHalf, int rounds, int chunk, boolean lsh) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Plan p && seqLen == p.seqLen && Arrays.equals(factors, p.factors)
                    && rotationHalf == p.rotationHalf && rounds == p.rounds && chunk == p.chunk && lsh == p.lsh;
        }

        @Override
        public int hashCode() {
            return Objects.hash(seqLen, Arrays.hashCode(factors), rotationHalf, rounds, chunk, lsh);
        }

        int entries() {
            return rounds * seqLen;
        }

        int chunks() {
            return entries() / chunk;
        }

        /** HF's rule: nb = 2^⌊log2(2T/L)⌋, split in two factors above 2·max(⌊√(T/L)⌋, L) (max positions = T). */
        static Plan of(int seqLen, int numHashes, int chunkLength, int numBuckets) {
            if (seqLen <= chunkLength) {
                return new Plan(seqLen, new int[0], 0, 1, seqLen, false);
            }
            lengthProblem(chunkLength, AttentionLength.of(seqLen)).ifPresent(problem -> {
                throw new IllegalArgumentException("reformer: attention.lshChunkLength " + problem);
            });
            int[] factors;
            if (numBuckets > 0) {
                factors = new int[] {numBuckets};
            } else {
                int pow = 31 - Integer.numberOfLeadingZeros(2 * (seqLen / chunkLength));
                int limit = 2 * Math.max((int) Math.sqrt(seqLen / chunkLength), chunkLength);
                factors = (1 << pow) > limit ? new int[] {1 << (pow / 2), 1 << (pow - pow / 2)} : new int[] {1 << pow};
            }
            int half = 0;
            for (int f : factors) {
                half += f / 2;
            }
            return new Plan(seqLen, factors, half, numHashes, chunkLength, true);
        }
    }

    /** Per-thread scratch for one head: the gathered (sorted) rows, one chunk's scores, and gradients. */
    private static final class Worker {
        final Buf sq;      // gathered queries [E, D] (E = rounds·T sorted entries)
        final Buf sk;      // gathered normalised keys [E, D]
        final Buf sv;      // gathered values [E, D]
        final Buf so;      // sorted outputs [E, D]; backward: their gradient
        final Buf dsq;     // backward [E, D]
        final Buf dsk;
        final Buf dsv;
        final Buf scores;  // one chunk: [L, 2L]; backward: dP, then dS
        final Buf probs;   // one chunk: [L, 2L]
        final int[] pos;   // sorted entry -> position
        final int[] bucket;
        final double[] logit;   // per sorted entry
        final double[] dlogit;
        final double[] roundWeight;  // backward: w_r,t by (round, position)
        final double[] roundDLogit;  // backward: dℓ_r,t by (round, position)
        final double[] mask;
        final double[] rowA;
        final double[] rowB;
        final double[] rotated;
        final double[] mixed;   // backward: one row of the round mix out_t, then of dsk [D]
        final double[] grad;    // backward: one row of dO, dsq or dsv [D]
        final double[][] x;     // the head's q rows [T][D]
        final double[][] acc;   // backward accumulators [T][D]
        final int[] count;      // counting sort
        final float[] tmp;

        Worker(Precision precision, Plan plan, int headDim) {
            int e = plan.entries();
            int window = 2 * plan.chunk();
            sq = Buf.zeros(precision, e * headDim);
            sk = Buf.zeros(precision, e * headDim);
            sv = Buf.zeros(precision, e * headDim);
            so = Buf.zeros(precision, e * headDim);
            dsq = Buf.zeros(precision, e * headDim);
            dsk = Buf.zeros(precision, e * headDim);
            dsv = Buf.zeros(precision, e * headDim);
            scores = Buf.zeros(precision, plan.chunk() * window);
            probs = Buf.zeros(precision, plan.chunk() * window);
            pos = new int[e];
            bucket = new int[plan.seqLen()];
            logit = new double[e];
            dlogit = new double[e];
            roundWeight = new double[e];
            roundDLogit = new double[e];
            mask = new double[plan.seqLen()];
            rowA = new double[Math.max(window, headDim)];
            rowB = new double[Math.max(Math.max(window, headDim), plan.rounds())]; // also the round weights
            rotated = new double[Math.max(1, plan.rotationHalf())];
            mixed = new double[headDim];
            grad = new double[headDim];
            x = new double[plan.seqLen()][headDim];
            acc = new double[plan.seqLen()][headDim];
            int buckets = 1;
            for (int f : plan.factors()) {
                buckets *= f;
            }
            count = new int[buckets + 2]; // buckets 0..nb (nb: padding), shifted by one for the prefix sums
            tmp = new float[Math.max(window, headDim) * 2];
        }
    }

    private void prepare(StepContext ctx, AttentionShape shape, Precision precision) {
        Plan next = Plan.of(shape.seqLen(), numHashes, chunkLength, numBucketsSetting);
        workers.ensure(ctx.pool().threads(), List.of(next, shape.headDim(), precision),
                () -> new Worker(precision, next, shape.headDim()));
        plan = next;
        int heads = shape.batch() * shape.heads();
        if (sorted == null || sorted.length != heads || sorted[0].length != plan.entries()) {
            sorted = new int[heads][plan.entries()];
        }
        roundOut = Buf.ensure(roundOut, precision, heads * plan.entries() * shape.headDim());
        roundLogit = Buf.ensure(roundLogit, precision, heads * plan.entries());
        this.shape = shape;
    }

    /** Rotations [H, D, rounds, half] of this step: the fixed ones, or drawn from (seed, step, layer). */
    private double[] rotations(StepContext ctx) {
        int n = shape.heads() * shape.headDim() * plan.rounds() * plan.rotationHalf();
        if (fixedRotations != null) {
            if (fixedRotations.length != n) {
                throw new IllegalArgumentException("rotations hold " + fixedRotations.length + " values, need " + n);
            }
            return fixedRotations;
        }
        long key = Rng.key(ctx.seed(), SITE, ctx.step(), layerIndex);
        double[] r = new double[n];
        for (int i = 0; i < n; i++) {
            r[i] = Rng.normal(key, i);
        }
        return r;
    }

    /** q (shared query/key), v [B*T, H*D], keyMask [B*T] -> out [B*T, H*D]; k is not read. */
    @Override
    public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out) {
        prepare(ctx, shape, q.precision());
        this.q = q;
        this.v = v;
        this.keyMask = keyMask;
        double[] rotations = plan.lsh() ? rotations(ctx) : null;
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        workers.forEachHead(ctx, shape, (wk, bh) -> {
            int b = bh / heads;
            int h = bh % heads;
            int off = shape.headOffset(bh);
            HeadIO.loadMask(keyMask, b, seqLen, wk.mask);
            HeadIO.loadHead(q, b * seqLen, width, h * headDim, seqLen, headDim, wk.x, wk.tmp);
            if (plan.lsh()) {
                sortByBucket(rotations, h, wk);
            } else {
                for (int t = 0; t < seqLen; t++) {
                    wk.pos[t] = t;
                }
            }
            System.arraycopy(wk.pos, 0, sorted[bh], 0, plan.entries());
            gather(b, off, wk);
            for (int c = 0; c < plan.chunks(); c++) {
                attendChunk(c, wk);
            }
            // unsort into the per-round outputs, then mix the rounds: out_t = Σ_r softmax_r(ℓ_r,t) o_r,t
            int base = bh * plan.entries();
            for (int s = 0; s < plan.entries(); s++) {
                int at = base + (s / seqLen) * seqLen + wk.pos[s];
                roundOut.copyFrom(wk.so, s * headDim, at * headDim, headDim);
                roundLogit.set(at, wk.logit[s]);
            }
            for (int t = 0; t < seqLen; t++) {
                mixRounds(base, t, wk.rowA, wk);
                HeadIO.storeRow(wk.rowA, 0, out, off + t * width, headDim, wk.tmp);
            }
        });
    }

    /**
     * wk.pos = positions sorted by (round, bucket, position); a counting sort per round. Buckets of the
     * head's q rows under each round's rotation, padding tokens in one extra last bucket.
     */
    private void sortByBucket(double[] rotations, int h, Worker wk) {
        int seqLen = plan.seqLen();
        int headDim = shape.headDim();
        int rounds = plan.rounds();
        int half = plan.rotationHalf();
        int buckets = 1;
        for (int f : plan.factors()) {
            buckets *= f;
        }
        for (int r = 0; r < rounds; r++) {
            for (int t = 0; t < seqLen; t++) {
                double[] x = wk.x[t];
                for (int i = 0; i < half; i++) {
                    double s = 0;
                    for (int d = 0; d < headDim; d++) {
                        s += x[d] * rotations[((h * headDim + d) * rounds + r) * half + i];
                    }
                    wk.rotated[i] = s;
                }
                int bucket = 0;
                int product = 1;
                int at = 0;
                for (int f : plan.factors()) {
                    bucket += product * argmaxPlusMinus(wk.rotated, at, f / 2);
                    product *= f;
                    at += f / 2;
                }
                wk.bucket[t] = wk.mask[t] == 0.0 ? buckets : bucket;
            }
            Arrays.fill(wk.count, 0);
            for (int t = 0; t < seqLen; t++) {
                wk.count[wk.bucket[t] + 1]++;
            }
            for (int i = 1; i < wk.count.length; i++) {
                wk.count[i] += wk.count[i - 1];
            }
            for (int t = 0; t < seqLen; t++) {
                wk.pos[r * seqLen + wk.count[wk.bucket[t]]++] = t;
            }
        }
    }

    /** argmax over [a, −a] (n values each), the first index on ties, as torch.argmax. */
    private static int argmaxPlusMinus(double[] a, int off, int n) {
        int best = 0;
        double max = a[off];
        for (int i = 1; i < 2 * n; i++) {
            double x = i < n ? a[off + i] : -a[off + i - n];
            if (x > max) {
                max = x;
                best = i;
            }
        }
        return best;
    }

    /** sq, sk, sv [E, D] = q, normalised q, v at the sorted positions. */
    private void gather(int b, int off, Worker wk) {
        int headDim = shape.headDim();
        int width = shape.width();
        double[] row = wk.rowA;
        for (int s = 0; s < plan.entries(); s++) {
            double[] x = wk.x[wk.pos[s]];
            System.arraycopy(x, 0, row, 0, headDim);
            HeadIO.storeRow(row, 0, wk.sq, s * headDim, headDim, wk.tmp);
            double norm = keyNorm(x);
            for (int d = 0; d < headDim; d++) {
                row[d] = x[d] * norm;
            }
            HeadIO.storeRow(row, 0, wk.sk, s * headDim, headDim, wk.tmp);
            wk.sv.copyFrom(v, off + wk.pos[s] * width, s * headDim, headDim);
        }
    }

    /** k = x · keyNorm(x): 1 / (√(mean(x²) + 1e-6) · √D). */
    private static double keyNorm(double[] x) {
        double sq = 0;
        for (double value : x) {
            sq += value * value;
        }
        return 1.0 / (Math.sqrt(sq / x.length + RMS_EPS) * Math.sqrt(x.length));
    }

    /** The sorted start of chunk c's "before" chunk (wrapping), or -1 when there is none (plain attention). */
    private int before(int c) {
        return plan.lsh() ? ((c - 1 + plan.chunks()) % plan.chunks()) * plan.chunk() : -1;
    }

    /** The sorted entry of column w of chunk c's window (see {@link #windowStart}; kept branchy, not w / L). */
    private int windowKey(int c, int w) {
        int l = plan.chunk();
        int before = before(c);
        if (before < 0) {
            return c * l + w;
        }
        return w < l ? before + w : c * l + (w - l);
    }

    /** Key ranges of L sorted entries in a chunk's window: the chunk before and the chunk itself, or (plain) one. */
    private int windowParts() {
        return plan.lsh() ? 2 : 1;
    }

    private int windowSize() {
        return windowParts() * plan.chunk();
    }

    /** The sorted start of range p of chunk c's window, which is columns [p·L, (p+1)·L) of its [L, W] scores. */
    private int windowStart(int c, int p) {
        return p < windowParts() - 1 ? before(c) : c * plan.chunk();
    }

    /**
     * Scores [L, W] of chunk c: S = sq_c · sk_windowᵀ, one GEMM per window range into its columns.
     * With {@code values} instead of keys it is dP = dO_c · sv_windowᵀ.
     */
    private void windowProducts(int c, Buf left, Buf right, Buf dst) {
        int l = plan.chunk();
        int headDim = shape.headDim();
        for (int p = 0; p < windowParts(); p++) {
            Gemm.gemm(false, true, l, l, headDim, 1.0, left, c * l * headDim, headDim, right,
                    windowStart(c, p) * headDim, headDim, 0.0, dst, p * l, windowSize());
        }
    }

    /** dst[rows of the window] += Mᵀ · chunkRows for M [L, W], one GEMM per window range. */
    private void windowTransposeProducts(int c, Buf m, Buf chunkRows, Buf dst) {
        int l = plan.chunk();
        int headDim = shape.headDim();
        for (int p = 0; p < windowParts(); p++) {
            Gemm.gemm(true, false, l, headDim, l, 1.0, m, p * l, windowSize(), chunkRows, c * l * headDim, headDim,
                    1.0, dst, windowStart(c, p) * headDim, headDim);
        }
    }

    /** M [L, W] · rows of the window [W, D] -> dst rows of chunk c (overwritten by the first range's GEMM). */
    private void windowTimesRows(int c, Buf m, Buf rows, Buf dst) {
        int l = plan.chunk();
        int headDim = shape.headDim();
        for (int p = 0; p < windowParts(); p++) {
            Gemm.gemm(false, false, l, headDim, l, 1.0, m, p * l, windowSize(), rows, windowStart(c, p) * headDim,
                    headDim, p == 0 ? 0.0 : 1.0, dst, c * l * headDim, headDim);
        }
    }

    /** Chunk c: probabilities into wk.probs, log-normalisers into wk.logit, outputs into wk.so. */
    private void attendChunk(int c, Worker wk) {
        chunkProbabilities(c, wk);
        windowTimesRows(c, wk.probs, wk.sv, wk.so);
    }

    /**
     * Chunk c's probabilities [L, W] into wk.probs and log-normalisers into wk.logit: scores q·k with a padding
     * key's replaced by −1e9, then the query's own position's by −1e5 (whatever its padding), softmax.
     */
    private void chunkProbabilities(int c, Worker wk) {
        int l = plan.chunk();
        int window = windowSize();
        windowProducts(c, wk.sq, wk.sk, wk.scores);
        for (int i = 0; i < l; i++) {
            int s = c * l + i;
            HeadIO.loadRow(wk.scores, i * window, wk.rowA, 0, window, wk.tmp);
            double max = Double.NEGATIVE_INFINITY;
            for (int w = 0; w < window; w++) {
                int key = windowKey(c, w);
                double score = wk.mask[wk.pos[key]] == 0.0 ? PADDING_SCORE : wk.rowA[w];
                score = wk.pos[key] == wk.pos[s] ? SELF_SCORE : score;
                wk.rowA[w] = score;
                max = Math.max(max, score);
            }
            double sum = 0;
            for (int w = 0; w < window; w++) {
                sum += Math.exp(wk.rowA[w] - max);
            }
            double logit = max + Math.log(sum);
            for (int w = 0; w < window; w++) {
                wk.rowA[w] = Math.exp(wk.rowA[w] - logit);
            }
            wk.logit[s] = logit;
            HeadIO.storeRow(wk.rowA, 0, wk.probs, i * window, window, wk.tmp);
        }
    }

    /** dst[0, D) = Σ_r w_r o_r,t with w = softmax_r(ℓ_r,t), from the kept per-round outputs; wk.rowB gets w. */
    private void mixRounds(int base, int t, double[] dst, Worker wk) {
        int seqLen = plan.seqLen();
        int headDim = shape.headDim();
        int rounds = plan.rounds();
        double max = Double.NEGATIVE_INFINITY;
        for (int r = 0; r < rounds; r++) {
            wk.rowB[r] = roundLogit.get(base + r * seqLen + t);
            max = Math.max(max, wk.rowB[r]);
        }
        double sum = 0;
        for (int r = 0; r < rounds; r++) {
            wk.rowB[r] = Math.exp(wk.rowB[r] - max);
            sum += wk.rowB[r];
        }
        Arrays.fill(dst, 0, headDim, 0.0);
        for (int r = 0; r < rounds; r++) {
            wk.rowB[r] /= sum;
            int at = (base + r * seqLen + t) * headDim;
            for (int d = 0; d < headDim; d++) {
                dst[d] += wk.rowB[r] * roundOut.get(at + d);
            }
        }
    }

    /** dOut [B*T, H*D] -> dq, dv [B*T, H*D]; dk is zero (k is not read). */
    @Override
    public void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv) {
        if (shape == null) {
            throw new IllegalStateException("reformer backward needs a forward first");
        }
        int seqLen = shape.seqLen();
        int heads = shape.heads();
        int headDim = shape.headDim();
        int width = shape.width();
        int rounds = plan.rounds();
        dk.fill(0, shape.rows() * width, 0.0);
        workers.forEachHead(ctx, shape, (wk, bh) -> {
            double[] mixed = wk.mixed;
            double[] g = wk.grad;
            int b = bh / heads;
            int h = bh % heads;
            int off = shape.headOffset(bh);
            int base = bh * plan.entries();
            HeadIO.loadMask(keyMask, b, seqLen, wk.mask);
            HeadIO.loadHead(q, b * seqLen, width, h * headDim, seqLen, headDim, wk.x, wk.tmp);
            System.arraycopy(sorted[bh], 0, wk.pos, 0, plan.entries());
            gather(b, off, wk);
            // through the round mix: dO_r,t = w_r,t dOut_t, dℓ_r,t = w_r,t (dOut_t·o_r,t − dOut_t·out_t)
            for (int t = 0; t < seqLen; t++) {
                mixRounds(base, t, mixed, wk);
                double[] gt = wk.acc[t];
                HeadIO.loadRow(dOut, off + t * width, gt, 0, headDim, wk.tmp);
                double gOut = 0;
                for (int d = 0; d < headDim; d++) {
                    gOut += gt[d] * mixed[d];
                }
                for (int r = 0; r < rounds; r++) {
                    int at = r * seqLen + t;
                    double gRound = 0;
                    for (int d = 0; d < headDim; d++) {
                        gRound += gt[d] * roundOut.get((base + at) * headDim + d);
                    }
                    wk.roundWeight[at] = wk.rowB[r];
                    wk.roundDLogit[at] = wk.rowB[r] * (gRound - gOut);
                }
            }
            for (int s = 0; s < plan.entries(); s++) {
                int t = wk.pos[s];
                int at = (s / seqLen) * seqLen + t;
                for (int d = 0; d < headDim; d++) {
                    g[d] = wk.roundWeight[at] * wk.acc[t][d];
                }
                HeadIO.storeRow(g, 0, wk.so, s * headDim, headDim, wk.tmp);
                wk.dlogit[s] = wk.roundDLogit[at];
            }
            wk.dsq.fill(0, plan.entries() * headDim, 0.0);
            wk.dsk.fill(0, plan.entries() * headDim, 0.0);
            wk.dsv.fill(0, plan.entries() * headDim, 0.0);
            for (int c = 0; c < plan.chunks(); c++) {
                chunkBackward(c, wk);
            }
            // scatter to positions: dq_t = Σ dsq + key-norm backward of Σ dsk; dv_t = Σ dsv
            for (double[] row : wk.acc) {
                Arrays.fill(row, 0.0);
            }
            for (int s = 0; s < plan.entries(); s++) {
                double[] x = wk.x[wk.pos[s]];
                double[] a = wk.acc[wk.pos[s]];
                HeadIO.loadRow(wk.dsq, s * headDim, g, 0, headDim, wk.tmp);
                HeadIO.loadRow(wk.dsk, s * headDim, mixed, 0, headDim, wk.tmp);
                double norm = keyNorm(x);
                double rms2 = 1.0 / (norm * norm * headDim); // mean(x²) + 1e-6
                double dot = 0;
                for (int d = 0; d < headDim; d++) {
                    dot += x[d] * mixed[d];
                }
                for (int d = 0; d < headDim; d++) {
                    a[d] += g[d] + norm * (mixed[d] - x[d] * dot / (rms2 * headDim));
                }
            }
            HeadIO.storeHead(wk.acc, dq, b * seqLen, width, h * headDim, seqLen, headDim, false, wk.rowA,
                    wk.tmp);
            for (double[] row : wk.acc) {
                Arrays.fill(row, 0.0);
            }
            for (int s = 0; s < plan.entries(); s++) {
                HeadIO.loadRow(wk.dsv, s * headDim, g, 0, headDim, wk.tmp);
                double[] a = wk.acc[wk.pos[s]];
                for (int d = 0; d < headDim; d++) {
                    a[d] += g[d];
                }
            }
            HeadIO.storeHead(wk.acc, dv, b * seqLen, width, h * headDim, seqLen, headDim, false, wk.rowA,
                    wk.tmp);
        });
    }

    /**
     * Chunk c backward, given dO (wk.so) and dℓ (wk.dlogit) of its sorted entries: recompute P, then
     * dsv_window += Pᵀ dO; dS = P ⊙ (dP − Σ P dP) + dℓ P, zero where the score was replaced by a mask constant;
     * dsq_c = dS sk_window; dsk_window += dSᵀ sq_c.
     */
    private void chunkBackward(int c, Worker wk) {
        int l = plan.chunk();
        int window = windowSize();
        chunkProbabilities(c, wk); // the forward's, recomputed (wk.logit is not read again)
        windowTransposeProducts(c, wk.probs, wk.so, wk.dsv);
        windowProducts(c, wk.so, wk.sv, wk.scores);
        for (int i = 0; i < l; i++) {
            int s = c * l + i;
            HeadIO.loadRow(wk.probs, i * window, wk.rowA, 0, window, wk.tmp);
            HeadIO.loadRow(wk.scores, i * window, wk.rowB, 0, window, wk.tmp);
            double dot = 0;
            for (int w = 0; w < window; w++) {
                dot += wk.rowA[w] * wk.rowB[w];
            }
            for (int w = 0; w < window; w++) {
                int key = windowKey(c, w);
                boolean replaced = wk.mask[wk.pos[key]] == 0.0 || wk.pos[key] == wk.pos[s];
                wk.rowB[w] = replaced ? 0.0 : wk.rowA[w] * (wk.rowB[w] - dot + wk.dlogit[s]);
            }
            HeadIO.storeRow(wk.rowB, 0, wk.scores, i * window, window, wk.tmp);
        }
        windowTimesRows(c, wk.scores, wk.sk, wk.dsq);
        windowTransposeProducts(c, wk.scores, wk.sq, wk.dsk);
    }
}
