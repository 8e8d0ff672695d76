package org.lra.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.lra.data.Batch;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.BlendConfig;
import org.lra.model.config.KernelType;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.Pooling;
import org.lra.model.config.WeightShape;
import org.lra.model.config.WeightSpec;
import org.lra.model.nn.IdentityMixAttention;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Precision;

class ClassifierTest {
    static final IdentityMixAttention.Mode SOFTMAX = IdentityMixAttention.Mode.SOFTMAX;

    @Test
    void evaluateHasNoDropoutAndMatchesTrainingForwardWithoutIt() {
        ModelConfig withDropout = TestModels.tiny(7, 8, 3, 0.3, false);
        ModelConfig without = TestModels.tiny(7, 8, 3, 0.0, false);
        var provider = IdentityMixAttention.provider(SOFTMAX);
        Model a = ModelBuilder.build(withDropout, Precision.FLOAT64, 5, provider);
        Model b = ModelBuilder.build(without, Precision.FLOAT64, 5, provider);
        Batch batch = TestModels.randomBatch(4, 8, 7, 3, 1, false);
        try (Parallel pool = new Parallel(1)) {
            Model.Result ea = a.evaluate(pool, 1, batch);
            Model.Result eb = b.evaluate(pool, 1, batch);
            Model.Result tb = b.forwardBackward(new StepContext(pool, true, 1, 0), batch);
            assertEquals(ea.loss(), eb.loss(), 0, "same seed, same weights; dropout off in evaluate");
            assertEquals(tb.loss(), eb.loss(), 1e-15);
            assertEquals(4, ea.predictions().length);
            double trainLoss = a.forwardBackward(new StepContext(pool, true, 1, 0), batch).loss();
            assertTrue(trainLoss != ea.loss(), "dropout is active in training");
        }
    }

    @Test
    void parameterNamesAndCountMatchTheReferenceModel() {
        // reference §1.2 at ListOps size: vocab 32, positions 2048, 10 classes
        Model m = ModelBuilder.build(TestModels.reference(32, 2000, 10), Precision.FLOAT32, 0,
                IdentityMixAttention.provider(IdentityMixAttention.Mode.IDENTITY));
        long perBlock = 2 * 64 + 3 * (64 * 64 + 64) + (64 * 64 + 64) + 2 * 64 + (64 * 128 + 128) + (128 * 64 + 64);
        long expected = 32 * 64 + 2048 * 64 + 2 * perBlock + 2 * 64 + (64 * 128 + 128) + (128 * 10 + 10);
        assertEquals(expected, m.parameters().size());
        Param wq = m.parameters().get("block1.attn.wq.weight");
        assertEquals(64, wq.shape()[0]);
        assertTrue(wq.decay());
        assertTrue(!m.parameters().get("block0.norm1.weight").decay());
    }

    @Test
    void productionModelNamesEveryParameterInOneScheme() {
        // ListOps fmm-2kernel-band5 (configs/paper): every blend weight learnable, so all four are registered
        BlendConfig blend = new BlendConfig(WeightSpec.learned(WeightShape.per_head, 1),
                WeightSpec.learned(WeightShape.per_head, 0),
                List.of(WeightSpec.learned(WeightShape.scalar, 1), WeightSpec.learned(WeightShape.scalar, 0)));
        AttentionConfig fmm = new AttentionConfig(AttentionType.fmm, 5, List.of(KernelType.elu, KernelType.elu_flip),
                blend, false, false);
        ModelConfig cfg = new ModelConfig(32, 2000, 10, 64, 2, 32, 2, 128, 128, 0.1, 0.1, true, Pooling.MEAN, false, fmm);
        Model m = ModelBuilder.build(cfg, Precision.FLOAT32, 0);
        List<String> names = m.parameters().list().stream().map(Param::name).toList();
        Pattern scheme = Pattern.compile("(embedding\\.(tokens|positions)"
                + "|block[0-9]+\\.(norm[12]|attn\\.w[qkvo]|mlp\\.fc[12])\\.(weight|bias)"
                + "|block[0-9]+\\.attn\\.blend\\.(near|far|kernel[0-9]+)"
                + "|final_norm\\.(weight|bias)|head\\.fc[12]\\.(weight|bias))");
        for (String name : names) {
            assertTrue(scheme.matcher(name).matches(), name);
        }
        for (int layer = 0; layer < 2; layer++) {
            String p = "block" + layer + ".attn.blend.";
            assertEquals(List.of(p + "near", p + "far", p + "kernel0", p + "kernel1"),
                    names.stream().filter(n -> n.startsWith(p)).toList());
        }
    }

    @Test
    void rejectsBatchesOfTheWrongKind() {
        Model single = ModelBuilder.build(TestModels.tiny(7, 8, 3, 0, false), Precision.FLOAT64, 1,
                IdentityMixAttention.provider(SOFTMAX));
        try (Parallel pool = new Parallel(1)) {
            Batch dual = TestModels.randomBatch(2, 8, 7, 3, 1, true);
            assertThrows(IllegalArgumentException.class, () -> single.evaluate(pool, 0, dual));
        }
    }
}
