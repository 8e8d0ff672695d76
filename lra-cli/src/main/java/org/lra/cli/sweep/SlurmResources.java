package org.lra.cli.sweep;

import org.lra.cli.config.ConfigLoader;
import org.lra.cli.config.RunConfig;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.TrainingConfig;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code --time} and {@code --mem} for one Slurm array task: the grid's values when it sets them, else an
 * estimate for the most expensive run of the plan (one array job has one limit for all its tasks).
 *
 * <p>Time: work per token ≈ layers × (4·d² + 2·d·ffn + attention), attention = 2·T·d (softmax), 2·w·d (band,
 * w = bandwidth), 2·d·headDim per feature map (linear), band + feature maps (fmm); training tokens = steps ×
 * batch × padded length (task.maxLength up to a power of two; × 2 for two-tower retrieval); evaluation (dev every evalEvery steps, the test split
 * once, forward only) counts a third per token. Divided by {@link #WORK_PER_THREAD_SECOND} × threads, times
 * {@link #SAFETY}, plus {@link #STARTUP_SECONDS}, rounded up to 10 minutes. The rate is measured: the CPU grid
 * in {@code results/cpu} (2 threads, AMD EPYC) ran 1.1e9 (softmax, T=256) to 1.8e9 (linear, softmax at
 * T=1024) of these units per thread-second; 1.0e9 is the slowest of them, rounded down.
 *
 * <p>Memory: 1.5 GiB for the JVM and ND4J, plus twice the activations kept for backward, B·T·layers·(16·d +
 * 4·ffn) floats and for softmax B·heads·T²·layers more, rounded up to a GiB. The CPU grid's runs peaked at
 * 250–620 MB resident, well under the 2 GiB floor this gives.
 */
final class SlurmResources {

    static final double WORK_PER_THREAD_SECOND = 1.0e9;
    static final double SAFETY = 1.5;
    /** JVM start, data mapping, JIT, and the 120 s between --signal's TERM and the kill. */
    static final double STARTUP_SECONDS = 300;
    /** Test split size assumed when a config does not limit it (the largest LRA test split, Text's). */
    static final int TEST_EXAMPLES_UNLIMITED = 25_000;

    record Limits(String time, String mem) {
    }

    private SlurmResources() {
    }

    static Limits of(SweepGrid grid, List<PlannedRun> plan) {
        if (grid.time() != null && grid.mem() != null) {
            return new Limits(grid.time(), grid.mem());
        }
        double seconds = 0;
        double bytes = 0;
        for (Map.Entry<Path, List<String>> cell : plan.stream().map(r -> Map.entry(r.config(), r.sets())).distinct().toList()) {
            RunConfig config = ConfigLoader.load(cell.getKey(), cell.getValue());
            seconds = Math.max(seconds, seconds(config, grid.threads()));
            bytes = Math.max(bytes, bytes(config));
        }
        return new Limits(grid.time() != null ? grid.time() : slurmTime(seconds),
                grid.mem() != null ? grid.mem() : (long) Math.ceil(bytes / (1L << 30)) + "G");
    }

    static double seconds(RunConfig config, int threads) {
        ModelConfig m = config.model();
        TrainingConfig t = config.training();
        int length = paddedLength(config);
        int towers = m.dual() ? 2 : 1;
        double workPerToken = m.layers() * (4.0 * m.dim() * m.dim() + 2.0 * m.dim() * m.ffnDim()
                + attentionWork(m.attention(), m, length));
        double trainTokens = (double) t.steps() * t.batchSize() * length * towers;
        int testExamples = config.task().testLimit() > 0 ? config.task().testLimit() : TEST_EXAMPLES_UNLIMITED;
        double evalTokens = ((double) t.steps() / t.evalEvery() * t.evalSteps() * t.batchSize() + testExamples)
                * length * towers;
        double work = workPerToken * (trainTokens + evalTokens / 3);
        return work / (WORK_PER_THREAD_SECOND * threads) * SAFETY + STARTUP_SECONDS;
    }

    private static double attentionWork(AttentionConfig a, ModelConfig m, int length) {
        double band = 2.0 * a.bandwidth() * m.dim();
        double featureMap = 2.0 * m.dim() * m.headDim();
        return switch (a.type()) {
            case softmax -> 2.0 * length * m.dim();
            case band -> band;
            case linear -> featureMap * Math.max(1, a.kernels().size());
            case fmm -> band + featureMap * a.kernels().size();
            // the baselines' low-rank products, multiply-adds as StepCost counts them (four of m, k or r rows;
            // the reformer scores two chunks per hash round)
            case nystrom -> 4.0 * a.numLandmarks() * m.dim() + a.convKernelSize() * m.dim();
            case linformer -> 4.0 * a.linformerK() * m.dim();
            case performer -> 4.0 * a.rpDim() * m.dim();
            case reformer -> a.numHashes() * 2.0 * 2 * a.lshChunkLength() * m.dim();
        };
    }

    static double bytes(RunConfig config) {
        ModelConfig m = config.model();
        int length = paddedLength(config);
        double rows = (double) config.training().batchSize() * length * (m.dual() ? 2 : 1);
        double floats = rows * m.layers() * (16.0 * m.dim() + 4.0 * m.ffnDim());
        if (m.attention().type() == AttentionType.softmax) {
            floats += rows * m.heads() * length * m.layers();
        }
        return 1.5 * (1L << 30) + 2 * 4 * floats;
    }

    /** Inputs are truncated at task.maxLength and padded to the next power of two (the model's table may be longer). */
    private static int paddedLength(RunConfig config) {
        int n = 1;
        while (n < Math.min(config.task().maxLength(), config.model().maxLength())) {
            n <<= 1;
        }
        return n;
    }

    /** Rounded up to 10 minutes, as {@code [D-]HH:MM:00}. */
    static String slurmTime(double seconds) {
        long minutes = (long) Math.ceil(seconds / 600) * 10;
        long days = minutes / (24 * 60);
        long hours = minutes / 60 % 24;
        String hm = String.format("%02d:%02d:00", hours, minutes % 60);
        return days > 0 ? days + "-" + hm : hm;
    }
}
