package org.lra.model.tensor;

/** How a parameter starts. Values are drawn from {@link Rng} keyed by the model seed and the parameter's index. */
public sealed interface Init {

    /** Every entry equals value (biases 0, LayerNorm gain 1, blend weights). */
    record Constant(double value) implements Init {
    }

    /** N(0, std^2): embeddings and position tables (reference: std 0.02). */
    record Normal(double std) implements Init {
    }

    /** U(-bound, bound): PyTorch's nn.Linear default uses bound = 1/sqrt(fanIn) for weight and bias. */
    record Uniform(double bound) implements Init {
    }

    static Init constant(double v) {
        return new Constant(v);
    }

    static Init normal(double std) {
        return new Normal(std);
    }

    static Init uniform(double bound) {
        return new Uniform(bound);
    }
}
