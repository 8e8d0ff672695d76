package org.lra.model.nn;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.FiniteDifference;
import org.lra.model.testing.GradCheck;

class ReluTest {
    @Test
    void gradientMatchesFiniteDifferences() {
        int n = 30;
        Buf x = GradCheck.random(n, 9, 1.0);
        for (int i = 0; i < n; i++) { // keep every input away from the kink at 0
            double v = x.get(i);
            x.set(i, v + Math.copySign(0.01, v));
        }
        Buf r = GradCheck.random(n, 10, 1.0);
        Buf y = Buf.zeros(Precision.FLOAT64, n);
        Buf dx = Buf.zeros(Precision.FLOAT64, n);
        Relu.forward(x, y, n);
        Relu.backward(r, y, dx, n);
        DoubleSupplier loss = () -> {
            Relu.forward(x, y, n);
            return FiniteDifference.dot(y, r, n);
        };
        GradCheck.input("x", x, dx, n, loss);
    }
}
