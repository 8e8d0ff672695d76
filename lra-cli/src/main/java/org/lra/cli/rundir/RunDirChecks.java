package org.lra.cli.rundir;

import org.lra.data.ShellWords;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.lra.cli.FileTrees;
import org.lra.cli.InputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where a new run may go, and what starting over may delete. A run directory is only ever made new, empty,
 * or from a directory that {@link RunFiles#isRunDirectory} recognises; {@code --force} then deletes only the
 * files {@code lra train} writes ({@link RunFiles#WRITTEN_BY_TRAIN}), and anything else in it stays.
 */
public final class RunDirChecks {
    private static final Logger LOG = LoggerFactory.getLogger(RunDirChecks.class);

    private RunDirChecks() {
    }

    /**
     * Refuses a run directory that cannot be one: empty, the current directory or one above it ({@code .},
     * {@code ..}, {@code /}), the data dir or anything inside it or holding it, or an existing file.
     */
    public static void checkNewRunDir(Path runDir, Path dataDir) {
        String shown = runDir.toString();
        if (shown.isEmpty()) {
            throw new InputException("--out: empty path; name the run directory (e.g. runs/my-run)");
        }
        Path abs = runDir.toAbsolutePath().normalize();
        Path here = Path.of("").toAbsolutePath().normalize();
        if (here.startsWith(abs)) {
            throw new InputException("--out " + shown + " is the current directory or one above it; name a run "
                    + "directory below it or elsewhere (e.g. runs/my-run)");
        }
        Path data = dataDir.toAbsolutePath().normalize();
        if (abs.startsWith(data) || data.startsWith(abs)) {
            throw new InputException("--out " + shown + (abs.startsWith(data) ? " is inside" : " holds")
                    + " the data dir " + data + "; put runs elsewhere (e.g. runs/my-run)");
        }
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new InputException("--out " + shown + " is a file, not a directory");
        }
    }

    /**
     * Refuses, before anything is created in it (not even the lock file), a directory that is neither empty nor a
     * run directory; {@link #prepareFresh} checks again under the lock.
     */
    public static void refuseForeign(Path runDir) throws IOException {
        if (!Files.isDirectory(runDir)) {
            return;
        }
        List<String> entries = entriesBesidesLock(runDir);
        if (!entries.isEmpty() && !RunFiles.isRunDirectory(runDir)) {
            throw foreign(runDir, entries);
        }
    }

    private static InputException foreign(Path runDir, List<String> entries) {
        return new InputException(runDir + " is not empty and is not a run directory (it holds " + sample(entries)
                + ", and no run.json of lra train); lra starts runs only in a new, empty or run directory: choose "
                + "another --out");
    }

    /**
     * Makes {@code runDir} (locked by the caller) ready for a fresh run. An empty directory is ready; a run
     * directory is refused unless {@code force}, then loses the files {@code lra train} wrote; anything else is
     * refused whatever {@code force} says, naming what is there.
     */
    public static void prepareFresh(Path runDir, boolean force) throws IOException {
        List<String> entries = entriesBesidesLock(runDir);
        if (entries.isEmpty()) {
            return;
        }
        if (!RunFiles.isRunDirectory(runDir)) {
            throw foreign(runDir, entries);
        }
        if (!force) {
            throw new InputException("run directory " + runDir + " already exists; use --resume " + ShellWords.quote(runDir)
                    + " to continue it, or --force to start over");
        }
        for (String entry : entries) {
            if (RunFiles.WRITTEN_BY_TRAIN.contains(entry)) {
                FileTrees.deleteRecursively(runDir.resolve(entry));
            } else {
                LOG.warn("--force: kept {} in {} (not a file lra train writes)", entry, runDir);
            }
        }
    }

    private static List<String> entriesBesidesLock(Path dir) throws IOException {
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> !n.equals(RunFiles.LOCK)).sorted().forEach(names::add);
        }
        return names;
    }

    private static String sample(List<String> entries) {
        List<String> shown = entries.subList(0, Math.min(3, entries.size()));
        return String.join(", ", shown) + (entries.size() > shown.size() ? " and " + (entries.size() - shown.size())
                + " more" : "");
    }
}
