package org.lra.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.FiniteDifference;
import org.lra.model.testing.GradCheck;

class LayerNormTest {
    private static final int ROWS = 5;
    private static final int C = 6;

    @Test
    void gradientsMatchFiniteDifferences() {
        try (Parallel pool = new Parallel(2)) {
            Parameters params = new Parameters();
            LayerNorm ln = new LayerNorm(params, "ln", C);
            params.allocate(Precision.FLOAT64, 1);
            // non-trivial gain and bias so that their gradients and dxhat*gain are exercised
            for (Param p : params.list()) {
                for (int i = 0; i < p.size(); i++) {
                    params.values().set(p.offset() + i, 1 + 0.5 * Math.sin(3 * i + p.offset()));
                }
            }
            Buf x = GradCheck.random(ROWS * C, 4, 2.0);
            Buf r = GradCheck.random(ROWS * C, 5, 1.0);
            Buf y = Buf.zeros(Precision.FLOAT64, ROWS * C);
            Buf dx = GradCheck.random(ROWS * C, 6, 1.0);
            double[] before = dx.toDoubleArray(0, ROWS * C);
            ln.forward(pool, x, y, ROWS);
            ln.backward(pool, r, x, ROWS, dx, true); // accumulate: dx = before + grad
            Buf grad = Buf.zeros(Precision.FLOAT64, ROWS * C);
            for (int i = 0; i < ROWS * C; i++) {
                grad.set(i, dx.get(i) - before[i]);
            }
            DoubleSupplier loss = () -> {
                ln.forward(pool, x, y, ROWS);
                return FiniteDifference.dot(y, r, ROWS * C);
            };
            GradCheck.input("x", x, grad, ROWS * C, loss);
            GradCheck.parameters(params, loss);
        }
    }

    @Test
    void normalisesEachRowLikeTorch() {
        try (Parallel pool = new Parallel(1)) {
            Parameters params = new Parameters();
            LayerNorm ln = new LayerNorm(params, "ln", 4);
            params.allocate(Precision.FLOAT64, 1);
            Buf x = Buf.zeros(Precision.FLOAT64, 4);
            double[] v = {1, 2, 3, 4};
            for (int i = 0; i < 4; i++) {
                x.set(i, v[i]);
            }
            Buf y = Buf.zeros(Precision.FLOAT64, 4);
            ln.forward(pool, x, y, 1);
            // torch.nn.LayerNorm(4)(torch.tensor([[1.,2,3,4]], dtype=torch.float64))
            double[] want = {-1.341635419968927, -0.4472118066563091, 0.4472118066563089, 1.3416354199689269};
            for (int i = 0; i < 4; i++) {
                assertEquals(want[i], y.get(i), 1e-12);
            }
        }
    }
}
