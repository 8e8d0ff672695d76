package org.lra.model.tensor;

import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * A flat run of numbers in off-heap memory owned by one ND4J array.
 *
 * <p>Every parameter, gradient and activation of the engine lives in a Buf. Kernels copy runs of elements
 * into small heap tiles with the bulk {@link #get(int, double[], int, int)} / {@link #set(int, double[], int, int)}
 * (see {@link Tile}; the JIT vectorises loops over heap arrays, not over off-heap access), compute in double and
 * write back; single elements go through {@link #get(int)}/{@link #set(int, double)}. GEMMs hand the same memory
 * to OpenBLAS through {@link #pointer}. There are exactly two implementations, float32 and float64;
 * a training run only ever loads the float one, so the JIT sees a single receiver and inlines the
 * accessors into the kernel loops.
 *
 * <p>Indices are element indices from the start of the buffer. Shapes are the caller's business and
 * are written in comments next to each use, e.g. {@code // x [B*T, C]}.
 */
public abstract sealed class Buf permits FloatBuf, DoubleBuf {

    /** Owns the off-heap memory (1-D; one element for n = 0): holding it keeps the memory alive. */
    protected final INDArray array;
    protected final int length;

    protected Buf(INDArray array, int length) {
        this.array = array;
        this.length = length;
    }

    /** A zero-filled buffer of {@code n} elements. */
    public static Buf zeros(Precision precision, int n) {
        INDArray a = Nd4j.create(precision.nd4j, Math.max(n, 1));
        return precision == Precision.FLOAT32 ? new FloatBuf(a, n) : new DoubleBuf(a, n);
    }

    /** Returns {@code buf} when it holds at least {@code n} elements, else a new zeroed buffer of {@code n}. */
    public static Buf ensure(Buf buf, Precision precision, int n) {
        return buf != null && buf.length >= n && buf.precision() == precision ? buf : zeros(precision, n);
    }

    public final int length() {
        return length;
    }

    public abstract Precision precision();

    public abstract double get(int i);

    public abstract void set(int i, double v);

    public final void add(int i, double v) {
        set(i, get(i) + v);
    }

    /**
     * Bulk read: {@code dst[off .. off+n) = this[from .. from+n)}. Kernels work on small heap tiles so that the
     * JIT can vectorise their loops (it does not vectorise element-wise access to off-heap buffers).
     */
    public abstract void get(int from, double[] dst, int off, int n);

    /** Bulk write: {@code this[from .. from+n) = src[off .. off+n)} (rounded to the buffer's precision). */
    public abstract void set(int from, double[] src, int off, int n);

    /** Sets elements [from, to) to v. */
    public abstract void fill(int from, int to, double v);

    public final void zero() {
        fill(0, length, 0);
    }

    /** Copies {@code n} elements from {@code src[srcOff..]} to {@code this[dstOff..]}. */
    public abstract void copyFrom(Buf src, int srcOff, int dstOff, int n);

    /** A native pointer to element {@code offset}, for BLAS. */
    public abstract Pointer pointer(int offset);

    /** Copies the contents to a new double array (tests and checkpoints). */
    public double[] toDoubleArray(int from, int to) {
        double[] out = new double[to - from];
        for (int i = from; i < to; i++) {
            out[i - from] = get(i);
        }
        return out;
    }
}
