package org.lra.model.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Initial weights are distributed as PyTorch draws them (nn.Linear: U(±1/√fanIn) for weight and bias; the
 * embeddings: N(0, 0.02²)): mean, variance and kurtosis of each tensor match, values stay in range, and tensors
 * of one model, or one tensor under neighbouring seeds, are uncorrelated. Training parity with the official code
 * rests on this (results/parity).
 */
class ParameterInitTest {
    static final int FAN_IN = 64;
    static final int N = 128 * 64;

    static Parameters model(long seed) {
        Parameters p = new Parameters();
        double bound = 1 / Math.sqrt(FAN_IN);
        p.register("fc1.weight", Init.uniform(bound), true, 128, FAN_IN);
        p.register("fc2.weight", Init.uniform(bound), true, 128, FAN_IN);
        p.register("tokens", Init.normal(0.02), true, 128, 64);
        p.register("positions", Init.normal(0.02), true, 128, 64);
        p.allocate(Precision.FLOAT32, seed);
        return p;
    }

    static double[] values(Parameters p, String name) {
        Param param = p.get(name);
        return p.values().toDoubleArray(param.offset(), param.offset() + param.size());
    }

    /** mean, variance, kurtosis (4th central moment / variance²). */
    static double[] moments(double[] x) {
        double m = 0;
        for (double v : x) {
            m += v;
        }
        m /= x.length;
        double m2 = 0, m4 = 0;
        for (double v : x) {
            double d = (v - m) * (v - m);
            m2 += d;
            m4 += d * d;
        }
        m2 /= x.length;
        m4 /= x.length;
        return new double[] {m, m2, m4 / (m2 * m2)};
    }

    static double correlation(double[] a, double[] b) {
        double[] ma = moments(a), mb = moments(b);
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (a[i] - ma[0]) * (b[i] - mb[0]);
        }
        return s / a.length / Math.sqrt(ma[1] * mb[1]);
    }

    @Test
    void uniformAndNormalTensorsHaveTorchsMoments() {
        for (long seed = 1; seed <= 3; seed++) {
            Parameters p = model(seed);
            double bound = 1 / Math.sqrt(FAN_IN);
            for (String name : new String[] {"fc1.weight", "fc2.weight"}) {
                double[] x = values(p, name);
                double[] m = moments(x);
                double var = bound * bound / 3;
                assertEquals(0, m[0], 5 * Math.sqrt(var / N), name + " mean");
                assertEquals(var, m[1], 0.05 * var, name + " variance");
                assertEquals(1.8, m[2], 0.1, name + " kurtosis (uniform: 9/5)");
                for (double v : x) {
                    assertTrue(Math.abs(v) <= bound, name + " in range");
                }
            }
            for (String name : new String[] {"tokens", "positions"}) {
                double[] m = moments(values(p, name));
                assertEquals(0, m[0], 5 * 0.02 / Math.sqrt(N), name + " mean");
                assertEquals(0.02 * 0.02, m[1], 0.05 * 0.02 * 0.02, name + " variance");
                assertEquals(3.0, m[2], 0.25, name + " kurtosis (normal: 3)");
            }
        }
    }

    @Test
    void tensorsAndSeedsAreUncorrelated() {
        double limit = 5 / Math.sqrt(N);
        Parameters a = model(1);
        Parameters b = model(2);
        String[] names = {"fc1.weight", "fc2.weight", "tokens", "positions"};
        for (int i = 0; i < names.length; i++) {
            for (int j = i + 1; j < names.length; j++) {
                double r = correlation(values(a, names[i]), values(a, names[j]));
                assertTrue(Math.abs(r) < limit, names[i] + " vs " + names[j] + ": r = " + r);
            }
            double r = correlation(values(a, names[i]), values(b, names[i]));
            assertTrue(Math.abs(r) < limit, names[i] + ", seed 1 vs 2: r = " + r);
            double[] x = values(a, names[i]);
            double[] head = java.util.Arrays.copyOfRange(x, 0, N - 1);
            double[] next = java.util.Arrays.copyOfRange(x, 1, N);
            double lag = correlation(head, next);
            assertTrue(Math.abs(lag) < limit, names[i] + " neighbouring entries: r = " + lag);
        }
    }
}
