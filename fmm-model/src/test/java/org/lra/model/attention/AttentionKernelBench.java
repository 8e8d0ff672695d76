package org.lra.model.attention;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.KernelType;
import org.lra.model.nn.StepContext;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.tensor.Rng;

/**
 * Times forward + backward of each attention variant at the benchmark shape (B=8, H=2, D=32, float32,
 * attention dropout 0.1, bandwidth 5, fmm = ListOps 2-kernel blend). Not a unit test; run as
 * <pre>
 *   OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 java -Dorg.bytedeco.javacpp.maxbytes=4g -cp ... \
 *       org.lra.model.attention.AttentionKernelBench [T,T,...] [threads,threads,...] [variants]
 * </pre>
 * Prints one row per (variant, T, threads): median forward, backward and total wall ms, p90 of the total,
 * and the median process CPU ms of one forward + backward (all threads together).
 */
public final class AttentionKernelBench {
    private static final int BATCH = 8;
    private static final int HEADS = 2;
    private static final int HEAD_DIM = 32;
    private static final long WARMUP_NANOS = 3_000_000_000L;
    /** Process CPU time: on a shared machine it shows the work done even when wall time includes waiting. */
    private static final com.sun.management.OperatingSystemMXBean CPU =
            (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();

    public static void main(String[] args) {
        int[] lengths = ints(args.length > 0 ? args[0] : "1024,2048,4096");
        int[] threadCounts = ints(args.length > 1 ? args[1] : "1,2");
        List<String> variants = List.of((args.length > 2 ? args[2] : "band,linear,fmm,softmax").split(","));
        int warmup = 5;      // steps, and at least WARMUP_NANOS: C2 must finish compiling before timing
        int steps = 10;
        System.out.println("variant,T,threads,fwd_ms,bwd_ms,total_ms,total_p90_ms,cpu_ms");
        for (String variant : variants) {
            for (int seqLen : lengths) {
                if (variant.equals("softmax") && seqLen > 2048) {
                    continue; // B*H*T*T probabilities: 1 GB per layer at 4096; the targets stop at 2048
                }
                for (int threads : threadCounts) {
                    run(variant, seqLen, threads, warmup, steps);
                }
            }
        }
    }

    private static void run(String variant, int seqLen, int threads, int warmup, int steps) {
        AttentionShape shape = new AttentionShape(BATCH, seqLen, HEADS, HEAD_DIM);
        int n = shape.rows() * shape.width();
        Buf q = random(n, 1);
        Buf k = random(n, 2);
        Buf v = random(n, 3);
        Buf dOut = random(n, 4);
        Buf out = Buf.zeros(Precision.FLOAT32, n);
        Buf dq = Buf.zeros(Precision.FLOAT32, n);
        Buf dk = Buf.zeros(Precision.FLOAT32, n);
        Buf dv = Buf.zeros(Precision.FLOAT32, n);
        // Random lengths T/2..T, as the PyTorch twin's batch.
        Buf mask = Buf.zeros(Precision.FLOAT32, shape.rows());
        for (int b = 0; b < BATCH; b++) {
            int length = seqLen / 2 + (int) (Rng.uniform(77, b) * (seqLen / 2 + 1));
            mask.fill(b * seqLen, b * seqLen + length, 1.0);
        }
        Parameters params = new Parameters();
        Attention attention = AttentionFactory.create(config(variant), params, "bench", HEADS, HEAD_DIM, 0.1, 0);
        params.allocate(Precision.FLOAT32, 1);
        double[] fwd = new double[steps];
        double[] bwd = new double[steps];
        double[] total = new double[steps];
        double[] cpu = new double[steps];
        try (Parallel pool = new Parallel(threads)) {
            long warmStart = System.nanoTime();
            for (int s = 0; s < warmup || System.nanoTime() - warmStart < WARMUP_NANOS; s++) {
                StepContext ctx = new StepContext(pool, true, 0, s);
                attention.forward(ctx, shape, q, k, v, mask, out);
                attention.backward(ctx, dOut, dq, dk, dv);
            }
            for (int s = warmup; s < warmup + steps; s++) {
                StepContext ctx = new StepContext(pool, true, 0, s);
                long c0 = CPU.getProcessCpuTime();
                long t0 = System.nanoTime();
                attention.forward(ctx, shape, q, k, v, mask, out);
                long t1 = System.nanoTime();
                attention.backward(ctx, dOut, dq, dk, dv);
                long t2 = System.nanoTime();
                long c2 = CPU.getProcessCpuTime();
                fwd[s - warmup] = (t1 - t0) / 1e6;
                bwd[s - warmup] = (t2 - t1) / 1e6;
                total[s - warmup] = (t2 - t0) / 1e6;
                cpu[s - warmup] = (c2 - c0) / 1e6;
            }
        }
        System.out.printf("%s,%d,%d,%.1f,%.1f,%.1f,%.1f,%.1f%n", variant, seqLen, threads, percentile(fwd, 50),
                percentile(bwd, 50), percentile(total, 50), percentile(total, 90), percentile(cpu, 50));
    }

    private static AttentionConfig config(String variant) {
        List<KernelType> two = List.of(KernelType.elu, KernelType.elu_flip);
        return switch (variant) {
            case "softmax" -> new AttentionConfig(AttentionType.softmax, 0, List.of(), null, false, false);
            case "linear" -> new AttentionConfig(AttentionType.linear, 0, List.of(KernelType.elu), null, false, false);
            case "band" -> new AttentionConfig(AttentionType.band, 5, List.of(), null, false, false);
            case "fmm" -> ReferenceBlends.all().get(1).config(5, false, false); // ListOps 2-kernel
            case "fmm-causal" -> ReferenceBlends.all().get(1).config(5, true, true);
            case "linear-causal" -> new AttentionConfig(AttentionType.linear, 0, two, null, true, true);
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    private static Buf random(int n, long key) {
        Buf b = Buf.zeros(Precision.FLOAT32, n);
        for (int i = 0; i < n; i++) {
            b.set(i, 2 * Rng.uniform(key, i) - 1);
        }
        return b;
    }

    private static double percentile(double[] values, double pct) {
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = (s.length - 1) * pct / 100.0;
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    private static int[] ints(String csv) {
        List<Integer> out = new ArrayList<>();
        for (String s : csv.split(",")) {
            out.add(Integer.parseInt(s.trim()));
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }
}
