package org.lra.model.bench;

import java.util.List;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.BlendConfig;
import org.lra.model.config.KernelType;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.Pooling;
import org.lra.model.config.TrainingConfig;
import org.lra.model.config.WeightShape;
import org.lra.model.config.WeightSpec;

/**
 * The model and optimiser of the PyTorch twin (scripts/bench/torch_twin.py), so that the two time the same
 * computation: d=64, 2 heads × 32, 2 layers, FFN 128, vocab 256, 10 classes, dropout 0.1 everywhere,
 * AdamW(1e-4, (0.9, 0.999), eps 1e-6, wd 0) with no schedule. fmm is `a*near + b*far` with a, b per head
 * (1 and 0 at init) and the kernels' far fields summed unweighted, as the twin computes it.
 */
public final class BenchModel {
    private BenchModel() {
    }

    public static AttentionConfig attention(AttentionType type, int bandwidth, int kernels) {
        List<KernelType> maps = kernels >= 2 ? List.of(KernelType.elu, KernelType.elu_flip) : List.of(KernelType.elu);
        return switch (type) {
            // the LRA baselines at the reference's settings (nystrom-64 with a 35-tap conv, linformer-256,
            // performer-256 relu, reformer-2)
            case softmax, linear, band, nystrom, linformer, performer, reformer -> new AttentionConfig(type, bandwidth, maps, null, false, false);
            case fmm -> new AttentionConfig(type, bandwidth, maps, new BlendConfig(
                    WeightSpec.learned(WeightShape.per_head, 1.0), WeightSpec.learned(WeightShape.per_head, 0.0),
                    maps.stream().map(k -> WeightSpec.fixed(1.0)).toList()), false, false);
        };
    }

    public static ModelConfig model(AttentionConfig attention, int seqLen) {
        return new ModelConfig(256, seqLen, 10, 64, 2, 32, 2, 128, 128, 0.1, 0.1, true, Pooling.MEAN, false, attention);
    }

    public static TrainingConfig training(int batch) {
        return new TrainingConfig(batch, 1_000_000, 0, 1e-4, "constant", 25, 1e4, false, 0.9, 0.9, 0.999, 1e-6,
                0, 0, 1, 1);
    }
}
