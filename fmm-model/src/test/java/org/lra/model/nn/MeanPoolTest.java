package org.lra.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.FiniteDifference;
import org.lra.model.testing.GradCheck;

class MeanPoolTest {
    @Test
    void masksPaddingButDividesByAllPositions() {
        try (Parallel pool = new Parallel(2)) {
            int b = 3;
            int t = 4;
            int c = 2;
            Buf x = GradCheck.random(b * t * c, 13, 1.0);
            Buf mask = Buf.zeros(Precision.FLOAT64, b * t);
            int[] lengths = {4, 1, 3};
            for (int e = 0; e < b; e++) {
                for (int s = 0; s < lengths[e]; s++) {
                    mask.set(e * t + s, 1);
                }
            }
            Buf pooled = Buf.zeros(Precision.FLOAT64, b * c);
            MeanPool mp = new MeanPool(c);
            mp.forward(pool, x, mask, b, t, pooled);
            assertEquals(x.get(4 * c * 1 + 1) / t, pooled.get(c + 1), 1e-15, "one real token, divided by T = 4");

            Buf r = GradCheck.random(b * c, 14, 1.0);
            Buf dx = Buf.zeros(Precision.FLOAT64, b * t * c);
            mp.backward(pool, r, mask, b, t, dx);
            DoubleSupplier loss = () -> {
                mp.forward(pool, x, mask, b, t, pooled);
                return FiniteDifference.dot(pooled, r, b * c);
            };
            GradCheck.input("x", x, dx, b * t * c, loss);
        }
    }
}
