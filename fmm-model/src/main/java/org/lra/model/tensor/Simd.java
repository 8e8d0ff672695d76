package org.lra.model.tensor;

import java.nio.ByteOrder;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The float32 kernels' SIMD vectors (JDK Vector API), loaded from and stored into a {@link FloatBuf}'s memory
 * directly: no staging copy to the heap. Element indices, not byte offsets.
 *
 * <p>The widest shape the CPU has (16 floats with AVX-512, 8 with AVX2). A kernel walks {@code i} in steps of
 * {@link #LANES} while {@code i + LANES <= n} and finishes the tail with the same formula on scalars.
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

    /** The end of the vector part of [from, to): the largest from + k·LANES ≤ to. */
    public static int vectorEnd(int from, int to) {
        return from + (to - from) / LANES * LANES;
    }
}
