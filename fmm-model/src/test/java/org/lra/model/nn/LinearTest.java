package org.lra.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.FiniteDifference;
import org.lra.model.testing.GradCheck;

class LinearTest {
    private static final int ROWS = 7;
    private static final int IN = 5;
    private static final int OUT = 3;

    @Test
    void gradientsMatchFiniteDifferences() {
        try (Parallel pool = new Parallel(2)) {
            Parameters params = new Parameters();
            Linear lin = new Linear(params, "fc", IN, OUT);
            params.allocate(Precision.FLOAT64, 3);
            Buf x = GradCheck.random(ROWS * IN, 1, 1.0);
            Buf r = GradCheck.random(ROWS * OUT, 2, 1.0);
            Buf y = Buf.zeros(Precision.FLOAT64, ROWS * OUT);
            Buf dx = GradCheck.random(ROWS * IN, 3, 1.0); // overwritten, not added to
            lin.forward(pool, x, y, ROWS);
            lin.backward(pool, r, x, ROWS, dx, false);
            java.util.function.DoubleSupplier loss = () -> {
                lin.forward(pool, x, y, ROWS);
                return FiniteDifference.dot(y, r, ROWS * OUT);
            };
            GradCheck.input("x", x, dx, ROWS * IN, loss);
            GradCheck.parameters(params, loss);
        }
    }

    @Test
    void backwardAccumulatesIntoGradientsAndOptionallyIntoDx() {
        try (Parallel pool = new Parallel(2)) {
            Parameters params = new Parameters();
            Linear lin = new Linear(params, "fc", IN, OUT);
            params.allocate(Precision.FLOAT64, 3);
            Buf x = GradCheck.random(ROWS * IN, 1, 1.0);
            Buf r = GradCheck.random(ROWS * OUT, 2, 1.0);
            Buf dx = Buf.zeros(Precision.FLOAT64, ROWS * IN);
            lin.backward(pool, r, x, ROWS, dx, false);
            double[] once = params.grads().toDoubleArray(0, params.size());
            double[] dxOnce = dx.toDoubleArray(0, ROWS * IN);
            lin.backward(pool, r, x, ROWS, dx, true);
            for (int i = 0; i < once.length; i++) {
                assertEquals(2 * once[i], params.grads().get(i), 1e-12);
            }
            for (int i = 0; i < dxOnce.length; i++) {
                assertEquals(2 * dxOnce[i], dx.get(i), 1e-12);
            }
        }
    }

    @Test
    void initIsPyTorchDefaultUniform() {
        Parameters params = new Parameters();
        Linear lin = new Linear(params, "fc", 64, 128);
        params.allocate(Precision.FLOAT32, 0);
        double bound = 1 / Math.sqrt(64);
        double max = 0;
        for (int i = 0; i < params.size(); i++) {
            max = Math.max(max, Math.abs(params.values().get(i)));
        }
        assertTrue(max <= bound && max > 0.95 * bound, "max |w| " + max + " vs bound " + bound);
        assertEquals(128 * 64, lin.weight.size());
    }
}
