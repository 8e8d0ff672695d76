package org.lra.model.tensor;

/**
 * Per-thread heap scratch for element-wise kernels, made once per thread. The float64 path bulk-reads a tile of
 * each operand with {@link Buf#get(int, double[], int, int)}, runs plain loops over double[] (which the JIT
 * vectorises), and writes the result back with {@link Buf#set(int, double[], int, int)}. The float32 path works
 * on the buffers directly ({@link Simd}) and uses the float tiles only for values it computes (dropout
 * multipliers), never for copies of its operands.
 */
public final class Tile {
    /** Elements per tile: 6 tiles of 512 doubles (24 KiB) stay in L1. */
    public static final int SIZE = 512;
    public static final int SLOTS = 6;

    private static final ThreadLocal<double[][]> LOCAL = ThreadLocal.withInitial(() -> new double[SLOTS][SIZE]);
    private static final ThreadLocal<float[][]> FLOATS = ThreadLocal.withInitial(() -> new float[SLOTS][SIZE]);

    private Tile() {
    }

    /** This thread's tiles: {@code SLOTS} arrays of {@code SIZE} doubles. */
    public static double[][] local() {
        return LOCAL.get();
    }

    /** This thread's float tiles: {@code SLOTS} arrays of {@code SIZE} floats. */
    public static float[][] floats() {
        return FLOATS.get();
    }
}
