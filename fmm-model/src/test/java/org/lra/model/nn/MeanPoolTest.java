package org.lra.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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

    /**
     * mean-tokens on numbers checked by hand: sequence 0 has tokens 0 and 1 real, sequence 1 only token 0, and
     * sequence 2 none (an all-padding sequence, e.g. a black image, pools to 0 rather than 0/0).
     */
    @Test
    void meanTokensDividesByTheRealTokens() {
        try (Parallel pool = new Parallel(2)) {
            int b = 3;
            int t = 3;
            int c = 2;
            Buf x = Buf.zeros(Precision.FLOAT64, b * t * c);
            double[] rows = {1, 2, 3, 4, 100, 100, // sequence 0: rows (1, 2), (3, 4), padding
                    5, -6, 100, 100, 100, 100,      // sequence 1: row (5, -6), padding, padding
                    100, 100, 100, 100, 100, 100};  // sequence 2: padding only
            x.set(0, rows, 0, rows.length);
            Buf mask = Buf.zeros(Precision.FLOAT64, b * t);
            mask.set(0, 1);
            mask.set(1, 1);
            mask.set(3, 1);
            Buf pooled = Buf.zeros(Precision.FLOAT64, b * c);
            MeanPool mp = new MeanPool(c, false);
            mp.forward(pool, x, mask, b, t, pooled);
            assertArrayEquals(new double[] {2, 3, 5, -6, 0, 0}, pooled.toDoubleArray(0, b * c), 0);

            Buf r = GradCheck.random(b * c, 15, 1.0);
            Buf dx = Buf.zeros(Precision.FLOAT64, b * t * c);
            mp.backward(pool, r, mask, b, t, dx);
            assertEquals(r.get(0) / 2, dx.get(0), 0, "d pooled / d x of a real token of sequence 0: 1/2");
            assertEquals(r.get(3), dx.get(3 * c + 1), 0, "sequence 1 has one real token");
            assertEquals(0, dx.get(2 * c), 0, "padding gets no gradient");
            DoubleSupplier loss = () -> {
                mp.forward(pool, x, mask, b, t, pooled);
                return FiniteDifference.dot(pooled, r, b * c);
            };
            GradCheck.input("x", x, dx, b * t * c, loss);
        }
    }

    /** mean and mean-tokens agree when no sequence has padding. */
    @Test
    void meanTokensIsMeanWithoutPadding() {
        try (Parallel pool = new Parallel(1)) {
            int b = 2;
            int t = 5;
            int c = 3;
            Buf x = GradCheck.random(b * t * c, 16, 1.0);
            Buf mask = Buf.zeros(Precision.FLOAT64, b * t);
            mask.fill(0, b * t, 1);
            Buf mean = Buf.zeros(Precision.FLOAT64, b * c);
            Buf tokens = Buf.zeros(Precision.FLOAT64, b * c);
            new MeanPool(c).forward(pool, x, mask, b, t, mean);
            new MeanPool(c, false).forward(pool, x, mask, b, t, tokens);
            assertArrayEquals(mean.toDoubleArray(0, b * c), tokens.toDoubleArray(0, b * c), 0);
        }
    }
}
