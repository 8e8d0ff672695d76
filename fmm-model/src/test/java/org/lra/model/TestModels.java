package org.lra.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.function.IntUnaryOperator;
import java.util.stream.Stream;
import org.lra.data.Batch;
import org.lra.model.attention.Attention;
import org.lra.model.attention.AttentionShape;
import org.lra.model.config.AttentionConfig;
import org.lra.model.attention.ReferenceBlends;
import org.lra.model.config.AttentionType;
import org.lra.model.config.KernelType;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.Pooling;
import org.lra.model.config.TrainingConfig;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Rng;
import org.lra.model.testing.AssertClose;
import org.lra.model.testing.GradCheck;

/** Small configs, random batches and the float32-against-float64 checks shared by the model tests. */
public final class TestModels {
    private TestModels() {
    }

    public static final AttentionConfig SOFTMAX = new AttentionConfig(AttentionType.softmax, 5, List.of(), null, false, false);

    /** A tiny model: width 8, 2 heads of 4, 2 layers, FFN 12, head 10. */
    public static ModelConfig tiny(int vocab, int maxLength, int classes, double dropout, boolean dual) {
        return tiny(vocab, maxLength, classes, dropout, dual, SOFTMAX);
    }

    /** {@link #tiny(int, int, int, double, boolean)} with the given attention. */
    public static ModelConfig tiny(int vocab, int maxLength, int classes, double dropout, boolean dual,
                                   AttentionConfig attention) {
        return new ModelConfig(vocab, maxLength, classes, 8, 2, 4, 2, 12, 10, dropout, dropout, true, Pooling.MEAN, dual, attention);
    }

    /** Every production attention as configs/paper sets it up: softmax, linear, band5 and fmm with each paper blend. */
    public static final List<String> PRODUCTION_ATTENTIONS = Stream.concat(Stream.of("softmax", "linear", "band5"),
            ReferenceBlends.PAPER.stream().map(b -> "fmm-" + b)).toList();

    /** {@link #PRODUCTION_ATTENTIONS}, as a JUnit method source. */
    public static Stream<String> productionAttentions() {
        return PRODUCTION_ATTENTIONS.stream();
    }

    /**
     * The LRA baselines at test size (names for {@link #attention}): nystrom with 4 landmarks and a 3-tap conv,
     * linformer with k = 4. The sequence length must be a multiple of 4 (nystrom) and at least 4 (linformer).
     */
    public static final List<String> BASELINE_ATTENTIONS = List.of("nystrom", "linformer");

    /** {@link #BASELINE_ATTENTIONS}, as a JUnit method source. */
    public static Stream<String> baselineAttentions() {
        return BASELINE_ATTENTIONS.stream();
    }

    /**
     * softmax | linear | band5 | fmm-&lt;reference blend&gt; (e.g. fmm-listops-2k), bandwidth 5 as in the paper;
     * or one of {@link #BASELINE_ATTENTIONS}.
     */
    public static AttentionConfig attention(String name) {
        return switch (name) {
            case "softmax" -> SOFTMAX;
            case "linear" -> new AttentionConfig(AttentionType.linear, 5, List.of(KernelType.elu), null, false, false);
            case "band5" -> new AttentionConfig(AttentionType.band, 5, List.of(), null, false, false);
            case "nystrom" -> new AttentionConfig(AttentionType.nystrom, 5, List.of(), null, false, false)
                    .withNystrom(4, 3);
            case "linformer" -> new AttentionConfig(AttentionType.linformer, 5, List.of(), null, false, false)
                    .withLinformerK(4);
            default -> {
                if (!name.startsWith("fmm-")) {
                    throw new IllegalArgumentException("no production attention " + name);
                }
                yield ReferenceBlends.named(name.substring(4)).config(5, false, false);
            }
        };
    }

    /** The reference LRA shape (§1.2) at a given length and vocabulary. */
    public static ModelConfig reference(int vocab, int maxLength, int classes) {
        return new ModelConfig(vocab, maxLength, classes, 64, 2, 32, 2, 128, 128, 0.1, 0.1, true, Pooling.MEAN, false, SOFTMAX);
    }

    /**
     * Every parameter gradient of one float64 training step (dropout on where the model has it) against finite
     * differences: the loss re-runs the same step, so forward and backward must apply the same dropout masks.
     */
    public static void assertGradientsMatchFiniteDifferences(Model model, Batch batch, int threads) {
        try (Parallel pool = new Parallel(threads)) {
            StepContext ctx = new StepContext(pool, true, 8, 2);
            model.parameters().zeroGrads();
            model.forwardBackward(ctx, batch);
            GradCheck.parameters(model.parameters(), () -> trainingLoss(model, ctx, batch));
        }
    }

    /**
     * The loss of one training forward (dropout per ctx), leaving the gradient block as it was: forwardBackward
     * accumulates gradients, a finite difference only wants the loss.
     */
    private static double trainingLoss(Model model, StepContext ctx, Batch batch) {
        var grads = model.parameters().grads();
        double[] saved = grads.toDoubleArray(0, grads.length());
        double loss = model.forwardBackward(ctx, batch).loss();
        for (int i = 0; i < saved.length; i++) {
            grads.set(i, saved[i]);
        }
        return loss;
    }

