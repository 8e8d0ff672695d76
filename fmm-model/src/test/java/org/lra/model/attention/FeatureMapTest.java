package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FeatureMapTest {

    private static double reference(FeatureMap map, double x) {
        return switch (map) {
            case ELU -> x > 0 ? x + 1 : Math.exp(x);
            case ELU_FLIP -> x < 0 ? 1 - x : Math.exp(-x);
            case TANH -> Math.tanh(x) + 1;
        };
    }

    private static double referenceDerivative(FeatureMap map, double x) {
        return switch (map) {
            case ELU -> x > 0 ? 1 : Math.exp(x);
            case ELU_FLIP -> x < 0 ? -1 : -Math.exp(-x);
            case TANH -> 1 - Math.tanh(x) * Math.tanh(x);
        };
    }

    @Test
    void valuesAndDerivativesMatchTheTextbookFormulas() {
        double[] xs = new double[4001];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = -100 + 0.05 * i; // −100 .. 100, through 0
        }
        for (FeatureMap map : FeatureMap.values()) {
            double[] phi = xs.clone();
            map.apply(phi, 0, phi.length);
            double[] grad = new double[xs.length];
            java.util.Arrays.fill(grad, 1.0);
            map.chain(grad, phi, 0, grad.length);
            for (int i = 0; i < xs.length; i++) {
                double x = xs[i];
                double want = reference(map, x);
                // below e^−80 the fast exponential saturates; such φ values are negligible next to 1
                double tol = Math.max(1e-10 * Math.abs(want), 3e-35);
                assertEquals(want, phi[i], tol, map + " value at " + x);
                assertEquals(want, map.value(x), tol, map + " scalar value at " + x);
                double wantD = referenceDerivative(map, x);
                // tanh's φ(2 − φ) cancels where φ ≈ 0: exact to ~1e-16 absolute, not relative
                assertEquals(wantD, grad[i], Math.max(1e-10 * Math.abs(wantD), 1e-15), map + " derivative at " + x);
            }
        }
    }

    @Test
    void expNonPositiveIsAccurateToFourTimesTenToTheMinusEleven() {
        for (double x = -80; x <= 0; x += 0.001) {
            double want = Math.exp(x);
            assertEquals(want, org.lra.model.tensor.FastExp.nonPositive(x), 4e-11 * want, "x = " + x);
        }
    }
}
