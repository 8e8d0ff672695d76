package org.lra.model.nn;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.lra.model.TestModels;
import org.lra.model.config.ModelConfig;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.FiniteDifference;
import org.lra.model.testing.GradCheck;

class TransformerBlockTest {

    @ParameterizedTest(name = "dropout {0}, {1} threads")
    @CsvSource({"0.0, 1", "0.3, 2"})
    void gradientsMatchFiniteDifferences(double dropout, int threads) {
        int b = 2;
        int t = 5;
        ModelConfig cfg = TestModels.tiny(10, 8, 3, dropout, false);
        int c = cfg.dim();
        try (Parallel pool = new Parallel(threads)) {
            Parameters params = new Parameters();
            TransformerBlock block = new TransformerBlock(cfg, params,
                    IdentityMixAttention.provider(IdentityMixAttention.Mode.SOFTMAX), 0);
            params.allocate(Precision.FLOAT64, 21);
            // LayerNorm gains and biases away from 1 and 0 so that every path carries signal
            for (var p : params.list()) {
                if (p.name().contains("norm")) {
                    for (int i = 0; i < p.size(); i++) {
                        params.values().set(p.offset() + i, 0.8 + 0.4 * Math.sin(7 * i + p.offset()));
                    }
                }
            }
            StepContext ctx = new StepContext(pool, true, 99, 4);
            TransformerBlock.Scratch scratch = new TransformerBlock.Scratch();
            Buf x = GradCheck.random(b * t * c, 31, 1.0);
            Buf mask = Buf.zeros(Precision.FLOAT64, b * t);
            for (int r = 0; r < b * t; r++) {
                mask.set(r, r == 4 || r == 8 || r == 9 ? 0 : 1); // padded tail in both sequences
            }
            Buf r = GradCheck.random(b * t * c, 32, 1.0);
            block.forward(ctx, x, mask, b, t, scratch);
            Buf dx = Buf.zeros(Precision.FLOAT64, b * t * c);
            dx.copyFrom(r, 0, 0, b * t * c);
            block.backward(ctx, dx, scratch);
            DoubleSupplier loss = () -> FiniteDifference.dot(block.forward(ctx, x, mask, b, t, scratch), r, b * t * c);
            GradCheck.input("x", x, dx, b * t * c, loss);
            GradCheck.parameters(params, loss);
        }
    }
}
