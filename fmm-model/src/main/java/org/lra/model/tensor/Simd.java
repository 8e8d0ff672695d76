package org.lra.model.tensor;

import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 kernels' SIMD vectors (JDK Vector API), loaded from and stored into a {@link FloatBuf}'s memory
 * directly: no staging copy to the heap. Element indices, not byte offsets.
 *
 * <p>The widest shape the CPU has (16 floats with AVX-512, 8 with AVX2). A kernel walks {@code i} in steps of
 * {@link #LANES} while {@code i + LANES <= n} and finishes the tail with the same formula on scalars.
 *
 * <p>Same numbers whether a kernel runs interpreted or JIT-compiled. The Vector API leaves two things open that
 * would break that (and with it bit-identical resumes, which the JVM reaches in another compilation state):
 * the order of {@code reduceLanes(ADD)} (the compiled form adds in a tree, the interpreted one in a row) and
 * the transcendental lanewise ops ({@code EXP}, {@code TANH}: compiled to a vector math library, interpreted
 * as {@code Math.exp} per lane, which differ in the last bit). So kernels sum lanes with {@link #sum} (a fixed
 * tree of shuffles and adds) and take {@link #exp} and {@link #tanh} from here, built from IEEE add, multiply,
 * fma, compare and integer ops only, which every compilation state computes identically.
 */
public final class Simd {
    public static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    public static final int LANES = F.length();
    private static final ByteOrder ORDER = ByteOrder.nativeOrder();

    private Simd() {
    }

    /** floats [i, i + LANES) of buf. */
    public static FloatVector load(FloatBuf buf, int i) {
        return FloatVector.fromByteBuffer(F, buf.bytes(), 4 * i, ORDER);
    }

    public static void store(FloatVector v, FloatBuf buf, int i) {
        v.intoByteBuffer(buf.bytes(), 4 * i, ORDER);
    }

    /** For the fold steps LANES/2, LANES/4, ..., 1: lane i takes lane i ^ step. */
    @SuppressWarnings("unchecked")
    private static final VectorShuffle<Float>[] FOLDS = folds();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        int steps = Integer.numberOfTrailingZeros(LANES);
        VectorShuffle<Float>[] folds = new VectorShuffle[steps];
        for (int k = 0; k < steps; k++) {
            int step = LANES >> (k + 1);
            folds[k] = VectorShuffle.fromOp(F, i -> i ^ step);
        }
        return folds;
    }

    /** Σ of the lanes in a fixed order (pairwise: lane i + lane i^(LANES/2), then i^(LANES/4), ...). */
    public static float sum(FloatVector v) {
        for (VectorShuffle<Float> fold : FOLDS) {
            v = v.add(v.rearrange(fold));
        }
        return v.lane(0);
    }

    private static final float LOG2E = 1.44269504088896341f;
    private static final float LN2_HI = 0.693359375f; // ln 2 split so that n·LN2_HI is exact for |n| < 2^9
    private static final float LN2_LO = -2.12194440e-4f;
    private static final float ROUND = 12582912f; // 1.5·2^23: adding and subtracting it rounds to an integer
    private static final float EXP_MAX = 88f; // e^88 < Float.MAX_VALUE, n ≤ 127
    private static final float EXP_MIN = -88f; // rounds to n = −127, whose scale 2^n is written as 0

    /**
     * e^x, within 2 ulp of the correctly rounded float for x in [−87.3, 88]; exactly 0 below about −87.68
     * (where x·log2 e rounds to −127), e^88 above, and between the two a value that is within 2^−126 of e^x.
     * Cody–Waite: x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor polynomial of degree 7 (truncation
     * &lt; 5e−9), 2^n written into the exponent bits.
     *
     * <p>No mask and no float-to-int conversion: on JDK 17 both leave the compiled kernel (a compare-and-blend
     * made this function 15× slower). n + 1.5·2^23, as a float, already holds n in its low mantissa bits, and
     * shifting (bits + 127) left by 23 keeps exactly the 9 bits of the biased exponent; n = −127 gives the bit
     * pattern 0, so e^x underflows to 0 by the same multiplication that scales every other lane.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(C_EXP_MIN).min(C_EXP_MAX);
        FloatVector shifted = xc.fma(C_LOG2E, C_ROUND); // ROUND + n, n = round(x·log2 e)
        FloatVector n = shifted.sub(C_ROUND);
        FloatVector r = n.fma(C_MINUS_LN2_HI, xc);
        r = n.fma(C_MINUS_LN2_LO, r);
        FloatVector p = r.fma(C_1_5040, C_1_720).fma(r, C_1_120).fma(r, C_1_24).fma(r, C_1_6).fma(r, C_HALF)
                .fma(r, C_ONE).fma(r, C_ONE);
        IntVector scale = shifted.reinterpretAsInts().add(I_127).lanewise(VectorOperators.LSHL, 23); // 2^n
        return p.mul(scale.reinterpretAsFloats());
    }

    /*
     * exp's constants as vectors made once. C2 stops inlining a method once its graph passes a fixed node count
     * (NodeCountInliningCutoff, not settable in a product JVM), and a Vector API op with a scalar operand adds a
     * broadcast's worth of nodes each time. A kernel past the cutoff calls the rest of the Vector API out of
     * line and boxes every vector on the heap (the GELU backward ran 7× slower that way). Constant vectors keep
     * exp small enough to inline into a kernel beside another polynomial.
     */
    private static final FloatVector C_EXP_MIN = constant(EXP_MIN);
    private static final FloatVector C_EXP_MAX = constant(EXP_MAX);
    private static final FloatVector C_LOG2E = constant(LOG2E);
    private static final FloatVector C_ROUND = constant(ROUND);
    private static final FloatVector C_MINUS_LN2_HI = constant(-LN2_HI);
    private static final FloatVector C_MINUS_LN2_LO = constant(-LN2_LO);
    private static final FloatVector C_1_5040 = constant(1f / 5040);
    private static final FloatVector C_1_720 = constant(1f / 720);
    private static final FloatVector C_1_120 = constant(1f / 120);
    private static final FloatVector C_1_24 = constant(1f / 24);
    private static final FloatVector C_1_6 = constant(1f / 6);
    private static final FloatVector C_HALF = constant(0.5f);
    private static final FloatVector C_ONE = constant(1f);
    private static final IntVector I_127 = IntVector.broadcast(F.withLanes(int.class), 127);

    /** A vector of LANES copies of c, for kernels' static final constants (see above). */
    public static FloatVector constant(double c) {
        return FloatVector.broadcast(F, (float) c);
    }

    /** tanh x = (e^{2x} − 1) / (e^{2x} + 1), x clamped to ±9 (tanh 9 rounds to 1 in float). */
    public static FloatVector tanh(FloatVector x) {
        FloatVector e = exp(x.max(-9f).min(9f).mul(2f));
        return e.sub(1f).div(e.add(1f));
    }

    /** The end of the vector part of [from, to): the largest from + k·LANES ≤ to. */
    public static int vectorEnd(int from, int to) {
        return from + (to - from) / LANES * LANES;
    }
}
