package org.lra.model.tensor;

/**
 * Per-thread heap scratch for element-wise kernels: a kernel bulk-reads a tile of each operand with
 * {@link Buf#get(int, double[], int, int)}, runs plain loops over double[] (which the JIT vectorises), and
 * writes the result back with {@link Buf#set(int, double[], int, int)}. Arrays are made once per thread.
 */
public final class Tile {
    /** Elements per tile: 6 tiles of 512 doubles (24 KiB) stay in L1. */
    public static final int SIZE = 512;
    public static final int SLOTS = 6;

    private static final ThreadLocal<double[][]> LOCAL = ThreadLocal.withInitial(() -> new double[SLOTS][SIZE]);
    private static final ThreadLocal<long[]> BITS = ThreadLocal.withInitial(() -> new long[SIZE]);

    private Tile() {
    }

    /** This thread's tiles: {@code SLOTS} arrays of {@code SIZE} doubles. */
    public static double[][] local() {
        return LOCAL.get();
    }

    /** This thread's {@code SIZE} longs (random bits for dropout masks). */
    public static long[] bits() {
        return BITS.get();
    }
}
