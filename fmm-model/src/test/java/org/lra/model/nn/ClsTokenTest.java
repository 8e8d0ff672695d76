package org.lra.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.FiniteDifference;
import org.lra.model.testing.GradCheck;

class ClsTokenTest {
    @Test
    void prependsTheLastIdAndDropsTheLastPosition() {
        ClsToken cls = new ClsToken(9, 2);
        assertEquals(8, cls.id());
        int[] ids = {1, 2, 3, 4, // a sequence that fills all T: its last token is dropped, as in the official code
                5, 6, 0, 0};
        int[] out = new int[8];
        cls.prepend(ids, 2, 4, out);
        assertArrayEquals(new int[] {8, 1, 2, 3, 8, 5, 6, 0}, out);
    }

    @Test
    void poolsTheFirstRowAndSendsItsGradientThereOnly() {
        try (Parallel pool = new Parallel(2)) {
            int b = 3;
            int t = 4;
            int c = 2;
            Buf x = GradCheck.random(b * t * c, 21, 1.0);
            Buf mask = Buf.zeros(Precision.FLOAT64, b * t);
            mask.fill(0, b * t, 1);
            mask.set(t + 3, 0);
            Buf pooled = Buf.zeros(Precision.FLOAT64, b * c);
            ClsToken cls = new ClsToken(5, c);
            cls.forward(pool, x, mask, b, t, pooled);
            for (int e = 0; e < b; e++) {
                assertArrayEquals(x.toDoubleArray(e * t * c, e * t * c + c), pooled.toDoubleArray(e * c, e * c + c), 0);
            }

            Buf r = GradCheck.random(b * c, 22, 1.0);
            Buf dx = GradCheck.random(b * t * c, 23, 1.0); // overwritten, not accumulated
            cls.backward(pool, r, mask, b, t, dx);
            DoubleSupplier loss = () -> {
                cls.forward(pool, x, mask, b, t, pooled);
                return FiniteDifference.dot(pooled, r, b * c);
            };
            GradCheck.input("x", x, dx, b * t * c, loss);
        }
    }

    @Test
    void needsAnIdBesidesPadding() {
        assertThrows(IllegalArgumentException.class, () -> new ClsToken(1, 2));
    }
}
