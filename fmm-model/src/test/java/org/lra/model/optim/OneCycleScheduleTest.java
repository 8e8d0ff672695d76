package org.lra.model.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.lra.model.TestModels;

class OneCycleScheduleTest {
    private static final double MAX = 1e-4;
    private static final double INITIAL = MAX / 25;          // 4e-6
    private static final double MIN = INITIAL / 1e4;         // 4e-10

    private static OneCycleSchedule reference(int total, int warmup) {
        return OneCycleSchedule.of(TestModels.training(total, warmup, MAX, "onecycle"));
    }

    /**
     * total 10, pct_start 0.3: phase 1 ends at s1 = 0.3·10 − 1 = 2, phase 2 at 9.
     * Steps 0..2: pct = i/2, lr = 4e-6 + pct·(1e-4 − 4e-6), β1 = 0.95 − pct·0.10.
     * Steps 3..9: pct = (i − 2)/7, lr = 1e-4 + pct·(4e-10 − 1e-4), β1 = 0.85 + pct·0.10.
     * The numbers were also printed by torch 1.13's OneCycleLR (AdamW param group lr and betas[0]).
     */
    @Test
    void tenStepsWithThirtyPercentWarmupMatchPyTorch() {
        double[] lr = {4e-06, 5.2000000000000004e-05, 0.0001, 8.571434285714286e-05, 7.142868571428572e-05,
            5.7143028571428574e-05, 4.285737142857143e-05, 2.8571714285714284e-05, 1.4286057142857142e-05,
            4.000000000008771e-10};
        double[] beta1 = {0.95, 0.8999999999999999, 0.85, 0.8642857142857142, 0.8785714285714286, 0.8928571428571428,
            0.9071428571428571, 0.9214285714285714, 0.9357142857142857, 0.95};
        OneCycleSchedule s = reference(10, 3);
        for (int i = 0; i < 10; i++) {
            double pct = i <= 2 ? i / 2.0 : (i - 2) / 7.0;
            double formulaLr = i <= 2 ? INITIAL + pct * (MAX - INITIAL) : MAX + pct * (MIN - MAX);
            assertEquals(formulaLr, lr[i], 1e-18, "table vs formula at " + i);
            assertEquals(lr[i], s.lr(i), 1e-19, "lr at step " + i);
            assertEquals(beta1[i], s.beta1(i), 1e-15, "beta1 at step " + i);
        }
    }

    @Test
    void nonIntegerPhaseBoundaryAndLongScheduleMatchPyTorch() {
        // total 7, pct_start 2/7: s1 = (2/7)·7 − 1 = 1 (as a double)
        OneCycleSchedule s = reference(7, 2);
        double[] lr = {4e-06, 0.0001, 8.000008e-05, 6.000016e-05, 4.0000240000000007e-05, 2.0000319999999994e-05,
            4.000000000008771e-10};
        double[] beta1 = {0.95, 0.85, 0.87, 0.89, 0.9099999999999999, 0.9299999999999999, 0.95};
        for (int i = 0; i < 7; i++) {
            assertEquals(lr[i], s.lr(i), 1e-19, "lr at " + i);
            assertEquals(beta1[i], s.beta1(i), 1e-15, "beta1 at " + i);
        }
        // ListOps-like: 5000 steps, 1000 warm-up
        OneCycleSchedule listops = reference(5000, 1000);
        long[] steps = {0, 1, 500, 998, 999, 1000, 1001, 2500, 4998, 4999};
        double[] lrs = {4e-06, 4.096096096096096e-06, 5.204804804804806e-05, 9.990390390390391e-05, 0.0001,
            9.997500010000001e-05, 9.99500002e-05, 6.247515010000002e-05, 2.5399899999996463e-08, 4.000000000008771e-10};
        double[] b1 = {0.95, 0.9498998998998999, 0.8999499499499499, 0.8501001001001001, 0.85, 0.850025, 0.85005,
            0.887525, 0.949975, 0.95};
        for (int k = 0; k < steps.length; k++) {
            assertEquals(lrs[k], listops.lr(steps[k]), 1e-19, "lr at " + steps[k]);
            assertEquals(b1[k], listops.beta1(steps[k]), 1e-15, "beta1 at " + steps[k]);
        }
    }

    @Test
    void constantScheduleAndValidation() {
        LrSchedule c = LrSchedule.of(TestModels.training(100, 10, 3e-4, "constant"));
        assertEquals(3e-4, c.lr(0), 0);
        assertEquals(3e-4, c.lr(99), 0);
        assertEquals(0.95, c.beta1(50), 0);
        assertThrows(IllegalArgumentException.class, () -> LrSchedule.of(TestModels.training(100, 10, 1e-4, "cosine")));
        assertThrows(IllegalArgumentException.class, () -> reference(10, 3).lr(11));
    }
}
