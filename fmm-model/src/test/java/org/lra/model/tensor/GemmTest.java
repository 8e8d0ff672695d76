package org.lra.model.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class GemmTest {

    /** Reference product with explicit loops. */
    private static double ref(boolean ta, boolean tb, Buf a, int lda, Buf b, int ldb, int i, int j, int k) {
        double s = 0;
        for (int p = 0; p < k; p++) {
            double x = ta ? a.get(p * lda + i) : a.get(i * lda + p);
            double y = tb ? b.get(j * ldb + p) : b.get(p * ldb + j);
            s += x * y;
        }
        return s;
    }

    @Test
    void allTransposeCombinationsMatchLoopsInBothPrecisions() {
        for (Precision prec : Precision.values()) {
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int m = 5, n = 7, k = 3;
                    Buf a = Buf.zeros(prec, m * k);
                    Buf b = Buf.zeros(prec, k * n);
                    for (int i = 0; i < a.length(); i++) {
                        a.set(i, Math.sin(i + 1));
                    }
                    for (int i = 0; i < b.length(); i++) {
                        b.set(i, Math.cos(2 * i + 1));
                    }
                    int lda = ta ? m : k;
                    int ldb = tb ? k : n;
                    Buf c = Buf.zeros(prec, 2 + m * n);
                    c.fill(0, c.length(), 1.0);
                    Gemm.gemm(ta, tb, m, n, k, 2.0, a, 0, lda, b, 0, ldb, 0.5, c, 2, n);
                    double tol = prec == Precision.FLOAT32 ? 1e-5 : 1e-12;
                    assertEquals(1.0, c.get(0), 0);
                    for (int i = 0; i < m; i++) {
                        for (int j = 0; j < n; j++) {
                            double want = 2 * ref(ta, tb, a, lda, b, ldb, i, j, k) + 0.5;
                            assertEquals(want, c.get(2 + i * n + j), tol, prec + " ta=" + ta + " tb=" + tb);
                        }
                    }
                }
            }
        }
    }

    @Test
    void parallelChunksCoverRangeExactlyOnce() {
        try (Parallel pool = new Parallel(3)) {
            int[] hits = new int[100];
            pool.forRange(100, (c, from, to) -> {
                for (int i = from; i < to; i++) {
                    hits[i]++;
                }
            });
            for (int h : hits) {
                assertEquals(1, h);
            }
        }
    }
}
