package org.lra.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;

class DropoutTest {
    @Test
    void dropsAboutPAndScalesSurvivors() {
        try (Parallel pool = new Parallel(2)) {
            int n = 100_003; // not a multiple of 4: the last group is partial
            Buf x = Buf.zeros(Precision.FLOAT64, n);
            x.fill(0, n, 1.0);
            Buf y = Buf.zeros(Precision.FLOAT64, n);
            Dropout d = new Dropout(0.1, 0, Dropout.SITE_MLP_OUT);
            d.forward(new StepContext(pool, true, 5, 7), x, y, n);
            int dropped = 0;
            for (int i = 0; i < n; i++) {
                double v = y.get(i);
                assertTrue(v == 0 || Math.abs(v - 1 / 0.9) < 1e-12);
                dropped += v == 0 ? 1 : 0;
            }
            assertEquals(0.1, (double) dropped / n, 0.005);
        }
    }

    @Test
    void backwardReplaysTheForwardMaskAndAddVariantAdds() {
        try (Parallel one = new Parallel(1); Parallel two = new Parallel(2)) {
            int n = 1001;
            Buf x = Buf.zeros(Precision.FLOAT64, n);
            Buf res = Buf.zeros(Precision.FLOAT64, n);
            for (int i = 0; i < n; i++) {
                x.set(i, i + 1);
                res.set(i, -3);
            }
            Dropout d = new Dropout(0.25, 1, Dropout.SITE_ATTENTION_OUT);
            Buf y = Buf.zeros(Precision.FLOAT64, n);
            Buf yAdd = Buf.zeros(Precision.FLOAT64, n);
            Buf back = Buf.zeros(Precision.FLOAT64, n);
            d.forward(new StepContext(one, true, 1, 2), x, y, n);
            d.forwardAdd(new StepContext(two, true, 1, 2), res, x, yAdd, n);
            d.backward(new StepContext(two, true, 1, 2), x, back, n);
            for (int i = 0; i < n; i++) {
                assertEquals(y.get(i), back.get(i), 0, "mask independent of threads and replayed by backward");
                assertEquals(-3 + y.get(i), yAdd.get(i), 1e-12);
            }
            Buf eval = Buf.zeros(Precision.FLOAT64, n);
            d.forward(new StepContext(one, false, 1, 2), x, eval, n);
            Buf evalAdd = Buf.zeros(Precision.FLOAT64, n);
            d.forwardAdd(new StepContext(one, false, 1, 2), res, x, evalAdd, n);
            for (int i = 0; i < n; i++) {
                assertEquals(x.get(i), eval.get(i), 0, "identity when not training, element " + i);
                assertEquals(res.get(i) + x.get(i), evalAdd.get(i), 0, "plain residual sum, element " + i);
            }
        }
    }

    @Test
    void forwardAndBackwardInBothPrecisionsApplyTheCounterMask() {
        // float32 draws the mask on SIMD lanes (DropoutMask.factors), float64 element by element: both must be
        // DropoutMask.keep exactly, in forward and in backward, past the vector blocks and tiles (n = 5003)
        for (Precision precision : Precision.values()) {
            try (Parallel pool = new Parallel(2)) {
                int n = 5003;
                Buf ones = Buf.zeros(precision, n);
                ones.fill(0, n, 1.0);
                Dropout dropout = new Dropout(0.1, 0, Dropout.SITE_MLP_HIDDEN);
                StepContext step3 = new StepContext(pool, true, 9, 3);
                StepContext step4 = new StepContext(pool, true, 9, 4);
                Buf y = Buf.zeros(precision, n);
                Buf back = Buf.zeros(precision, n);
                Buf other = Buf.zeros(precision, n);
                dropout.forward(step3, ones, y, n);
                dropout.backward(step3, ones, back, n);
                dropout.backward(step4, ones, other, n);
                long key = dropout.key(step3);
                int threshold = DropoutMask.threshold(0.1);
                double scale = precision == Precision.FLOAT32 ? (float) DropoutMask.scale(0.1) : DropoutMask.scale(0.1);
                boolean differs = false;
                for (int i = 0; i < n; i++) {
                    double expected = DropoutMask.keep(key, i, threshold) ? scale : 0.0;
                    assertEquals(expected, y.get(i), 0, precision + " forward is the counter mask at " + i);
                    assertEquals(expected, back.get(i), 0, precision + " backward is the counter mask at " + i);
                    differs |= other.get(i) != back.get(i);
                }
                assertTrue(differs, "another step draws another mask");
            }
        }
    }
}
