package org.lra.cli.sweep;

import org.lra.cli.rundir.RunFiles;
import org.lra.cli.report.RunDirScanner;
import org.lra.cli.rundir.RunResult;
import org.lra.cli.rundir.RunDirLock;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Where a planned run stands, read from its directory; decides start, resume or skip. */
public enum RunState {
    /** No directory, or nothing in it but the lock file of a trainer killed at once: start from scratch. */
    NEW,
    /** Directory with content but no final result: resume from its checkpoint. */
    INCOMPLETE,
    /** result.json says finished: skip. */
    FINISHED,
    /** result.json says diverged: skip; rerunning the same config would diverge again. */
    DIVERGED;

    public static RunState of(Path runDir) {
        if (!Files.isDirectory(runDir) || isEmpty(runDir)) {
            return NEW;
        }
        if (Files.isRegularFile(runDir.resolve(RunFiles.RESULT))) {
            try {
                String status = RunDirScanner.readResult(runDir).status();
                if (RunResult.FINISHED.equals(status)) {
                    return FINISHED;
                }
                if (RunResult.DIVERGED.equals(status)) {
                    return DIVERGED;
                }
            } catch (IOException e) {
                // a torn result.json (killed mid-write): the checkpoint decides, resume
            }
        }
        return INCOMPLETE;
    }

    public boolean done() {
        return this == FINISHED || this == DIVERGED;
    }

    /** As the trainer decides whether a fresh start needs --force: the lock file does not count. */
    private static boolean isEmpty(Path dir) {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.noneMatch(p -> !p.getFileName().toString().equals(RunFiles.LOCK));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
