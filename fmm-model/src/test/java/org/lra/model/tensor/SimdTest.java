package org.lra.model.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import jdk.incubator.vector.FloatVector;
import org.junit.jupiter.api.Test;

/** Simd's exp, tanh and lane sum: accurate, and computed in one fixed order (see the class comment). */
class SimdTest {

    private static FloatVector lanes(float[] a, int i) {
        return FloatVector.fromArray(Simd.F, a, i);
    }

    @Test
    void expIsWithinTwoUlpOfTheCorrectlyRoundedValueAndZeroBelowMinus87point7() {
        SplittableRandom rng = new SplittableRandom(7);
        float[] x = new float[Simd.LANES * 4096];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (rng.nextDouble() * 177 - 89);
        }
        x[0] = 0f;
        x[1] = -87.3f;
        x[2] = 88f;
        x[3] = -1e6f; // a softmax penalty: e^x underflows to exactly 0
        x[4] = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < x.length; i += Simd.LANES) {
            float[] e = Simd.exp(lanes(x, i)).toArray();
            for (int l = 0; l < Simd.LANES; l++) {
                float xi = x[i + l];
                float want = (float) Math.exp(xi);
                if (xi < -87.7f) {
                    assertEquals(0f, e[l], "e^" + xi);
                } else if (xi < -87.33655f) { // below the normal range: tiny, within 2^-126
                    assertTrue(Math.abs(e[l] - want) <= 0x1p-126f, "e^" + xi + " = " + e[l]);
                } else {
                    assertTrue(Math.abs(e[l] - want) <= 2 * Math.ulp(want), "e^" + xi + " = " + e[l] + ", want " + want);
                }
            }
        }
    }

    @Test
    void tanhIsWithinFloatResolutionOfMathTanh() {
        float[] x = new float[Simd.LANES * 512];
        for (int i = 0; i < x.length; i++) {
            x[i] = -12f + 24f * i / x.length;
        }
        for (int i = 0; i < x.length; i += Simd.LANES) {
            float[] t = Simd.tanh(lanes(x, i)).toArray();
            for (int l = 0; l < Simd.LANES; l++) {
                double want = Math.tanh(x[i + l]);
                assertEquals(want, t[l], 2e-7, "tanh " + x[i + l]);
            }
        }
    }

    @Test
    void sumAddsTheLanesPairwiseInAFixedOrder() {
        SplittableRandom rng = new SplittableRandom(3);
        float[] a = new float[Simd.LANES];
        for (int trial = 0; trial < 1000; trial++) {
            for (int l = 0; l < a.length; l++) {
                a[l] = (float) ((rng.nextDouble() - 0.5) * Math.pow(10, rng.nextInt(-3, 4)));
            }
            // the documented order, on scalars: fold the upper half onto the lower until one lane is left
            float[] s = a.clone();
            for (int width = s.length / 2; width >= 1; width /= 2) {
                for (int l = 0; l < width; l++) {
                    s[l] = s[l] + s[l + width];
                }
            }
            assertEquals(Float.floatToIntBits(s[0]), Float.floatToIntBits(Simd.sum(lanes(a, 0))));
        }
    }
}
