package org.lra.model.attention;

import static org.lra.model.config.WeightShape.per_head;
import static org.lra.model.config.WeightShape.per_head_dim;
import static org.lra.model.config.WeightShape.scalar;

import java.util.List;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.BlendConfig;
import org.lra.model.config.KernelType;
import org.lra.model.config.WeightSpec;

/** The FMMformer blend table of the reference (§1.3), one row per README run, as configs. */
public final class ReferenceBlends {
    private ReferenceBlends() {
    }

    public record Row(String name, List<KernelType> kernels, BlendConfig blend) {
        public AttentionConfig config(int bandwidth, boolean causal, boolean normalized) {
            return new AttentionConfig(AttentionType.fmm, bandwidth, kernels, blend, causal, normalized);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static final List<KernelType> ONE = List.of(KernelType.elu);
    private static final List<KernelType> TWO = List.of(KernelType.elu, KernelType.elu_flip);

    private static WeightSpec learned(org.lra.model.config.WeightShape shape, double init) {
        return WeightSpec.learned(shape, init);
    }

    private static WeightSpec fixed(double value) {
        return WeightSpec.fixed(value);
    }

    public static List<Row> all() {
        return List.of(
                // a⊙near + b⊙far1, a=1, b=0 per head
                new Row("listops-1k", ONE, new BlendConfig(learned(per_head, 1), learned(per_head, 0),
                        List.of(fixed(1)))),
                // a⊙near + b⊙(c·far1 + e·far2), a=1, b=0 per head; c=1, e=0 scalar
                new Row("listops-2k", TWO, new BlendConfig(learned(per_head, 1), learned(per_head, 0),
                        List.of(learned(scalar, 1), learned(scalar, 0)))),
                // near + s⊙far1, s=0 per head-dim
                new Row("text-1k", ONE, new BlendConfig(fixed(1), learned(per_head_dim, 0), List.of(fixed(1)))),
                // near + s⊙(0.5·far1 + 0.5·far2)
                new Row("text-2k", TWO, new BlendConfig(fixed(1), learned(per_head_dim, 0),
                        List.of(fixed(0.5), fixed(0.5)))),
                // s⊙near + far1, s=0 per head
                new Row("retrieval-1k", ONE, new BlendConfig(learned(per_head, 0), fixed(1), List.of(fixed(1)))),
                // s⊙near + (c·far1 + e·far2), c=1, e=0 scalar
                new Row("retrieval-2k", TWO, new BlendConfig(learned(per_head, 0), fixed(1),
                        List.of(learned(scalar, 1), learned(scalar, 0)))),
                new Row("image-1k", ONE, new BlendConfig(fixed(1), learned(per_head_dim, 0), List.of(fixed(1)))),
                // near + s⊙(far1 + e·far2), e=0 scalar
                new Row("image-2k", TWO, new BlendConfig(fixed(1), learned(per_head_dim, 0),
                        List.of(fixed(1), learned(scalar, 0)))),
                // s·near + (1−s)·far1, s=0.5 scalar
                new Row("pathfinder-1k", ONE, new BlendConfig(learned(scalar, 0.5), WeightSpec.complement(),
                        List.of(fixed(1)))),
                // s·near + (1−s)·(far1 + e·far2)
                new Row("pathfinder-2k", TWO, new BlendConfig(learned(scalar, 0.5), WeightSpec.complement(),
                        List.of(fixed(1), learned(scalar, 0)))),
                // Band5: near only; the reference still names elu, which is unused
                new Row("band-only", ONE, new BlendConfig(fixed(1), null, List.of())));
    }

    /** The row called {@code name}, e.g. {@code listops-2k}. */
    public static Row named(String name) {
        return all().stream().filter(r -> r.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no reference blend " + name));
    }

    /** The blends configs/paper uses for fmm-2kernel-band5 on each task, plus Retrieval's 1-kernel one. */
    public static final List<String> PAPER = List.of("listops-2k", "text-2k", "retrieval-1k", "retrieval-2k",
            "image-2k", "pathfinder-2k");
}