    /** Random ids in 1..vocab-1, each sequence padded with 0 after a random length in [T/2, T]. */
    public static Batch randomBatch(int size, int seqLen, int vocab, int classes, long seed, boolean dual) {
        int[] ids = randomIds(size, seqLen, vocab, Rng.key(seed, 1));
        int[] ids2 = dual ? randomIds(size, seqLen, vocab, Rng.key(seed, 2)) : null;
        int[] labels = new int[size];
        long key = Rng.key(seed, 3);
        for (int b = 0; b < size; b++) {
            labels[b] = (int) (Rng.uniform(key, b) * classes);
        }
        return new Batch(size, seqLen, ids, ids2, labels);
    }

    private static int[] randomIds(int size, int seqLen, int vocab, long key) {
        int[] ids = new int[size * seqLen];
        for (int b = 0; b < size; b++) {
            int len = seqLen / 2 + (int) (Rng.uniform(key, 1_000_000 + b) * (seqLen - seqLen / 2 + 1));
            for (int t = 0; t < len; t++) {
                ids[b * seqLen + t] = 1 + (int) (Rng.uniform(key, b * seqLen + t) * (vocab - 1));
            }
        }
        return ids;
    }

    /** Reference optimiser settings with a given schedule length. */
    public static TrainingConfig training(int steps, int warmup, double lr, String schedule) {
        return new TrainingConfig(8, steps, warmup, lr, schedule, 25, 1e4, true, 0.95, 0.85, 0.999, 1e-6, 0, 0,
                100, 10);
    }

    /**
     * The float32 model against the float64 one on the very same (float32) weights, batch and dropout masks: the
     * loss and every parameter gradient within {@link AssertClose#float32}.
     */
    public static void assertFloat32ModelMatchesFloat64(String name, ModelConfig cfg, Batch batch) {
        Model m64 = ModelBuilder.build(cfg, Precision.FLOAT64, 3);
        Model m32 = ModelBuilder.build(cfg, Precision.FLOAT32, 3);
        Buf v64 = m64.parameters().values();
        Buf v32 = m32.parameters().values();
        for (int i = 0; i < v64.length(); i++) {
            v64.set(i, v32.get(i));
        }
        double loss64;
        double loss32;
        try (Parallel pool = new Parallel(2)) {
            StepContext ctx = new StepContext(pool, true, 5, 2);
            m64.parameters().zeroGrads();
            m32.parameters().zeroGrads();
            loss64 = m64.forwardBackward(ctx, batch).loss();
            loss32 = m32.forwardBackward(ctx, batch).loss();
        }
        assertEquals(loss64, loss32, AssertClose.FLOAT32_RTOL * Math.abs(loss64), name + " loss");
        for (Param w : m64.parameters().list()) {
            AssertClose.float32(name + " grad " + w.name(),
                    m64.parameters().grads().toDoubleArray(w.offset(), w.offset() + w.size()),
                    m32.parameters().grads(), w.offset());
        }
    }

    /**
     * A float32 attention core against a float64 one: the same float32-exact q, k, v and upstream, keys of
     * sequence b masked from position length(b) on, one training-mode forward and backward each (attention dropout
     * on, the same masks); out, dq, dk, dv and every parameter gradient within {@link AssertClose#float32}. The
     * caller gives both parameter blocks the same values; they are null for a core without parameters.
     */
    public static void assertFloat32CoreMatchesFloat64(String name, AttentionShape shape, Attention a64,
                                                       Parameters p64, Attention a32, Parameters p32,
                                                       IntUnaryOperator length) {
        int n = shape.rows() * shape.width();
        Buf[] res64 = trainingForwardBackward(a64, p64, shape, Precision.FLOAT64, length);
        Buf[] res32 = trainingForwardBackward(a32, p32, shape, Precision.FLOAT32, length);
        String[] what = {"out", "dq", "dk", "dv"};
        for (int r = 0; r < 4; r++) {
            AssertClose.float32(name + " " + what[r], res64[r].toDoubleArray(0, n), res32[r], 0);
        }
        if (p64 != null) {
            for (Param w : p64.list()) {
                AssertClose.float32(name + " grad " + w.name(),
                        p64.grads().toDoubleArray(w.offset(), w.offset() + w.size()), p32.grads(), w.offset());
            }
        }
    }

    /** Forward and backward in training mode on the inputs described above; returns out, dq, dk, dv. */
    private static Buf[] trainingForwardBackward(Attention a, Parameters params, AttentionShape shape, Precision p,
                                                 IntUnaryOperator length) {
        int n = shape.rows() * shape.width();
        Buf[] in = new Buf[4]; // q, k, v, upstream: float32-exact, so both precisions see the same numbers
        for (int t = 0; t < 4; t++) {
            in[t] = Buf.zeros(p, n);
            for (int i = 0; i < n; i++) {
                in[t].set(i, (float) ((t < 2 ? 3.0 : 2.0) * (Rng.uniform(Rng.key(31, t), i) - 0.5)));
            }
        }
        Buf mask = Buf.zeros(p, shape.rows());
        for (int b = 0; b < shape.batch(); b++) {
            for (int t = 0; t < length.applyAsInt(b); t++) {
                mask.set(b * shape.seqLen() + t, 1);
            }
        }
        Buf[] res = {Buf.zeros(p, n), Buf.zeros(p, n), Buf.zeros(p, n), Buf.zeros(p, n)};
        try (Parallel pool = new Parallel(2)) {
            StepContext ctx = new StepContext(pool, true, 11, 3);
            if (params != null) {
                params.zeroGrads();
            }
            a.forward(ctx, shape, in[0], in[1], in[2], mask, res[0]);
            a.backward(ctx, in[3], res[1], res[2], res[3]);
        }
        return res;
    }
}
