package org.lra.cli.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.lra.cli.AtomicFiles;
import org.lra.cli.GlobalOptions;
import org.lra.cli.InputException;
import org.lra.model.ModelBuilder;
import org.lra.model.StepRunner;
import org.lra.model.bench.BenchModel;
import org.lra.model.bench.StepBenchmark;
import org.lra.model.config.AttentionType;
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
 * {@code --torch-twin FILE} each case also runs the PyTorch twin, alternating twin and ours, and a side-by-side
 * table with the ratio follows the CSV.
 */
@Command(name = "step", mixinStandardHelpOptions = true,
        description = {"Time full training steps of the paper model (d=64, 2 heads, 2 layers, FFN 128, vocab 256,",
                "10 classes, dropout 0.1, AdamW) on one random padded batch; warm-up steps excluded.",
                "Prints: attention,seq_len,batch,threads,median_step_ms,p90_step_ms,tokens_per_s,peak_rss_mb"})
public class BenchStepCommand implements Callable<Integer> {

    @Option(names = "--attention", defaultValue = "fmm", split = ",", paramLabel = "A",
            description = "softmax | linear | band | fmm | performer | reformer (comma list).")
    List<AttentionType> attention;

    @Option(names = "--seq-len", defaultValue = "1024,2048,4096", split = ",", paramLabel = "T")
    List<Integer> seqLens;

    @Option(names = "--batch", defaultValue = "8", paramLabel = "B")
    int batch;

    /** The global --threads, default 2 (the machine the bench tables were measured on). */
    int threads;

    @Spec
    CommandSpec spec;

    @Option(names = "--kernels", defaultValue = "2", paramLabel = "K", description = "fmm far-field kernels: 1 or 2.")
    int kernels;

    @Option(names = "--bandwidth", defaultValue = "5", paramLabel = "K")
    int bandwidth;

    @Option(names = "--warmup", defaultValue = "3", paramLabel = "W")
    int warmup;

    @Option(names = "--steps", defaultValue = "10", paramLabel = "S")
    int steps;

    @Option(names = "--torch-twin", paramLabel = "FILE",
            description = "Also run this torch_twin.py per case (alternating) and print a side-by-side table.")
    Path torchTwin;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", paramLabel = "EXE",
            description = "Interpreter for --torch-twin (Debian's, which has torch).")
    String python;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the CSV (and the side-by-side .md) here.")
    Path out;

    @Option(names = "--in-process", hidden = true, description = "Run exactly one case in this JVM (used by the parent).")
    boolean inProcess;

    @Override
    public Integer call() throws Exception {
        threads = GlobalOptions.of(spec).threads().orElse(2);
        if (batch < 1 || threads < 1 || steps < 1 || warmup < 0 || (kernels != 1 && kernels != 2)) {
            throw new InputException("need --batch, --threads, --steps >= 1, --warmup >= 0 and --kernels 1 or 2");
        }
        if (inProcess) {
            System.out.println(runHere(attention.get(0), seqLens.get(0)).csv());
            return 0;
        }
        List<String> ours = new ArrayList<>();
        List<String[]> sideBySide = new ArrayList<>();
        System.out.println(StepBenchmark.Row.HEADER);
        for (AttentionType a : attention) {
            for (int t : seqLens) {
                String[] torch = torchTwin == null ? null : runTwin(a, t);
                String row = runChild(a, t);
                System.out.println(row);
                ours.add(row);
                if (torch != null) {
                    sideBySide.add(new String[] {row, String.join(",", torch)});
                }
            }
        }
        String table = sideBySide.isEmpty() ? "" : SideBySide.markdown(sideBySide);
        if (!table.isEmpty()) {
            System.out.println();
            System.out.println(table);
        }
        if (out != null) {
            AtomicFiles.write(out, StepBenchmark.Row.HEADER + "\n" + String.join("\n", ours) + "\n");
            if (!table.isEmpty()) {
                AtomicFiles.write(out.resolveSibling(out.getFileName() + ".md"), table);
            }
        }
        return 0;
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
            var model = ModelBuilder.build(BenchModel.model(BenchModel.attention(a, bandwidth, kernels), seqLen),
                    Precision.FLOAT32, 0);
            var engine = new ModelTrainingEngine(StepRunner.create(model, BenchModel.training(batch), pool, 0));
            var data = StepBenchmark.randomBatch(batch, seqLen, 256, 10, false, 0);
            return StepBenchmark.run(a.name(), engine, data, threads, warmup, steps);
        }
    }

    /** Trains a short-sequence copy of the model for a few seconds; the measured case then starts with compiled code. */
    private void compileKernels(AttentionType a, int seqLen) {
        try (Parallel pool = new Parallel(threads)) {
            var model = ModelBuilder.build(BenchModel.model(BenchModel.attention(a, bandwidth, kernels), seqLen),
                    Precision.FLOAT32, 1);
            var runner = StepRunner.create(model, BenchModel.training(batch), pool, 1);
            var data = StepBenchmark.randomBatch(batch, seqLen, 256, 10, false, 1);
            long end = System.nanoTime() + (long) (jitWarmupSeconds * 1e9);
            while (System.nanoTime() < end) {
                runner.step(data);
            }
        }
    }

    /** One case in a fresh JVM with this JVM's options, so its VmHWM is its own. */
    private String runChild(AttentionType a, int seqLen) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(ManagementFactory.getRuntimeMXBean().getInputArguments());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "org.lra.cli.LraCommand", "bench", "step",
                "--in-process", "--attention", a.name(), "--seq-len", Integer.toString(seqLen),
                "--batch", Integer.toString(batch), "--threads", Integer.toString(threads),
                "--kernels", Integer.toString(kernels), "--bandwidth", Integer.toString(bandwidth),
                "--warmup", Integer.toString(warmup), "--steps", Integer.toString(steps),
                "--jit-warmup-seconds", Double.toString(jitWarmupSeconds)));
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

    private static String lastLine(List<String> cmd, String what) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String outText = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int rc = p.waitFor();
        if (rc != 0 || outText.isEmpty()) {
            throw new IllegalStateException(what + " failed (exit " + rc + "): " + String.join(" ", cmd));
        }
        String[] lines = outText.split("\n");
        return lines[lines.length - 1].trim();
    }

    /** The side-by-side markdown table: ours vs the twin, with the tokens/s and memory ratios. */
    static final class SideBySide {
        private SideBySide() {
        }

        static String markdown(List<String[]> pairs) {
            StringBuilder sb = new StringBuilder();
            sb.append("| attention | T | B | threads | lra ms (median / p90) | torch ms (median / p90) | tokens/s lra / torch | "
                    + "speed-up | peak MB lra / torch |\n|---|---|---|---|---|---|---|---|---|\n");
            for (String[] p : pairs) {
                String[] o = p[0].split(",");
                String[] t = p[1].split(",");
                double oTok = Double.parseDouble(o[6]);
                double tTok = Double.parseDouble(t[9]);
                sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s | %s / %s | %s / %s | %.0f / %.0f | %.2fx | %s / %s |%n",
                        o[0], o[1], o[2], o[3], o[4], o[5], t[7], t[8], oTok, tTok, oTok / tTok, o[7], t[10]));
            }
            return sb.toString();
        }
    }
}
