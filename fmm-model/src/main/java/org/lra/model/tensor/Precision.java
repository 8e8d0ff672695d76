package org.lra.model.tensor;

import org.nd4j.linalg.api.buffer.DataType;

/** Element type of every buffer of one model: float32 to train, float64 for finite-difference gradient checks. */
public enum Precision {
    FLOAT32(DataType.FLOAT, 4),
    FLOAT64(DataType.DOUBLE, 8);

    final DataType nd4j;
    public final int bytes;

    Precision(DataType nd4j, int bytes) {
        this.nd4j = nd4j;
        this.bytes = bytes;
    }
}
