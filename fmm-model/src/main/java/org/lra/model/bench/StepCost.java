package org.lra.model.bench;

import org.lra.model.config.AttentionType;
import org.lra.model.config.ModelConfig;

/**
 * What one training step of a model costs, from its shape alone: the floating-point work of its matrix
 * products (for achieved GFLOP/s beside the sgemm peak, and for a Slurm script's time limit) and an upper
 * estimate of its peak memory (so that a benchmark case that cannot fit is refused before anything is
 * allocated, and a Slurm script asks for enough). The sequence length is passed, not read from
 * {@code maxLength}: a run pads its inputs to the next power of two, which the model's maxLength need not be.
 */
public final class StepCost {
    private StepCost() {
    }

    /**
     * FLOPs of one training step on {@code batch} sequences of T = {@code seqLen} tokens: the products of every layer
     * (Q, K, V and output projections, the MLP, the attention's own products), counted as 2 per multiply-add,
     * forward once and backward twice (the gradients of both operands), as the usual 6·params·tokens rule.
     * Element-wise work (softmax, LayerNorm, GELU, dropout) is not counted.
     */
    public static double flops(ModelConfig m, int batch, int seqLen) {
        double tokens = (double) batch * seqLen * (m.dual() ? 2 : 1);
        int width = m.heads() * m.headDim();
        double projections = 2.0 * (3.0 * m.dim() * width + (double) width * m.dim());
        double mlp = 2.0 * 2.0 * m.dim() * m.ffnDim();
        double perTokenForward = projections + mlp + attention(m, seqLen);
        return 3.0 * tokens * m.layers() * perTokenForward;
    }

    /**
     * Multiply-adds × 2 per token of one layer's attention products (scores and the weighted sum of values, or
     * their low-rank stand-ins). The baselines' terms that do not grow with T (Nyström's m×m pseudo-inverse,
     * Reformer's hashing) are left out.
     */
    private static double attention(ModelConfig m, int seqLen) {
        int width = m.heads() * m.headDim();
        var a = m.attention();
        double band = 2.0 * 2.0 * m.attention().bandwidth() * width;
        double farField = 2.0 * 2.0 * m.headDim() * width * m.attention().kernels().size();
        return switch (m.attention().type()) {
            case softmax -> 2.0 * 2.0 * seqLen * width;
            case band -> band;
            case linear -> 2.0 * 2.0 * m.headDim() * width;
            case fmm -> band + farField;
            // Q·K̃ᵀ and its product with Ṽ, Q̃·Kᵀ and its product with V: four [T, m] x [m, d] products per head
            case nystrom -> 2.0 * 4.0 * a.numLandmarks() * width + 2.0 * a.convKernelSize() * width;
            // E·K, E·V, Q·(EK)ᵀ and P·(EV): four products of k rows
            case linformer -> 2.0 * 4.0 * a.linformerK() * width;
            // random features of Q and K, then φ(K)ᵀV and φ(Q)·(φ(K)ᵀV)
            case performer -> 2.0 * 4.0 * a.rpDim() * width;
            // per hash round, each query scores its chunk and the one before (2 chunks) and weighs their values
            case reformer -> a.numHashes() * 2.0 * 2.0 * 2 * a.lshChunkLength() * width;
        };
    }

    /**
     * An upper estimate of a training step's peak resident memory in bytes: a fixed part (JVM, engine, BLAS),
     * what the engine keeps per token for backward and, for softmax, its tiles. The per-token part was fitted
     * above the measured peaks of `lra bench step` at T = 1K–64K with the paper model (d = 64, 2 heads × 32,
     * FFN 128, 2 layers): ≤ 32 KiB per token for fmm, ≤ 16 KiB for the others (but linformer, 24–26 KiB at
     * T ≥ 64K), that is 32 (fmm: 64) bytes per layer and unit of width (d + heads·headDim + FFN); other shapes
     * are scaled by that width. Softmax keeps no [T, T] scores (it recomputes them in backward), only two
     * [64, T] tiles per thread and layer.
     */
    public static long peakBytesEstimate(ModelConfig m, int batch, int seqLen, int threads) {
        long tokens = (long) batch * seqLen * (m.dual() ? 2 : 1);
        long width = m.dim() + (long) m.heads() * m.headDim() + m.ffnDim();
        long perToken = m.layers() * width * (m.attention().type() == AttentionType.fmm ? 64 : 32);
        long bytes = (300L << 20) + tokens * perToken;
        if (m.attention().type() == AttentionType.softmax) {
            bytes += (long) m.layers() * threads * 2 * 64 * seqLen * 4;
        }
        return bytes;
    }
}
