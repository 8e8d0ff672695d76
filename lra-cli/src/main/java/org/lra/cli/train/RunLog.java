package org.lra.cli.train;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;
import org.lra.cli.VersionProvider;
import org.lra.model.train.TrainingListener;

/** {@code train.log}: a plain-text diary of the run (starts, evaluations, checkpoints, the end), appended across resumes. */
final class RunLog implements TrainingListener, AutoCloseable {
    private final BufferedWriter out;

    private RunLog(BufferedWriter out) {
        this.out = out;
    }

    static RunLog open(Path file) throws IOException {
        return new RunLog(Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND));
    }

    void line(String text) {
        try {
            out.write(Instant.now() + " " + text);
            out.newLine();
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void onStart(long firstStep, long totalSteps) {
        // The build of every process that trained, so a run made across sessions shows which code made each part
        // (run.json keeps only the first process's).
        String build = " (build " + VersionProvider.buildCommit() + ")";
        line((firstStep == 0 ? "start: " + totalSteps + " steps" : "resume at step " + firstStep + " of " + totalSteps)
                + build);
    }

    @Override
    public void onEval(EvalRecord r) {
        line(String.format(Locale.ROOT, "step %d dev loss %.4f dev acc %.4f%s", r.step(), r.devLoss(), r.devAcc(),
                r.improved() ? " (best; saved best.ckpt)" : ""));
    }

    @Override
    public void onCheckpoint(long step) {
        line("checkpoint at step " + step);
    }

    @Override
    public void close() throws IOException {
        out.close();
    }
}
