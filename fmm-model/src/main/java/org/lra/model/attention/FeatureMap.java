package org.lra.model.attention;

import org.lra.model.config.KernelType;

/**
 * The far-field feature maps φ, applied elementwise to raw q and k (reference §1.3). Each map's derivative
 * is a function of its value, so backward needs only the stored φ(x), never x or another exp.
 */
enum FeatureMap {
    /** φ(x) = elu(x) + 1: x + 1 for x &gt; 0, e^x otherwise; φ' = 1 or e^x = min(φ, 1). */
    ELU {
        @Override
        double value(double x) {
            return x > 0 ? x + 1 : Math.exp(x);
        }

        @Override
        double derivativeFromValue(double phi) {
            return Math.min(phi, 1.0);
        }
    },
    /** φ(x) = elu(−x) + 1: 1 − x for x &lt; 0, e^−x otherwise; φ' = −min(φ, 1). */
    ELU_FLIP {
        @Override
        double value(double x) {
            return x < 0 ? 1 - x : Math.exp(-x);
        }

        @Override
        double derivativeFromValue(double phi) {
            return -Math.min(phi, 1.0);
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
    };

    abstract double value(double x);

    /** dφ/dx at the x where φ(x) = phi. */
    abstract double derivativeFromValue(double phi);

    static FeatureMap of(KernelType type) {
        return switch (type) {
            case elu -> ELU;
            case elu_flip -> ELU_FLIP;
            case tanh -> TANH;
        };
    }
}
