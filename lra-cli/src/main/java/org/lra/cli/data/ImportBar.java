package org.lra.cli.data;

import org.lra.data.ingest.ImportProgress;

/** Prints import progress on one self-overwriting line when stderr is a terminal; silent otherwise. */
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
