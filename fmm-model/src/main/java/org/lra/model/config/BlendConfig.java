package org.lra.model.config;

import java.util.List;

/**
 * How fmm attention mixes the near field (band) and the far field (kernels):
 * <pre>
 *   out = near ⊙ band  +  far ⊙ Σ_l kernel[l] ⊙ far_l
 * </pre>
 * Every row of the reference blend table (§1.3) is one choice of these weights, e.g. ListOps 2-kernel:
 * near = per-head 1 learnable, far = per-head 0 learnable, kernels = [scalar 1 learnable, scalar 0 learnable];
 * Pathfinder: near = scalar 0.5 learnable, far = complement (1 - near), kernels = [fixed 1].
 * Band-only is {@code kernels: []} (no far field is computed).
 *
 * @param near    weight on the band output
 * @param far     weight on the summed far field
 * @param kernels one weight per kernel of {@link AttentionConfig#kernels()}, same order
 */
public record BlendConfig(WeightSpec near, WeightSpec far, List<WeightSpec> kernels) {
}
