package org.lra.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.FiniteDifference;
import org.lra.model.testing.GradCheck;

class GeluTest {
    @Test
    void matchesTorchExactGelu() {
        // torch.nn.functional.gelu (approximate='none') and its gradient, float64
        double[] x = {-3, -1, -0.3, 0, 0.2, 1, 2.5};
        double[] y = {-0.00404969409489031, -0.15865525393145702, -0.1146265733433142, 0.0, 0.11585194188782061,
            0.841344746068543, 2.4844758366855597};
        double[] dy = {-0.01194564720418392, -0.08331547058768635, 0.26767223317289013, 0.5, 0.6574682482341941,
            1.0833154705876864, 1.037611085908145};
        for (int i = 0; i < x.length; i++) {
            assertEquals(y[i], Gelu.value(x[i]), 1e-15, "gelu(" + x[i] + ")");
            assertEquals(dy[i], Gelu.derivative(x[i]), 1e-15, "gelu'(" + x[i] + ")");
        }
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        try (Parallel pool = new Parallel(2)) {
            int n = 40;
            Buf x = GradCheck.random(n, 7, 4.0);
            Buf r = GradCheck.random(n, 8, 1.0);
            Buf y = Buf.zeros(Precision.FLOAT64, n);
            Buf dx = Buf.zeros(Precision.FLOAT64, n);
            Gelu.backward(pool, r, x, dx, n);
            DoubleSupplier loss = () -> {
                Gelu.forward(pool, x, y, n);
                return FiniteDifference.dot(y, r, n);
            };
            GradCheck.input("x", x, dx, n, loss);
        }
    }
}
