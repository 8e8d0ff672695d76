package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.BlendConfig;
import org.lra.model.config.KernelType;
import org.lra.model.config.WeightShape;
import org.lra.model.config.WeightSpec;
import org.lra.model.tensor.Parameters;

class AttentionFactoryTest {
    private static final List<KernelType> ELU = List.of(KernelType.elu);
    private static final BlendConfig ONE_KERNEL = new BlendConfig(WeightSpec.fixed(1),
            WeightSpec.learned(WeightShape.per_head, 0), List.of(WeightSpec.fixed(1)));

    private static Attention create(AttentionConfig cfg) {
        return AttentionFactory.create(cfg, new Parameters(), "block0.attn", 2, 32, 0.1, 0);
    }

    private static void assertRejected(String field, AttentionConfig cfg) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> create(cfg));
        assertTrue(e.getMessage().contains(field), () -> "message should name " + field + ": " + e.getMessage());
    }

    @Test
    void buildsEachType() {
        assertInstanceOf(SoftmaxAttention.class,
                create(new AttentionConfig(AttentionType.softmax, 0, List.of(), null, false, false)));
        assertInstanceOf(LinearAttention.class,
                create(new AttentionConfig(AttentionType.linear, 0, null, null, false, false)));
        assertInstanceOf(BandAttention.class,
                create(new AttentionConfig(AttentionType.band, 5, ELU, null, true, false)));
        assertInstanceOf(FmmAttention.class,
                create(new AttentionConfig(AttentionType.fmm, 5, ELU, ONE_KERNEL, false, true)));
    }

    @Test
    void rejectsInconsistentConfigsNamingTheField() {
        assertRejected("attention.type", new AttentionConfig(null, 5, ELU, null, false, false));
        assertRejected("attention.bandwidth", new AttentionConfig(AttentionType.band, 0, ELU, null, false, false));
        assertRejected("attention.bandwidth", new AttentionConfig(AttentionType.fmm, -1, ELU, ONE_KERNEL, false, false));
        assertRejected("attention.normalized", new AttentionConfig(AttentionType.softmax, 0, ELU, null, false, true));
        assertRejected("attention.blend", new AttentionConfig(AttentionType.fmm, 5, ELU, null, false, false));
        assertRejected("attention.blend.kernels", new AttentionConfig(AttentionType.fmm, 5,
                List.of(KernelType.elu, KernelType.elu_flip), ONE_KERNEL, false, false));
        assertRejected("attention.blend.near", new AttentionConfig(AttentionType.fmm, 5, ELU,
                new BlendConfig(WeightSpec.complement(), WeightSpec.fixed(1), List.of(WeightSpec.fixed(1))),
                false, false));
        assertRejected("attention.blend.far", new AttentionConfig(AttentionType.fmm, 5, ELU,
                new BlendConfig(WeightSpec.fixed(1), null, List.of(WeightSpec.fixed(1))), false, false));
        assertRejected("attention.blend.kernels[0]", new AttentionConfig(AttentionType.fmm, 5, ELU,
                new BlendConfig(WeightSpec.fixed(1), WeightSpec.fixed(1), List.of(WeightSpec.complement())),
                false, false));
        assertRejected("attentionDropout", new AttentionConfig(AttentionType.band, 5, ELU, null, false, false),
                1.0);
    }

    private static void assertRejected(String field, AttentionConfig cfg, double dropout) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AttentionFactory.create(cfg, new Parameters(), "p", 2, 32, dropout, 0));
        assertTrue(e.getMessage().contains(field), () -> "message should name " + field + ": " + e.getMessage());
    }

    private static AttentionConfig of(AttentionType type) {
        return new AttentionConfig(type, 0, List.of(), null, false, false);
    }

    /** Each variant's length rule, stated once: what the config check, bench step and the variant itself use. */
    @Test
    void lengthRulesAreEachVariantsOwn() {
        AttentionConfig base = of(AttentionType.softmax);
        AttentionLength padded = new AttentionLength(100, "the padded length 100");
        AttentionLength longest = new AttentionLength(90, "task.maxLength");
        assertTrue(AttentionFactory.lengthProblems(base, padded, longest).isEmpty());
        assertEquals(java.util.Map.of("numLandmarks", "must divide the padded length 100 and be smaller, got 64"),
                AttentionFactory.lengthProblems(of(AttentionType.nystrom).withNystrom(64, 0), padded, longest));
        assertEquals(java.util.Map.of("linformerK", "must be in [1, task.maxLength] = [1, 90], got 256"),
                AttentionFactory.lengthProblems(of(AttentionType.linformer).withLinformerK(256), padded, longest));
        assertEquals(java.util.Map.of("lshChunkLength", "must divide the padded length 100 when shorter than it, got 64"),
                AttentionFactory.lengthProblems(of(AttentionType.reformer).withReformer(2, 64, 0), padded, longest));
        assertTrue(AttentionFactory.lengthProblems(of(AttentionType.nystrom).withNystrom(4, 0), padded, longest).isEmpty());
    }
}
