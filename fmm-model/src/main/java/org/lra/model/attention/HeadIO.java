package org.lra.model.attention;

import org.lra.model.tensor.Buf;
import org.lra.model.tensor.DoubleBuf;
import org.lra.model.tensor.FloatBuf;

/**
 * Moves numbers between the engine's off-heap buffers and the contiguous {@code double[]} scratch that the
 * attention kernels loop over.
 *
 * <p>Why copy at all: the hot loops (band rows, softmax rows) want plain arrays that the JIT can
 * vectorise, and one code path for both precisions. Computing in double costs little here (the loops are
 * short and memory-bound) and lets the float64 gradient checks run the very same kernels as training.
 * The copies are O(T·D) per head, against O(T·D·k) or O(T²·D) work.
 */
final class HeadIO {
    private HeadIO() {
    }

    /** Rows per bulk read in {@link #loadHead}: a {@code tmp} of SLAB_ROWS·width floats (16 KiB at width 64). */
    static final int SLAB_ROWS = 64;

    /**
     * One head of one sequence as rows: dst[t][0, D) = src[(row0 + t) * width + col0, + D), t &lt; T.
     *
     * <p>Float heads are read a slab of whole rows (all heads' columns) at a time when {@code tmp} holds at
     * least one row: one bulk copy per slab instead of one per 32-float row, whose fixed cost (bounds and
     * scope checks of the direct buffer) was larger than the copy itself. The other heads' columns are read
     * and ignored; that is contiguous memory, cheaper than the calls it saves.
     */
    static void loadHead(Buf src, int row0, int width, int col0, int seqLen, int headDim, double[][] dst,
                         float[] tmp) {
        int rows = tmp.length / width;
        if (!(src instanceof FloatBuf f) || rows < 1) {
            for (int t = 0; t < seqLen; t++) {
                loadRow(src, (row0 + t) * width + col0, dst[t], 0, headDim, tmp);
            }
            return;
        }
        for (int t0 = 0; t0 < seqLen; t0 += rows) {
            int n = Math.min(rows, seqLen - t0);
            f.nio().get((row0 + t0) * width, tmp, 0, n * width);
            for (int r = 0; r < n; r++) {
                double[] out = dst[t0 + r];
                int at = r * width + col0;
                for (int d = 0; d < headDim; d++) {
                    out[d] = tmp[at + d];
                }
            }
        }
    }

    /** Inverse of {@link #loadHead}; adds to dst instead of overwriting when {@code accumulate}. */
    static void storeHead(double[][] src, Buf dst, int row0, int width, int col0, int seqLen, int headDim,
                          boolean accumulate, double[] row, float[] tmp) {
        for (int t = 0; t < seqLen; t++) {
            int off = (row0 + t) * width + col0;
            double[] values = src[t];
            if (accumulate) {
                loadRow(dst, off, row, 0, headDim, tmp);
                for (int d = 0; d < headDim; d++) {
                    row[d] += values[d];
                }
                values = row;
            }
            storeRow(values, 0, dst, off, headDim, tmp);
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

    /**
     * One head's rows packed: dst[t·D + d] = src[off + t·width + d] · (scale · mask[t]) for t &lt; T, d &lt; D, with
     * off = {@link AttentionShape#headOffset}; a plain copy when {@code mask} is null. For the attentions that
     * mask (and scale) a head before GEMMs on it in [T, D] form, or convolve it along the sequence.
     */
    static void loadHeadPacked(Buf src, int off, int width, int seqLen, int headDim, double scale, double[] mask,
                               double[] dst) {
        for (int t = 0; t < seqLen; t++) {
            src.get(off + t * width, dst, t * headDim, headDim);
            if (mask != null) {
                double f = scale * mask[t];
                for (int d = 0; d < headDim; d++) {
                    dst[t * headDim + d] *= f;
                }
            }
        }
    }

    /** The key mask of sequence b: dst[t] = keyMask[b*T + t]. */
    static void loadMask(Buf keyMask, int b, int seqLen, double[] dst) {
        for (int t = 0; t < seqLen; t++) {
            dst[t] = keyMask.get(b * seqLen + t);
        }
    }
}
