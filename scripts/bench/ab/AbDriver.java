import org.lra.model.ModelBuilder;
import org.lra.model.StepRunner;
import org.lra.model.bench.BenchModel;
import org.lra.model.bench.StepBenchmark;
import org.lra.model.config.AttentionType;
import org.lra.model.nn.Dropout;
import org.lra.model.nn.Gelu;
import org.lra.model.nn.LayerNorm;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;

/** One workload of the A/B harness, built from the engine's public API (loaded once per engine version). */
public final class AbDriver {
    private AbDriver() {
    }

    public static Runnable make(String kernel) {
        Parallel pool = new Parallel(1);
        int rows = 8 * 1024;
        Precision p = Precision.FLOAT32;
        StepContext ctx = new StepContext(pool, true, 1, 1);
        switch (kernel) {
            case "dropout": {
                Buf x = filled(p, rows * 64, 1);
                Buf r = filled(p, rows * 64, 2);
                Buf y = Buf.zeros(p, rows * 64);
                Dropout d = new Dropout(0.1, 0, 101);
                return () -> {
                    d.forwardAdd(ctx, r, x, y, rows * 64);
                    d.backward(ctx, y, x, rows * 64);
                };
            }
            case "gelu": {
                Buf h = filled(p, rows * 128, 3);
                Buf a = Buf.zeros(p, rows * 128);
                Buf cdf = Buf.zeros(p, rows * 128);
                Dropout d = new Dropout(0.1, 0, 102);
                return () -> {
                    Gelu.forward(ctx.pool(), h, a, cdf, rows * 128);
                    d.forward(ctx, a, a, rows * 128);
                    d.backward(ctx, a, a, rows * 128);
                    Gelu.backward(ctx.pool(), a, h, cdf, a, rows * 128);
                };
            }
            case "layernorm": {
                Parameters params = new Parameters();
                LayerNorm ln = new LayerNorm(params, "ln", 64);
                params.allocate(p, 1);
                Buf x = filled(p, rows * 64, 4);
                Buf y = Buf.zeros(p, rows * 64);
                Buf dx = Buf.zeros(p, rows * 64);
                return () -> {
                    ln.forward(pool, x, y, rows);
                    ln.backward(pool, y, x, rows, dx, true);
                };
            }
            default: {
                // step-fmm, step-band, ...: one full training step at T=1024 B=8
                AttentionType a = AttentionType.valueOf(kernel.substring("step-".length()));
                var model = ModelBuilder.build(BenchModel.model(BenchModel.attention(a, 5, 2), 1024), p, 0);
                var runner = StepRunner.create(model, BenchModel.training(8), pool, 0);
                var data = StepBenchmark.randomBatch(8, 1024, 256, 10, false, 0);
                return () -> runner.step(data);
            }
        }
    }

    private static Buf filled(Precision p, int n, int seed) {
        Buf b = Buf.zeros(p, n);
        for (int i = 0; i < n; i++) {
            b.set(i, Math.sin(i * 0.37 + seed) * 2);
        }
        return b;
    }
}
