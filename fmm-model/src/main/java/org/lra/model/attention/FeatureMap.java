package org.lra.model.attention;

import jdk.incubator.vector.FloatVector;
import org.lra.model.config.KernelType;
import org.lra.model.tensor.FastExp;
import org.lra.model.tensor.FloatBuf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Simd;

/**
 * The far-field feature maps φ, applied elementwise to raw q and k (docs/reference.md §1.3). Each map's derivative
 * is a function of its value, so backward needs only the stored φ(x), never x or another exp.
 *
 * <p>Speed: the maps are written without branches and with the exponential built from {@code max}, × and +
 * only ({@link FastExp#nonPositive}), and each map has its own bulk loops ({@link #apply}, {@link #chain}).
 * That keeps the loops monomorphic and straight-line, which C2 compiles far better than a loop calling
 * {@code Math.exp} behind a data-dependent branch (measured ~3 ns against ~10 ns per element here).
 * The float32 path evaluates the same maps on SIMD lanes ({@link #applyFloat}, {@link #chainFloat}) with
 * {@link Simd#exp} and {@link Simd#tanh}.
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
        void applyFloat(Parallel pool, FloatBuf buf, int n) {
            pool.forRange(n / Simd.LANES, (c, v0, v1) -> {
                for (int i = v0 * Simd.LANES; i < v1 * Simd.LANES; i += Simd.LANES) {
                    FloatVector x = Simd.load(buf, i);
                    Simd.store(x.max(ZERO).add(Simd.exp(x.min(ZERO))), buf, i);
                }
            });
        }

        @Override
        void chainFloat(Parallel pool, FloatBuf grad, FloatBuf phiBuf, int n) {
            pool.forRange(n / Simd.LANES, (c, v0, v1) -> {
                for (int i = v0 * Simd.LANES; i < v1 * Simd.LANES; i += Simd.LANES) {
                    FloatVector phi = Simd.load(phiBuf, i);
                    Simd.store(Simd.load(grad, i).mul(phi.min(ONE)), grad, i);
                }
            });
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
        void applyFloat(Parallel pool, FloatBuf buf, int n) {
            pool.forRange(n / Simd.LANES, (c, v0, v1) -> {
                for (int i = v0 * Simd.LANES; i < v1 * Simd.LANES; i += Simd.LANES) {
                    FloatVector x = Simd.load(buf, i);
                    Simd.store(x.neg().max(ZERO).add(Simd.exp(x.neg().min(ZERO))), buf, i);
                }
            });
        }

        @Override
        void chainFloat(Parallel pool, FloatBuf grad, FloatBuf phiBuf, int n) {
            pool.forRange(n / Simd.LANES, (c, v0, v1) -> {
                for (int i = v0 * Simd.LANES; i < v1 * Simd.LANES; i += Simd.LANES) {
                    FloatVector phi = Simd.load(phiBuf, i);
                    Simd.store(Simd.load(grad, i).mul(phi.min(ONE).neg()), grad, i);
                }
            });
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
        void applyFloat(Parallel pool, FloatBuf buf, int n) {
            pool.forRange(n / Simd.LANES, (c, v0, v1) -> {
                for (int i = v0 * Simd.LANES; i < v1 * Simd.LANES; i += Simd.LANES) {
                    FloatVector x = Simd.load(buf, i);
                    Simd.store(Simd.tanh(x).add(ONE), buf, i);
                }
            });
        }

        @Override
        void chainFloat(Parallel pool, FloatBuf grad, FloatBuf phiBuf, int n) {
            pool.forRange(n / Simd.LANES, (c, v0, v1) -> {
                for (int i = v0 * Simd.LANES; i < v1 * Simd.LANES; i += Simd.LANES) {
                    FloatVector phi = Simd.load(phiBuf, i);
                    Simd.store(Simd.load(grad, i).mul(phi.mul(phi.neg().add(TWO))), grad, i);
                }
            });
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

    /*
     * The float32 path: whole passes over a buffer, split over the pool, one lambda per map. Vector code must
     * not sit behind a call site that several maps share: C2 would inline every map it has seen there into one
     * compiled loop (fmm's two kernels: two exps) and pass its inlining budget, and then it boxes each vector
     * (see Simd). A lambda of its own per map compiles alone.
     */

    /** buf[i] ← φ(buf[i]) for i in [0, n), n a multiple of {@link Simd#LANES}. */
    abstract void applyFloat(Parallel pool, FloatBuf buf, int n);

    /** grad[i] ← grad[i] · φ'(x_i) for i in [0, n), φ' read from phi[i] = φ(x_i), n a multiple of LANES. */
    abstract void chainFloat(Parallel pool, FloatBuf grad, FloatBuf phi, int n);

    private static final FloatVector ZERO = Simd.constant(0);
    private static final FloatVector ONE = Simd.constant(1);
    private static final FloatVector TWO = Simd.constant(2);

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
