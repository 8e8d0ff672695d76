package org.lra.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.lra.data.Batch;
import org.lra.model.attention.ReferenceBlends;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.KernelType;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.PerformerKernel;
import org.lra.model.config.Pooling;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Rng;

/**
 * The forward-only evaluation path ({@link Model#evaluate}) against the training forward with dropout off: the same
 * logits bit for bit (so the same loss, predictions and probabilities), for every attention variant, every pooling,
 * the single and the dual model, in both precisions, on padded batches. The evaluation keeps nothing for a backward
 * and reuses its buffers across batches and blocks, so the comparison is repeated after a training step and after a
 * batch of another size, and a training step after an evaluation must give the gradients it gives without one.
 */
class EvaluationForwardTest {
    /** Divisible by nystrom's 4 landmarks and reformer's chunks of 4. */
    private static final int T = 16;
    private static final int VOCAB = 11;
    private static final int CLASSES = 3;
    /** Not 0: the attentions that draw random features from the run's seed must draw the training forward's. */
    private static final long RUN_SEED = 5;

    static List<String> attentions() {
        return List.of("softmax", "linear", "band5", "fmm-listops-1k", "fmm-listops-2k", "nystrom", "linformer",
                "performer-exp", "performer-relu", "reformer");
    }

    static AttentionConfig attention(String name) {
        return switch (name) {
            case "performer-exp" -> new AttentionConfig(AttentionType.performer, 5, List.of(), null, false, false)
                    .withPerformer(8, PerformerKernel.exp);
            case "performer-relu" -> new AttentionConfig(AttentionType.performer, 5, List.of(), null, false, false)
                    .withPerformer(8, PerformerKernel.relu);
            case "reformer" -> new AttentionConfig(AttentionType.reformer, 5, List.of(), null, false, false)
                    .withReformer(2, 4, 0);
            case "linear" -> new AttentionConfig(AttentionType.linear, 5, List.of(KernelType.elu), null, false, false);
            default -> TestModels.attention(name);
        };
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (Precision precision : Precision.values()) {
            for (String a : attentions()) {
                for (Pooling pooling : Pooling.values()) {
                    for (boolean dual : new boolean[] {false, true}) {
                        all.add(Arguments.of(a, pooling, dual, precision));
                    }
                }
            }
        }
        return all.stream();
    }

    /**
     * Width 32 and heads of 16, so that float32 runs the SIMD kernels (LayerNorm, band, far field need whole
     * vectors) on any machine with up to 16 float lanes.
     */
    private static ModelConfig config(String attention, Pooling pooling, boolean dual, double dropout) {
        return new ModelConfig(VOCAB, T, CLASSES, 32, 2, 16, 2, 48, 10, dropout, dropout, true, pooling, dual,
                attention(attention));
    }

    @ParameterizedTest(name = "{0} {1} dual={2} {3}")
    @MethodSource("cases")
    void evaluationGivesTheTrainingForwardsLogitsBitForBit(String attention, Pooling pooling, boolean dual,
                                                           Precision precision) {
        Model reference = ModelBuilder.build(config(attention, pooling, dual, 0.0), precision, 7);
        Model evaluated = ModelBuilder.build(config(attention, pooling, dual, 0.1), precision, 7);
        perturb(reference);
        Buf from = reference.parameters().values();
        evaluated.parameters().values().copyFrom(from, 0, 0, from.length());
        Batch batch = TestModels.randomBatch(4, T, VOCAB, CLASSES, 3, dual);
        Batch other = TestModels.randomBatch(3, T, VOCAB, CLASSES, 9, dual); // a shorter last batch of a split
        try (Parallel pool = new Parallel(2)) {
            // the training forward without dropout, at step 0 of the run: what evaluation must equal
            Model.Result trained = reference.forwardBackward(new StepContext(pool, true, RUN_SEED, 0), batch);
            long[] expected = bits(reference.logits(), batch.size());
            Model.Result trainedOther = reference.forwardBackward(new StepContext(pool, true, RUN_SEED, 0), other);
            long[] expectedOther = bits(reference.logits(), other.size());

            String what = attention + " " + pooling + (dual ? " dual" : "") + " " + precision;
            assertSame(what, trained, expected, evaluated.evaluate(pool, RUN_SEED, batch), evaluated);
            // buffers reused: a training step with dropout in between, then a smaller batch, then the first again
            evaluated.forwardBackward(new StepContext(pool, true, RUN_SEED, 3), batch);
            assertSame(what + " after a training step", trained, expected, evaluated.evaluate(pool, RUN_SEED, batch),
                    evaluated);
            assertSame(what + " smaller batch", trainedOther, expectedOther, evaluated.evaluate(pool, RUN_SEED, other),
                    evaluated);
            assertSame(what + " again", trained, expected, evaluated.evaluate(pool, RUN_SEED, batch), evaluated);

            // an evaluation between two training steps leaves the next step's gradients as they were
            StepContext step = new StepContext(pool, true, RUN_SEED, 4);
            double[] before = gradients(evaluated, step, batch);
            evaluated.evaluate(pool, RUN_SEED, other);
            assertArrayEquals(before, gradients(evaluated, step, batch), what + " gradients after an evaluation");
        }
    }

    private static void assertSame(String what, Model.Result expected, long[] expectedLogits, Model.Result actual,
                                   Model model) {
        assertArrayEquals(expectedLogits, bits(model.logits(), expected.size()), what + " logits");
        assertEquals(expected.loss(), actual.loss(), 0.0, what + " loss");
        assertEquals(expected.correct(), actual.correct(), what + " correct");
        assertArrayEquals(expected.predictions(), actual.predictions(), what + " predictions");
        assertArrayEquals(expected.pPredicted(), actual.pPredicted(), 0.0, what + " p(predicted)");
    }

    /** The logits of {@code size} examples, bit for bit: float bits for float32, double bits for float64. */
    private static long[] bits(Buf logits, int size) {
        long[] bits = new long[size * CLASSES];
        for (int i = 0; i < bits.length; i++) {
            double v = logits.get(i);
            bits[i] = logits.precision() == Precision.FLOAT32 ? Float.floatToRawIntBits((float) v)
                    : Double.doubleToRawLongBits(v);
        }
        return bits;
    }

    /** Moves every weight off its initial value, so that terms that start at 0 (fmm's far-field weight) count. */
    private static void perturb(Model model) {
        Buf v = model.parameters().values();
        long key = Rng.key(41, 1);
        for (int i = 0; i < v.length(); i++) {
            v.set(i, v.get(i) + 0.2 * (Rng.uniform(key, i) - 0.5));
        }
    }

    private static double[] gradients(Model model, StepContext ctx, Batch batch) {
        model.parameters().zeroGrads();
        model.forwardBackward(ctx, batch);
        Buf g = model.parameters().grads();
        return g.toDoubleArray(0, g.length());
    }
}
