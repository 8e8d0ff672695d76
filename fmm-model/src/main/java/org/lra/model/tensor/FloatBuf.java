package org.lra.model.tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** float32 storage: the training precision. */
public final class FloatBuf extends Buf {
    private final FloatBuffer data;
    /** The same memory as bytes in native order: what the Vector API kernels load from and store into. */
    private final ByteBuffer bytes;
    private final Pointer base;

    FloatBuf(INDArray array, int length) {
        super(array, length);
        this.data = array.data().asNioFloat();
        this.bytes = array.data().asNio().order(ByteOrder.nativeOrder());
        this.base = array.data().addressPointer();
    }

    @Override
    public Precision precision() {
        return Precision.FLOAT32;
    }

    @Override
    public double get(int i) {
        return data.get(i);
    }

    @Override
    public void set(int i, double v) {
        data.put(i, (float) v);
    }

    /** Per-thread float staging area for the bulk conversions (grown on demand, never shrunk). */
    private static final ThreadLocal<float[][]> STAGING = ThreadLocal.withInitial(() -> new float[][] {new float[1024]});

    private static float[] staging(int n) {
        float[][] holder = STAGING.get();
        if (holder[0].length < n) {
            holder[0] = new float[n];
        }
        return holder[0];
    }

    @Override
    public void get(int from, double[] dst, int off, int n) {
        float[] s = staging(n);
        data.get(from, s, 0, n);
        for (int i = 0; i < n; i++) {
            dst[off + i] = s[i];
        }
    }

    @Override
    public void set(int from, double[] src, int off, int n) {
        float[] s = staging(n);
        for (int i = 0; i < n; i++) {
            s[i] = (float) src[off + i];
        }
        data.put(from, s, 0, n);
    }

    @Override
    public void fill(int from, int to, double v) {
        float f = (float) v;
        for (int i = from; i < to; i++) {
            data.put(i, f);
        }
    }

    @Override
    public void copyFrom(Buf src, int srcOff, int dstOff, int n) {
        if (src instanceof FloatBuf f) {
            FloatBuffer s = f.data.duplicate();
            s.position(srcOff).limit(srcOff + n);
            FloatBuffer d = data.duplicate();
            d.position(dstOff);
            d.put(s);
        } else {
            for (int i = 0; i < n; i++) {
                data.put(dstOff + i, (float) src.get(srcOff + i));
            }
        }
    }

    @Override
    public Pointer pointer(int offset) {
        return new FloatPointer(base).position(offset);
    }

    /** The memory as native-order bytes, element i at byte 4·i (absolute indexing only; do not move its position). */
    public ByteBuffer bytes() {
        return bytes;
    }

    /** The underlying direct buffer (absolute indexing only; do not move its position). */
    public FloatBuffer nio() {
        return data;
    }
}
