package org.lra.model.bench;

import java.util.Arrays;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Gemm;
import org.lra.model.tensor.Precision;

/**
 * The machine's single-thread sgemm ceiling through the engine's own BLAS: C = A·B with square 512×512 float32
 * matrices (large enough to run at the kernel's peak, small enough to stay in cache), median of timed calls.
 */
public final class GemmPeak {
    public static final int N = 512;

    private GemmPeak() {
    }

    /** Median GFLOP/s of {@code calls} timed sgemm calls after a warm-up of the same number. */
    public static double gflops(int calls) {
        Buf a = Buf.zeros(Precision.FLOAT32, N * N);
        Buf b = Buf.zeros(Precision.FLOAT32, N * N);
        Buf c = Buf.zeros(Precision.FLOAT32, N * N);
        for (int i = 0; i < N * N; i++) {
            a.set(i, Math.sin(i));
            b.set(i, Math.cos(i));
        }
        double[] seconds = new double[calls];
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < calls; i++) {
                long t0 = System.nanoTime();
                Gemm.gemm(false, false, N, N, N, 1.0, a, 0, N, b, 0, N, 0.0, c, 0, N);
                seconds[i] = (System.nanoTime() - t0) / 1e9;
            }
        }
        Arrays.sort(seconds);
        return 2.0 * N * N * N / seconds[calls / 2] / 1e9;
    }
}
