package org.lra.cli.data;

import org.lra.data.ingest.ImportProgress;

/**
 * Prints import progress to stderr, on one self-overwriting line, when the process runs at a console
 * ({@code System.console()}: stdin and stdout are a terminal); silent otherwise, e.g. in a batch job's log.
 */
final class ImportBar implements ImportProgress {
    private final boolean terminal = System.console() != null;

    @Override
    public void examplesWritten(String name, long examples) {
        if (terminal) {
            System.err.print("\r" + name + ": " + examples + " examples");
            System.err.flush();
        }
    }
}
