package org.lra.cli.bench;

import org.lra.model.attention.AttentionFactory;
import org.lra.model.attention.AttentionLength;
import org.lra.cli.ThreadLimit;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.lra.data.io.AtomicFiles;
import org.lra.cli.GlobalOptions;
import org.lra.cli.InputException;
import org.lra.model.ModelBuilder;
import org.lra.model.StepRunner;
import org.lra.model.bench.BenchModel;
import org.lra.model.bench.GemmPeak;
import org.lra.model.bench.StepCost;
import org.lra.model.bench.StepBenchmark;
import org.lra.model.config.AttentionType;
import org.lra.model.config.ModelConfig;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;
import org.lra.model.train.ModelTrainingEngine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code lra bench step}: median/p90 time of full training steps (forward, backward, AdamW, dropout on) of the
 * paper model, one child JVM per case so that peak memory belongs to that case alone. With
 * {@code --torch-twin FILE} each case also runs the PyTorch twin, alternating twin and ours. The side-by-side
 * table ({@link BenchTable}) goes to stderr after the CSV (stdout holds only the CSV); {@code --out F} merges into F so that runs at different
 * {@code --threads} give the 1-thread and best-vs-best columns. A case whose memory estimate exceeds the
 * machine is refused before anything runs (exit 2). With {@code --eval} each case times the forward-only evaluation
 * pass instead (what dev and test run), in the same CSV columns, with no twin and no table.
 */
@Command(name = "step", mixinStandardHelpOptions = true,
        description = {"Time full training steps of the paper model (d=64, 2 heads, 2 layers, FFN 128, vocab 256, "
                + "10 classes, dropout 0.1, AdamW) on one random padded batch; warm-up steps excluded.",
                "Prints: attention,seq_len,batch,threads,median_step_ms,p90_step_ms,tokens_per_s,peak_rss_mb",
                "With --eval the same columns time the forward-only evaluation pass of the batch (no dropout, "
                        + "nothing kept for a backward: what dev and test run) instead of a training step."})
public class BenchStepCommand implements Callable<Integer> {

    @Option(names = "--attention", defaultValue = "fmm", split = ",", paramLabel = "A",
            description = "Attention variants, comma-separated: ${COMPLETION-CANDIDATES} (the baselines at the "
                    + "reference settings: 64 landmarks and a 35-tap conv, k = 256, ...).")
    List<AttentionType> attention;

