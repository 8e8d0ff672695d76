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
    private static final float EXP_MIN = -87.33655f; // below: e^x < the smallest normal float, taken as 0

    /**
     * e^x, within 2 ulp of the correctly rounded float for x in [−87.3, 88]; 0 below, e^88 above. Cody–Waite:
     * x = n·ln 2 + r with |r| ≤ ln 2 / 2, e^r by its Taylor polynomial of degree 7 (truncation &lt; 5e−9),
     * 2^n written into the exponent bits.
     */
    public static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_MIN).min(EXP_MAX);
        FloatVector n = xc.fma(LOG2E, ROUND).sub(ROUND);
        FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), xc);
        r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);
        FloatVector p = r.fma(FloatVector.broadcast(F, 1f / 5040), FloatVector.broadcast(F, 1f / 720));
        p = p.fma(r, FloatVector.broadcast(F, 1f / 120));
        p = p.fma(r, FloatVector.broadcast(F, 1f / 24));
        p = p.fma(r, FloatVector.broadcast(F, 1f / 6));
        p = p.fma(r, FloatVector.broadcast(F, 0.5f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        p = p.fma(r, FloatVector.broadcast(F, 1f));
        IntVector bits = ((IntVector) n.convert(VectorOperators.F2I, 0)).add(127).lanewise(VectorOperators.LSHL, 23);
        FloatVector e = p.mul(bits.reinterpretAsFloats());
        return e.blend(0f, x.lt(EXP_MIN));
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
