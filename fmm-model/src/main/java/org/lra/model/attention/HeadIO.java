package org.lra.model.attention;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.DoubleBuf;
import org.lra.model.tensor.FloatBuf;

/**
 * Moves numbers between the engine's off-heap buffers and the contiguous {@code double[]} scratch that the
 * attention kernels loop over.
 *
 * <p>Why copy at all: the hot loops (band diagonals, softmax rows) want plain arrays that the JIT can
 * vectorise, and one code path for both precisions. Computing in double costs little here (the loops are
 * short and memory-bound) and lets the float64 gradient checks run the very same kernels as training.
 * The copies are O(T·D) per head, against O(T·D·k) or O(T²·D) work.
 */
final class HeadIO {
    private HeadIO() {
    }

    /** One head of one sequence, transposed: dst[d*T + t] = src[(row0 + t) * width + col0 + d]. */
    static void loadTransposed(Buf src, int row0, int width, int col0, int seqLen, int headDim, double[] dst) {
        if (src instanceof FloatBuf f) {
            for (int t = 0; t < seqLen; t++) {
                int base = (row0 + t) * width + col0;
                for (int d = 0; d < headDim; d++) {
                    dst[d * seqLen + t] = f.getFloat(base + d);
                }
            }
        } else {
            for (int t = 0; t < seqLen; t++) {
                int base = (row0 + t) * width + col0;
                for (int d = 0; d < headDim; d++) {
                    dst[d * seqLen + t] = src.get(base + d);
                }
            }
        }
    }

    /** Inverse of {@link #loadTransposed}; adds to dst instead of overwriting when {@code accumulate}. */
    static void storeTransposed(double[] src, Buf dst, int row0, int width, int col0, int seqLen, int headDim,
                                boolean accumulate) {
        if (dst instanceof FloatBuf f) {
            for (int t = 0; t < seqLen; t++) {
                int base = (row0 + t) * width + col0;
                for (int d = 0; d < headDim; d++) {
                    double v = src[d * seqLen + t];
                    f.setFloat(base + d, (float) (accumulate ? f.getFloat(base + d) + v : v));
                }
            }
        } else {
            for (int t = 0; t < seqLen; t++) {
                int base = (row0 + t) * width + col0;
                for (int d = 0; d < headDim; d++) {
                    double v = src[d * seqLen + t];
                    dst.set(base + d, accumulate ? dst.get(base + d) + v : v);
                }
            }
        }
    }

    /**
     * dst[dstOff..dstOff+n) = src[off..off+n). Float rows go through {@code tmp} (length ≥ n) with one bulk
     * copy out of the direct buffer, which is several times faster than element-wise access for long rows.
     */
    static void loadRow(Buf src, int off, double[] dst, int dstOff, int n, float[] tmp) {
        if (src instanceof FloatBuf f) {
            f.nio().get(off, tmp, 0, n);
            for (int t = 0; t < n; t++) {
                dst[dstOff + t] = tmp[t];
            }
        } else {
            ((DoubleBuf) src).nio().get(off, dst, dstOff, n);
        }
    }

    /** dst[off..off+n) = src[srcOff..srcOff+n), rounding to the buffer's precision. */
    static void storeRow(double[] src, int srcOff, Buf dst, int off, int n, float[] tmp) {
        if (dst instanceof FloatBuf f) {
            for (int t = 0; t < n; t++) {
                tmp[t] = (float) src[srcOff + t];
            }
            f.nio().put(off, tmp, 0, n);
        } else {
            ((DoubleBuf) dst).nio().put(off, src, srcOff, n);
        }
    }

    /** The key mask of sequence b: dst[t] = keyMask[b*T + t]. */
    static void loadMask(Buf keyMask, int b, int seqLen, double[] dst) {
        for (int t = 0; t < seqLen; t++) {
            dst[t] = keyMask.get(b * seqLen + t);
        }
    }
}
