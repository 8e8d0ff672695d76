package org.lra.model.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.lra.data.Batch;
import org.lra.model.Model;
import org.lra.model.ModelBuilder;
import org.lra.model.StepRunner;
import org.lra.model.TestModels;
import org.lra.model.config.ModelConfig;
import org.lra.model.nn.IdentityMixAttention;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;

/**
 * Full training steps of the reference model (§1.2: 64 wide, 2×32 heads, 2 layers, FFN 128, head 128, dropout
 * on) with the identity attention (out = v), so the time is everything EXCEPT the attention core: the budget
 * the attention variants add to. Same batch recipe as torch_twin.py (ids 1..255, random lengths T/2..T, 10
 * classes). Prints one CSV row per (T, threads) like the twin's {@code --csv}.
 *
 * <pre>
 *   OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 java -Dorg.bytedeco.javacpp.maxbytes=4g -cp ... \
 *       org.lra.model.bench.ModelStepBench [T,T,...] [threads,threads] [warmup] [steps]
 * </pre>
 * Defaults: T = 1024,4096; threads = 1,2; 3 warm-up and 10 timed steps. Peak RSS (VmHWM) covers the whole
 * process, so run one T per process when comparing memory.
 */
public final class ModelStepBench {
    private static final java.lang.management.ThreadMXBean MX = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * CPU time of all live JVM threads, ns: on a shared, loaded machine it shows the work a step does when wall
     * time is inflated by other processes.
     */
    static long cpuNanos() {
        long sum = 0;
        for (long id : MX.getAllThreadIds()) {
            long t = MX.getThreadCpuTime(id);
            if (t > 0) {
                sum += t;
            }
        }
        return sum;
    }

    public static void main(String[] args) throws IOException {
        int[] lengths = ints(args.length > 0 ? args[0] : "1024,4096");
        int[] threadCounts = ints(args.length > 1 ? args[1] : "1,2");
        int warmup = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        int batchSize = 8;
        System.out.println("impl,attention,seq_len,batch,threads,median_step_ms,p90_step_ms,tokens_per_s,peak_rss_mb,"
                + "median_cpu_ms");
        for (int t : lengths) {
            for (int threads : threadCounts) {
                ModelConfig cfg = TestModels.reference(256, t, 10);
                Model model = ModelBuilder.build(cfg, Precision.FLOAT32, 0,
                        IdentityMixAttention.provider(IdentityMixAttention.Mode.IDENTITY));
                Batch batch = TestModels.randomBatch(batchSize, t, 256, 10, 0, false);
                double[] ms = new double[steps];
                double[] cpu = new double[steps];
                try (Parallel pool = new Parallel(threads)) {
                    StepRunner runner = StepRunner.create(model, TestModels.training(warmup + steps, 1, 1e-4, "constant"),
                            pool, 0);
                    for (int i = 0; i < warmup + steps; i++) {
                        long c0 = cpuNanos();
                        long t0 = System.nanoTime();
                        StepRunner.StepStats s = runner.step(batch);
                        long t1 = System.nanoTime();
                        long c1 = cpuNanos();
                        if (!Double.isFinite(s.loss())) {
                            throw new IllegalStateException("non-finite loss");
                        }
                        if (i >= warmup) {
                            ms[i - warmup] = (t1 - t0) / 1e6;
                            cpu[i - warmup] = (c1 - c0) / 1e6;
                        }
                    }
                }
                double med = percentile(ms, 50);
                System.out.printf("java,identity,%d,%d,%d,%.2f,%.2f,%.1f,%.1f,%.2f%n", t, batchSize, threads, med,
                        percentile(ms, 90), batchSize * t / (med / 1e3), peakRssMb(), percentile(cpu, 50));
            }
        }
    }

    private static int[] ints(String csv) {
        return Arrays.stream(csv.split(",")).mapToInt(Integer::parseInt).toArray();
    }

    /** Linear interpolation between order statistics, as torch_twin.py. */
    static double percentile(double[] v, double q) {
        double[] s = v.clone();
        Arrays.sort(s);
        double pos = (s.length - 1) * q / 100.0;
        int lo = (int) Math.floor(pos);
        int hi = Math.min(lo + 1, s.length - 1);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    /** VmHWM from /proc/self/status: peak resident set of the process, MiB. */
    static double peakRssMb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmHWM:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
            }
        }
        return Double.NaN;
    }
}
