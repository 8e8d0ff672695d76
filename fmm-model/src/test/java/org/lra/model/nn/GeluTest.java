package org.lra.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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

    @Test
    void float32PathAgreesWithExactFormulaToFloatResolution() {
        double worstCdf = 0;
        double worstDerivative = 0;
        for (double x = -12; x <= 12; x += 1e-3) {
            worstCdf = Math.max(worstCdf, Math.abs(Gelu.fastCdf(x) - Erf.normalCdf(x)));
            double fast = Gelu.fastCdf(x) + x * Gelu.fastPdf(x);
            worstDerivative = Math.max(worstDerivative, Math.abs(fast - Gelu.derivative(x)));
        }
        assertTrue(worstCdf < 5e-8, "max |Phi_fast - Phi| = " + worstCdf);
        assertTrue(worstDerivative < 2e-7, "max |gelu'_fast - gelu'| = " + worstDerivative);

        try (Parallel pool = new Parallel(2)) {
            int n = 3000;
            Buf x32 = Buf.zeros(Precision.FLOAT32, n);
            Buf x64 = Buf.zeros(Precision.FLOAT64, n);
            for (int i = 0; i < n; i++) {
                double v = (i - n / 2) * 0.005;
                x32.set(i, v);
                x64.set(i, x32.get(i));
            }
            Buf y32 = Buf.zeros(Precision.FLOAT32, n);
            Buf y64 = Buf.zeros(Precision.FLOAT64, n);
            Gelu.forward(pool, x32, y32, n);
            Gelu.forward(pool, x64, y64, n);
            Buf d32 = Buf.zeros(Precision.FLOAT32, n);
            Buf d64 = Buf.zeros(Precision.FLOAT64, n);
            d32.fill(0, n, 1);
            d64.fill(0, n, 1);
            Gelu.backward(pool, d32, x32, d32, n);
            Gelu.backward(pool, d64, x64, d64, n);
            for (int i = 0; i < n; i++) {
                assertEquals(y64.get(i), y32.get(i), 1e-6 * Math.max(1, Math.abs(y64.get(i))), "gelu at " + x64.get(i));
                assertEquals(d64.get(i), d32.get(i), 4e-7, "gelu' at " + x64.get(i));
            }
        }
    }
}
