package org.lra.model;

import java.util.List;
import java.util.stream.Stream;
import org.lra.data.Batch;
import org.lra.model.config.AttentionConfig;
import org.lra.model.attention.ReferenceBlends;
import org.lra.model.config.AttentionType;
import org.lra.model.config.KernelType;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.TrainingConfig;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Rng;

/** Small configs and random batches shared by the model tests. */
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
        return new ModelConfig(vocab, maxLength, classes, 8, 2, 4, 2, 12, 10, dropout, dropout, true, dual, attention);
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
        return new ModelConfig(vocab, maxLength, classes, 64, 2, 32, 2, 128, 128, 0.1, 0.1, true, false, SOFTMAX);
    }

    /**
     * The loss of one training forward (dropout per ctx), leaving the gradient block as it was: forwardBackward
     * accumulates gradients, a finite difference only wants the loss.
     */
    public static double trainingLoss(Model model, StepContext ctx, Batch batch) {
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
}
