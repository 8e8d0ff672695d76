package org.lra.model.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.lra.model.tensor.Buf;

/**
 * {@code |actual - expected| <= atol + rtol * |expected|} entry by entry, as numpy's {@code allclose}; a failure
 * names the worst entry (largest error relative to its allowance), not the first.
 */
public final class AssertClose {
    /** Relative tolerance of a float32 result against its float64 reference. */
    public static final double FLOAT32_RTOL = 1e-4;
    /**
     * Absolute tolerance of a float32 result, as a fraction of the largest |expected| of the tensor: float32
     * rounding in sums and differences is relative to the size of the terms, so an entry that cancels to
     * nearly 0 keeps an error of order 1e-7 times the tensor's scale.
     */
    public static final double FLOAT32_ATOL_OF_MAX = 1e-5;
    /**
     * Least absolute tolerance of a float32 result: a gradient that is 0 in exact arithmetic (a key bias under
     * softmax, which is shift-invariant) comes out as float32 rounding noise on both sides.
     */
    public static final double FLOAT32_ATOL_FLOOR = 1e-7;

    private AssertClose() {
    }

    /** The float32 tolerances above for a tensor whose reference (float64, or float32 too) is {@code expected}. */
    public static void float32(String what, double[] expected, Buf actual, int actualOffset) {
        close(what, expected, actual, actualOffset, Math.max(FLOAT32_ATOL_FLOOR, FLOAT32_ATOL_OF_MAX * maxAbs(expected)),
                FLOAT32_RTOL);
    }

    public static void close(String what, double[] expected, Buf actual, int actualOffset, double atol, double rtol) {
        double worst = 0;
        String worstMsg = null;
        for (int i = 0; i < expected.length; i++) {
            double a = actual.get(actualOffset + i);
            double allowed = atol + rtol * Math.abs(expected[i]);
            double ratio = Math.abs(a - expected[i]) / allowed;
            if (!(ratio <= worst)) { // NaN counts as worst
                worst = ratio;
                worstMsg = what + "[" + i + "]: expected " + expected[i] + ", got " + a + " (|diff| "
                        + Math.abs(a - expected[i]) + ", allowed " + allowed + ")";
            }
        }
        if (!(worst <= 1)) {
            fail("not close (atol " + atol + ", rtol " + rtol + ") at " + worstMsg);
        }
    }

    public static double maxAbs(double[] xs) {
        double m = 0;
        for (double x : xs) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }
}
