package org.lra.cli.sweep;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** Runs {@code lra <args>} for one planned run and returns its exit code; a seam so tests spawn no JVM. */
public interface RunLauncher {

    int launch(PlannedRun run, List<String> lraArgs, Path logFile) throws IOException, InterruptedException;
}
