package org.lra.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Param;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.AssertClose;
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

    /** The float32 SIMD rows (width a multiple of the vector width, as the model's 64) against float64, both ways. */
    @Test
    void float32VectorRowsMatchFloat64() {
        int rows = 37;
        int c = 64;
        double[][] results = new double[2][];
        Parameters[] ps = new Parameters[2];
        Precision[] precisions = {Precision.FLOAT64, Precision.FLOAT32};
        try (Parallel pool = new Parallel(2)) {
            for (int k = 0; k < 2; k++) {
                Precision p = precisions[k];
                Parameters params = new Parameters();
                LayerNorm ln = new LayerNorm(params, "ln", c);
                params.allocate(p, 1);
                for (Param w : params.list()) {
                    for (int i = 0; i < w.size(); i++) {
                        params.values().set(w.offset() + i, (float) (1 + 0.5 * Math.sin(3 * i + w.offset())));
                    }
                }
                Buf x = Buf.zeros(p, rows * c);
                Buf dy = Buf.zeros(p, rows * c);
                Buf dx = Buf.zeros(p, rows * c);
                for (int i = 0; i < rows * c; i++) {
                    x.set(i, (float) (3 * Math.sin(0.7 * i) + 0.1 * (i % c)));
                    dy.set(i, (float) Math.cos(1.3 * i));
                    dx.set(i, (float) Math.sin(0.2 * i));
                }
                Buf y = Buf.zeros(p, rows * c);
                ln.forward(pool, x, y, rows);
                ln.backward(pool, dy, x, rows, dx, true);
                double[] yv = y.toDoubleArray(0, rows * c);
                double[] dxv = dx.toDoubleArray(0, rows * c);
                double[] all = new double[2 * rows * c];
                System.arraycopy(yv, 0, all, 0, rows * c);
                System.arraycopy(dxv, 0, all, rows * c, rows * c);
                results[k] = all;
                ps[k] = params;
            }
        }
        Buf y32 = Buf.zeros(Precision.FLOAT64, results[1].length);
        for (int i = 0; i < results[1].length; i++) {
            y32.set(i, results[1][i]);
        }
        AssertClose.float32("y | dx", results[0], y32, 0);
        AssertClose.float32("gain | bias grads", ps[0].grads().toDoubleArray(0, 2 * c), ps[1].grads(), 0);
    }
}
