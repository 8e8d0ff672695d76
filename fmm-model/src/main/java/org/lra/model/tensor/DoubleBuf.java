package org.lra.model.tensor;

import java.nio.DoubleBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.Pointer;
import org.nd4j.linalg.api.ndarray.INDArray;

/** float64 storage: used by the finite-difference gradient checks. */
public final class DoubleBuf extends Buf {
    private final DoubleBuffer data;
    private final Pointer base;

    DoubleBuf(INDArray array, int length) {
        super(array, length);
        this.data = array.data().asNioDouble();
        this.base = array.data().addressPointer();
    }

    @Override
    public Precision precision() {
        return Precision.FLOAT64;
    }

    @Override
    public double get(int i) {
        return data.get(i);
    }

    @Override
    public void set(int i, double v) {
        data.put(i, v);
    }

    @Override
    public void get(int from, double[] dst, int off, int n) {
        data.get(from, dst, off, n);
    }

    @Override
    public void set(int from, double[] src, int off, int n) {
        data.put(from, src, off, n);
    }

    @Override
    public void fill(int from, int to, double v) {
        for (int i = from; i < to; i++) {
            data.put(i, v);
        }
    }

    @Override
    public void copyFrom(Buf src, int srcOff, int dstOff, int n) {
        if (src instanceof DoubleBuf f) {
            DoubleBuffer s = f.data.duplicate();
            s.position(srcOff).limit(srcOff + n);
            DoubleBuffer d = data.duplicate();
            d.position(dstOff);
            d.put(s);
        } else {
            for (int i = 0; i < n; i++) {
                data.put(dstOff + i, src.get(srcOff + i));
            }
        }
    }

    @Override
    public Pointer pointer(int offset) {
        return new DoublePointer(base).position(offset);
    }

    public DoubleBuffer nio() {
        return data;
    }
}
