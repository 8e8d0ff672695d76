package org.lra.model.attention;

import jdk.incubator.vector.FloatVector;
import org.lra.model.config.KernelType;
import org.lra.model.tensor.FastExp;
import org.lra.model.tensor.Simd;

/**
 * The far-field feature maps φ, applied elementwise to raw q and k (docs/reference.md §1.3). Each map's derivative
 * is a function of its value, so backward needs only the stored φ(x), never x or another exp.
 *
 * <p>Speed: the maps are written without branches and with the exponential built from {@code max}, × and +
 * only ({@link FastExp#nonPositive}), and each map has its own bulk loops ({@link #apply}, {@link #chain}).
 * That keeps the loops monomorphic and straight-line, which C2 compiles far better than a loop calling
 * {@code Math.exp} behind a data-dependent branch (measured ~3 ns against ~10 ns per element here).
 * The float32 path evaluates the same maps on SIMD lanes ({@link #value(FloatVector)}) with the Vector API's
 * EXP and TANH.
 */
enum FeatureMap {
    /** φ(x) = elu(x) + 1 = max(x, 0) + e^min(x, 0); φ' = 1 or e^x = min(φ, 1). */
    ELU {
        @Override
        double value(double x) {
            return Math.max(x, 0.0) + FastExp.nonPositive(Math.min(x, 0.0));
        }

        @Override
        double derivativeFromValue(double phi) {
            return Math.min(phi, 1.0);
        }

        @Override
        void apply(double[] x, int from, int to) {
            for (int i = from; i < to; i++) {
                x[i] = value(x[i]);
            }
        }

        @Override
        FloatVector value(FloatVector x) {
            return x.max(0f).add(Simd.exp(x.min(0f)));
        }

        @Override
        FloatVector derivativeFromValue(FloatVector phi) {
            return phi.min(1f);
        }

        @Override
        void chain(double[] grad, double[] phi, int from, int to) {
            for (int i = from; i < to; i++) {
                grad[i] *= derivativeFromValue(phi[i]);
            }
        }
    },
    /** φ(x) = elu(−x) + 1 = max(−x, 0) + e^min(−x, 0); φ' = −min(φ, 1). */
    ELU_FLIP {
        @Override
        double value(double x) {
            return Math.max(-x, 0.0) + FastExp.nonPositive(Math.min(-x, 0.0));
        }

        @Override
        double derivativeFromValue(double phi) {
            return -Math.min(phi, 1.0);
        }

        @Override
        void apply(double[] x, int from, int to) {
            for (int i = from; i < to; i++) {
                x[i] = value(x[i]);
            }
        }

        @Override
        FloatVector value(FloatVector x) {
            return x.neg().max(0f).add(Simd.exp(x.neg().min(0f)));
        }

        @Override
        FloatVector derivativeFromValue(FloatVector phi) {
            return phi.min(1f).neg();
        }

        @Override
        void chain(double[] grad, double[] phi, int from, int to) {
            for (int i = from; i < to; i++) {
                grad[i] *= derivativeFromValue(phi[i]);
            }
        }
    },
    /** φ(x) = tanh(x) + 1; φ' = 1 − tanh² = φ(2 − φ). */
    TANH {
        @Override
        double value(double x) {
            return Math.tanh(x) + 1;
        }

        @Override
        double derivativeFromValue(double phi) {
            return phi * (2 - phi);
        }

        @Override
        void apply(double[] x, int from, int to) {
            for (int i = from; i < to; i++) {
                x[i] = value(x[i]);
            }
        }

        @Override
        FloatVector value(FloatVector x) {
            return Simd.tanh(x).add(1f);
        }

        @Override
        FloatVector derivativeFromValue(FloatVector phi) {
            return phi.mul(phi.neg().add(2f));
        }

        @Override
        void chain(double[] grad, double[] phi, int from, int to) {
            for (int i = from; i < to; i++) {
                grad[i] *= derivativeFromValue(phi[i]);
            }
        }
    };

    abstract double value(double x);

    /** dφ/dx at the x where φ(x) = phi. */
    abstract double derivativeFromValue(double phi);

    /** x[i] ← φ(x[i]) for i in [from, to). (One loop per map: see the class comment.) */
    abstract void apply(double[] x, int from, int to);

    /** φ on float lanes (float32 path). */
    abstract FloatVector value(FloatVector x);

    /** φ' from φ on float lanes (float32 path). */
    abstract FloatVector derivativeFromValue(FloatVector phi);

    /** grad[i] ← grad[i] · φ'(x_i), with φ' read from phi[i] = φ(x_i). */
    abstract void chain(double[] grad, double[] phi, int from, int to);

    static FeatureMap of(KernelType type) {
        return switch (type) {
            case elu -> ELU;
            case elu_flip -> ELU_FLIP;
            case tanh -> TANH;
        };
    }
}
