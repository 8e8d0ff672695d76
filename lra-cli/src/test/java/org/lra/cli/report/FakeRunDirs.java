package org.lra.cli.report;

import org.lra.cli.rundir.MetricsCsv;
import org.lra.cli.rundir.RunResult;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.io.IOException;
import org.lra.cli.rundir.MetricsCsvListener;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Writes run directories in the trainer's format (result.json, run.json, metrics.csv, config.yaml) for tests
 * of report and sweep: the format contract the trainer must honour, in executable form.
 */
public final class FakeRunDirs {

    private static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private FakeRunDirs() {
    }

    /** A finished run with a dev curve rising to {@code testAcc}, every 10 steps for {@code steps} steps. */
    public static Path finished(Path root, String task, String model, String scale, int seed, double testAcc)
            throws IOException {
        return write(root, task, model, scale, seed, RunResult.FINISHED, 100, testAcc);
    }

    /** As {@link #finished}, with {@code task.dataset} set in config.yaml (it defaults to the task's name). */
    public static Path finishedOn(Path root, String dataset, String task, String model, String scale, int seed,
                                  double testAcc) throws IOException {
        Path dir = write(root, task, model, scale, seed, RunResult.FINISHED, 100, testAcc);
        Files.writeString(dir.resolve("config.yaml"), config(model, task, dataset));
        return dir;
    }

    private static String config(String model, String task, String dataset) {
        return "name: " + model + "\ntask:\n  name: " + task + "\n  dataset: " + dataset + "\n";
    }

    /**
     * A run whose result.json says running: no test accuracy, metrics up to {@code steps} with dev every 10 steps
     * rising to 0.3. Live only while someone holds its {@code run.lock}; otherwise it was killed.
     */
    public static Path running(Path root, String task, String model, String scale, int seed, int steps)
            throws IOException {
        return write(root, task, model, scale, seed, RunResult.RUNNING, steps, null);
    }

    /** A run stopped by a signal after checkpointing at {@code steps}: result.json says stopped. */
    public static Path stopped(Path root, String task, String model, String scale, int seed, int steps)
            throws IOException {
        return write(root, task, model, scale, seed, RunResult.STOPPED, steps, null);
    }

    public static Path diverged(Path root, String task, String model, String scale, int seed) throws IOException {
        return write(root, task, model, scale, seed, RunResult.DIVERGED, 20, null);
    }

    public static String runId(String task, String model, int seed) {
        return task + "__" + model + "__s" + seed;
    }

    static Path write(Path root, String task, String model, String scale, int seed, String status, int steps,
                      Double testAcc) throws IOException {
        String id = runId(task, model, seed);
        Path dir = root.resolve(id);
        Files.createDirectories(dir);
        boolean finished = RunResult.FINISHED.equals(status);
        // as the trainer: only a finished run's result.json names its best dev; the others leave it to metrics.csv
        RunResult result = new RunResult(id, model, task, scale, seed, status, steps, finished ? steps / 2 : null,
                finished ? testAcc + 0.01 : null,
                testAcc, testAcc == null ? null : testAcc - 0.002, finished ? 2000 : null,
                finished ? 120.0 + seed : null, finished ? 150.0 + seed : null, finished ? 4000.0 : null,
                finished ? 900.0 + seed : null, finished ? 60.0 : null, 1, "abcdef012345");
        JSON.writeValue(dir.resolve("result.json").toFile(), result);
        Files.writeString(dir.resolve("run.json"), "{\"runId\": \"" + id + "\", \"configHash\": \"abcdef012345\"}\n");
        Files.writeString(dir.resolve("config.yaml"), config(model, task, task));
        // the writer's own header, so a column the trainer adds cannot leave these files behind
        StringBuilder csv = new StringBuilder(String.join(",", MetricsCsv.HEADER)).append('\n');
        for (int step = 1; step <= steps; step++) {
            boolean eval = step % 10 == 0;
            double dev = (testAcc == null ? 0.3 : testAcc) * step / steps;
            csv.append(String.format(Locale.ROOT, "%d,%.6g,%.4f,%.4f,%s,%s,%.1f,%.3f%n", step, 1e-4, 2.0 / step, 0.5,
                    eval ? String.format(Locale.ROOT, "%.4f", 1.5) : "",
                    eval ? String.format(Locale.ROOT, "%.4f", dev) : "", 120.0, 0.05));
        }
        Files.writeString(dir.resolve("metrics.csv"), csv.toString());
        return dir;
    }
}