    @Option(names = "--seq-len", defaultValue = "1024,2048,4096", split = ",", paramLabel = "T",
            description = "Sequence lengths, comma-separated.")
    List<Integer> seqLens;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "B", description = "Sequences per step.")
    int batch;

    /** The global --threads, default 2 (the machine the bench tables were measured on). */
    int threads;

    @Spec
    CommandSpec spec;

    @Option(names = "--kernels", defaultValue = "2", paramLabel = "K", completionCandidates = KernelCounts.class,
            description = "fmm far-field kernels: ${COMPLETION-CANDIDATES} (elu; elu and elu_flip).")
    int kernels;

    @Option(names = "--bandwidth", defaultValue = "5", paramLabel = "K", description = "band/fmm: keys with |i - j| < K.")
    int bandwidth;

    @Option(names = "--eval", description = {"Time the forward-only evaluation pass (lra train's dev and test, "
            + "lra eval) instead of training steps; the same columns, median_step_ms then being one pass. Not with "
            + "--torch-twin or --out (their tables compare training steps)."})
    boolean eval;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "W", description = "Untimed steps first.")
    int warmup;

    @Option(names = "--steps", defaultValue = "10", paramLabel = "S", description = "Timed steps.")
    int steps;

    @Option(names = "--torch-twin", paramLabel = "FILE",
            description = "Also run this torch_twin.py per case (alternating) and print a side-by-side table.")
    Path torchTwin;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", paramLabel = "EXE",
            description = "Interpreter for --torch-twin (Debian's, which has torch).")
    String python;

    @Option(names = "--out", paramLabel = "FILE", description = {"Merge the results into this CSV (both engines, every "
            + "thread count run into it) and write FILE.md: 1-thread and best-vs-best ratios, GFLOP/s."})
    Path out;

    @Option(names = "--in-process", hidden = true, description = "Run exactly one case in this JVM (used by the parent).")
    boolean inProcess;

    /** The far-field kernel counts the benchmark model supports. */
    static final class KernelCounts extends java.util.ArrayList<String> {
        KernelCounts() {
            super(List.of("1", "2"));
        }
    }

    @Override
    public Integer call() throws Exception {
        threads = GlobalOptions.of(spec).threads().orElse(2);
        if (batch < 1 || threads < 1 || steps < 1 || warmup < 0 || (kernels != 1 && kernels != 2)) {
            throw new InputException("need --batch, --threads, --steps >= 1, --warmup >= 0 and --kernels 1 or 2");
        }
        ThreadLimit.check(threads, "--threads");
        if (eval && (torchTwin != null || out != null)) {
            throw new InputException("--eval times evaluation passes; --torch-twin and --out compare training steps: "
                    + "leave them out (redirect stdout to keep the CSV)");
        }
        checkLengths();
        if (inProcess) {
            System.out.println(runHere(attention.get(0), seqLens.get(0)).csv());
            return 0;
        }
        checkMemory();
        if (eval) {
            System.out.println(StepBenchmark.Row.HEADER);
            for (AttentionType a : attention) {
                for (int t : seqLens) {
                    System.out.println(runChild(a, t));
                }
            }
            return 0;
        }
        BenchTable table = out == null ? new BenchTable() : BenchTable.read(out);
        if (gemmPeak) {
            double peak = GemmPeak.gflops(20);
            System.err.printf(Locale.ROOT, "# sgemm peak (%d^3, 1 thread): %.1f GFLOP/s%n", GemmPeak.N, peak);
            table.put(new BenchTable.Entry(BenchTable.SGEMM, "gemm" + GemmPeak.N, GemmPeak.N, 1, 1, 0, 0, 0, 0, peak));
        }
        System.out.println(StepBenchmark.Row.HEADER);
        for (AttentionType a : attention) {
            for (int t : seqLens) {
                double flops = StepCost.flops(modelConfig(a, t), batch, t);
                if (torchTwin != null) {
                    String[] f = runTwin(a, t);
                    double median = Double.parseDouble(f[7]);
                    table.put(new BenchTable.Entry("torch", a.name(), t, batch, threads, median, Double.parseDouble(f[8]),
                            Double.parseDouble(f[9]), Double.parseDouble(f[10]), flops / median / 1e6));
                }
                String row = runChild(a, t);
                System.out.println(row);
                String[] o = row.split(",");
                double median = Double.parseDouble(o[4]);
                table.put(new BenchTable.Entry("lra", a.name(), t, batch, threads, median, Double.parseDouble(o[5]),
                        Double.parseDouble(o[6]), Double.parseDouble(o[7]), flops / median / 1e6));
            }
        }
        // stdout carries only the CSV the help promises: the table goes to stderr (and beside --out as F.md)
        String markdown = table.markdown();
        System.err.println();
        System.err.println(markdown);
        if (out != null) {
            AtomicFiles.write(out, table.csv());
            AtomicFiles.write(out.resolveSibling(out.getFileName() + ".md"), markdown);
            if (plot) {
                AtomicFiles.write(out.resolveSibling(out.getFileName() + ".png"), BenchPlot.png(table.entries()));
            }
        }
        return 0;
    }

    @Option(names = "--gemm-peak", description = "Also measure the single-thread sgemm peak (512^3) for the GFLOP/s column.")
    boolean gemmPeak;

    @Option(names = "--plot", description = "With --out F: also draw F.png, log-log tokens/s vs T of every case in F.")
    boolean plot;

    private ModelConfig modelConfig(AttentionType a, int seqLen) {
        return BenchModel.model(BenchModel.attention(a, bandwidth, kernels), seqLen);
    }

    /**
     * Refuses, before anything runs, a --seq-len that an attention cannot run at (nystrom's 64 landmarks must
     * divide it, ...): the rule {@code lra train} applies to a config's padded length.
     */
    private void checkLengths() {
        for (AttentionType a : attention) {
            for (int t : seqLens) {
                if (t < 1) {
                    throw new InputException("--seq-len must be >= 1, got " + t);
                }
                var length = AttentionLength.of(t);
                Map<String, String> problems = AttentionFactory.lengthProblems(modelConfig(a, t).attention(), length,
                        length);
                if (!problems.isEmpty()) {
                    var first = problems.entrySet().iterator().next();
                    throw new InputException("--seq-len " + t + ": --attention " + a.name() + " cannot run at this "
                            + "length: its " + first.getKey() + " " + first.getValue());
                }
            }
        }
    }

    /** Refuses, before anything runs, a case whose memory estimate exceeds this machine's physical memory. */
    private void checkMemory() {
        long physical = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getTotalMemorySize();
        for (AttentionType a : attention) {
            for (int t : seqLens) {
                long need = StepCost.peakBytesEstimate(modelConfig(a, t), batch, t, threads);
                if (need > physical) {
                    throw new InputException(String.format(Locale.ROOT,
                            "--attention %s --seq-len %d --batch %d needs about %.1f GB, more than this machine's %.1f GB",
                            a.name(), t, batch, need / 1e9, physical / 1e9));
                }
            }
        }
    }

    @Option(names = "--jit-warmup-seconds", defaultValue = "4", paramLabel = "S",
            description = "Before the case, train the same model at T=256 for S seconds so that the JIT has compiled "
                    + "the kernels (a one-time JVM start-up cost, like PyTorch's import; 0 disables).")
    double jitWarmupSeconds;

    private StepBenchmark.Row runHere(AttentionType a, int seqLen) {
        if (jitWarmupSeconds > 0) {
            compileKernels(a, Math.min(256, seqLen));
        }
        try (Parallel pool = new Parallel(threads)) {
            var model = ModelBuilder.build(modelConfig(a, seqLen), Precision.FLOAT32, 0);
            var engine = new ModelTrainingEngine(StepRunner.create(model, BenchModel.training(batch), pool, 0));
            var data = StepBenchmark.randomBatch(batch, seqLen, 256, 10, false, 0);
            return eval ? StepBenchmark.runEval(a.name(), engine, data, threads, warmup, steps)
                    : StepBenchmark.run(a.name(), engine, data, threads, warmup, steps);
        }
    }

    /**
     * Trains (with --eval: evaluates) a short-sequence copy of the model for a few seconds; the measured case then
     * starts with compiled code.
     */
    private void compileKernels(AttentionType a, int seqLen) {
        try (Parallel pool = new Parallel(threads)) {
            var model = ModelBuilder.build(modelConfig(a, seqLen), Precision.FLOAT32, 1);
            var runner = StepRunner.create(model, BenchModel.training(batch), pool, 1);
            var data = StepBenchmark.randomBatch(batch, seqLen, 256, 10, false, 1);
            long end = System.nanoTime() + (long) (jitWarmupSeconds * 1e9);
            while (System.nanoTime() < end) {
                if (eval) {
                    runner.evaluate(data);
                } else {
                    runner.step(data);
                }
            }
        }
    }

    /** One case in a fresh JVM with this JVM's options, so its VmHWM is its own. */
    private String runChild(AttentionType a, int seqLen) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        // A small young generation: the engine's live heap is a few MB (tensors are off-heap), but while the JIT has
        // not yet compiled the Vector API kernels they box every vector, and G1 then grows (and touches) a young
        // generation of ~220 MB: measured peak RSS band T=1024 B=8 460 MB with G1, 243 MB with this.
        cmd.addAll(List.of("-XX:+UseSerialGC", "-Xmn24m"));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.lra.cli.LraCommand", "bench", "step",
                "--in-process", "--attention", a.name(), "--seq-len", Integer.toString(seqLen),
                "--batch", Integer.toString(batch), "--threads", Integer.toString(threads),
                "--kernels", Integer.toString(kernels), "--bandwidth", Integer.toString(bandwidth),
                "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps),
                "--jit-warmup-seconds", Double.toString(jitWarmupSeconds)));
        if (eval) {
            cmd.add("--eval");
        }
        return lastLine(cmd, "lra bench child");
    }

    /** The twin's CSV row for one case: impl,attention,band_impl,kernels,seq_len,batch,threads,median,p90,tok/s,rss. */
    private String[] runTwin(AttentionType a, int seqLen) throws IOException, InterruptedException {
        if (!Files.exists(torchTwin)) {
            throw new InputException("--torch-twin " + torchTwin + ": no such file");
        }
        List<String> cmd = List.of(python, torchTwin.toString(), "--attention", a.name(),
                "--seq-len", Integer.toString(seqLen), "--batch", Integer.toString(batch),
                "--threads", Integer.toString(threads), "--kernels", Integer.toString(kernels),
                "--bandwidth", Integer.toString(bandwidth), "--band-impl", "blocked",
                "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps), "--csv");
        return lastLine(cmd, "torch twin").split(",");
    }

    /** The last line the command printed; a failure names the command line only with -v (its stderr shows why). */
    private String lastLine(List<String> cmd, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int rc = p.waitFor();
        if (rc != 0 || outText.isEmpty()) {
            throw new IllegalStateException(what + " failed (exit " + rc + ")"
                    + (GlobalOptions.of(spec).verbose() ? ": " + String.join(" ", cmd) : ""));
        }
        String[] lines = outText.split("\n");
        return lines[lines.length - 1].trim();
    }
}
