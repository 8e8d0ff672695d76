package org.lra.model.tensor;

import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.openblas.global.openblas_nolapack;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Row-major GEMM on {@link Buf}s through the OpenBLAS that ND4J ships:
 * {@code C = alpha * op(A) * op(B) + beta * C}, with op(X) = X or Xᵀ.
 *
 * <p>We call cblas directly rather than {@code INDArray.mmul}: the engine works on raw offsets into
 * preallocated buffers (no view objects, no result-order surprises), and BLAS runs single-threaded
 * because {@link Parallel} already splits the work across the cores (callers split M or N by chunk).
 */
public final class Gemm {
    static {
        Nd4j.create(1); // make sure ND4J's native backend (and its OpenBLAS) is loaded first
        Loader.load(openblas_nolapack.class);
        // ND4J loads libopenblas and libopenblas_nolapack; the launcher and surefire also set
        // OPENBLAS_NUM_THREADS=1 so that neither copy starts threads of its own.
        Nd4j.factory().blas().setMaxThreads(1);
    }

    private Gemm() {
    }

    /**
     * @param M rows of op(A) and C
     * @param N columns of op(B) and C
     * @param K columns of op(A) = rows of op(B)
     * @param lda leading dimension (row stride) of A as stored; likewise ldb, ldc
     */
    public static void gemm(boolean transA, boolean transB, int M, int N, int K,
                            double alpha, Buf A, int offA, int lda,
                            Buf B, int offB, int ldb,
                            double beta, Buf C, int offC, int ldc) {
        if (M == 0 || N == 0) {
            return;
        }
        int ta = transA ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        int tb = transB ? openblas_nolapack.CblasTrans : openblas_nolapack.CblasNoTrans;
        if (C instanceof FloatBuf) {
            openblas_nolapack.cblas_sgemm(openblas_nolapack.CblasRowMajor, ta, tb, M, N, K, (float) alpha,
                    (FloatPointer) A.pointer(offA), lda, (FloatPointer) B.pointer(offB), ldb,
                    (float) beta, (FloatPointer) C.pointer(offC), ldc);
        } else {
            openblas_nolapack.cblas_dgemm(openblas_nolapack.CblasRowMajor, ta, tb, M, N, K, alpha,
                    (DoublePointer) A.pointer(offA), lda, (DoublePointer) B.pointer(offB), ldb,
                    beta, (DoublePointer) C.pointer(offC), ldc);
        }
    }
}
