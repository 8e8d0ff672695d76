package org.lra.model.attention;

/**
 * The two inner loops of the band, on heads stored as jagged rows {@code double[T][D]}.
 *
 * <p>Why this shape: HotSpot C2 (JDK 17) vectorises a loop only when every array access uses the same index
 * expression; shifted accesses such as {@code s[i] += q[i]·k[i+o]} stay scalar because the arrays might alias.
 * With one Java array per row, {@link #combine} indexes all its rows by {@code d} alone and vectorises.
 * {@link #dots} is a reduction, which C2 will not reorder, so it keeps 8 independent accumulators
 * (4 rows × even/odd d) to hide the add latency.
 */
final class RowKernels {
    private RowKernels() {
    }

    /** out[outOff + t] = a · rows[row0 + t] over the first {@code width} entries, for t &lt; n. */
    static void dots(double[] a, double[][] rows, int row0, int n, int width, double[] out, int outOff) {
        int t = 0;
        for (; t + 4 <= n; t += 4) {
            double[] r0 = rows[row0 + t];
            double[] r1 = rows[row0 + t + 1];
            double[] r2 = rows[row0 + t + 2];
            double[] r3 = rows[row0 + t + 3];
            double s0 = 0, s1 = 0, s2 = 0, s3 = 0, u0 = 0, u1 = 0, u2 = 0, u3 = 0;
            int d = 0;
            for (; d + 2 <= width; d += 2) {
                double x = a[d];
                double y = a[d + 1];
                s0 += x * r0[d];
                u0 += y * r0[d + 1];
                s1 += x * r1[d];
                u1 += y * r1[d + 1];
                s2 += x * r2[d];
                u2 += y * r2[d + 1];
                s3 += x * r3[d];
                u3 += y * r3[d + 1];
            }
            if (d < width) {
                double x = a[d];
                s0 += x * r0[d];
                s1 += x * r1[d];
                s2 += x * r2[d];
                s3 += x * r3[d];
            }
            out[outOff + t] = s0 + u0;
            out[outOff + t + 1] = s1 + u1;
            out[outOff + t + 2] = s2 + u2;
            out[outOff + t + 3] = s3 + u3;
        }
        for (; t < n; t++) {
            double[] r0 = rows[row0 + t];
            double s0 = 0;
            for (int d = 0; d < width; d++) {
                s0 += a[d] * r0[d];
            }
            out[outOff + t] = s0;
        }
    }

    /** out[0, width) += Σ_{t &lt; n} c[cOff + t] · rows[row0 + t]. */
    static void combine(double[] c, int cOff, double[][] rows, int row0, int n, int width, double[] out) {
        int t = 0;
        for (; t + 4 <= n; t += 4) {
            double c0 = c[cOff + t];
            double c1 = c[cOff + t + 1];
            double c2 = c[cOff + t + 2];
            double c3 = c[cOff + t + 3];
            double[] r0 = rows[row0 + t];
            double[] r1 = rows[row0 + t + 1];
            double[] r2 = rows[row0 + t + 2];
            double[] r3 = rows[row0 + t + 3];
            for (int d = 0; d < width; d++) {
                out[d] += c0 * r0[d] + c1 * r1[d] + c2 * r2[d] + c3 * r3[d];
            }
        }
        for (; t < n; t++) {
            double c0 = c[cOff + t];
            double[] r0 = rows[row0 + t];
            for (int d = 0; d < width; d++) {
                out[d] += c0 * r0[d];
            }
        }
    }
}
