package org.lra.cli.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Instant;
import org.lra.cli.VersionProvider;
import org.lra.cli.rundir.ProcessEntry;
import org.lra.cli.rundir.RunJson;
import org.lra.model.train.TrainingListener;

/**
 * This process's entry in {@code run.json}'s {@code processes}: appended when it starts training, its last step
 * updated at each checkpoint, its end and outcome written when it finishes, stops or diverges. A process killed
 * outright keeps the step of its last checkpoint and no end, which is what happened.
 */
final class ProcessRecorder implements TrainingListener {
    private final Path runDir;
    private ProcessEntry entry;

    private ProcessRecorder(Path runDir, ProcessEntry entry) {
        this.runDir = runDir;
        this.entry = entry;
    }

    /** Appends this process, training from {@code firstStep}, to the run's {@code run.json}. */
    static ProcessRecorder start(Path runDir, int threads, long firstStep) throws IOException {
        ProcessEntry entry = new ProcessEntry(VersionProvider.buildCommit(), Provenance.gitCommit(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                Provenance.hostName(), Provenance.cpuModel(), threads, firstStep, null, Instant.now().toString(),
                null, null);
        RunJson.appendProcess(runDir, entry);
        return new ProcessRecorder(runDir, entry);
    }

    ProcessEntry entry() {
        return entry;
    }

    @Override
    public void onCheckpoint(long step) {
        entry = entry.checkpointed(step);
        try {
            RunJson.updateLastProcess(runDir, entry);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Records the end: {@code finished}, {@code stopped by SIGTERM}, {@code diverged}, {@code failed}. */
    void end(String outcome) throws IOException {
        entry = entry.ended(entry.lastStep(), Instant.now().toString(), outcome);
        RunJson.updateLastProcess(runDir, entry);
    }
}
