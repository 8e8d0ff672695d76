package org.lra.cli;

import java.util.LinkedHashMap;
import java.util.Map;

/** Process exit codes of every lra command; listed in each command's --help. */
public final class ExitCodes {

    public static final int OK = 0;
    /** Something failed while running (I/O error, engine failure, a child run of a sweep failed). */
    public static final int FAILURE = 1;
    /** Bad command line, config file, grid file or input directory: fix the input and rerun. */
    public static final int INPUT = 2;
    /** A training run's loss became NaN/Inf; rerunning unchanged will diverge again. */
    public static final int DIVERGED = 3;
    /** Training stopped by Ctrl-C (SIGINT) after checkpointing; {@code lra train --resume} continues it. */
    public static final int SIGINT = 130;
    /** Training stopped by SIGTERM (kill, scancel, pre-emption) after checkpointing; resumable the same way. */
    public static final int SIGTERM = 143;

    private ExitCodes() {
    }

    /** Code → meaning, in the form picocli's usage help prints under "Exit codes:". */
    public static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        list.put(" " + OK, "ok");
        list.put(" " + FAILURE, "failure while running");
        list.put(" " + INPUT, "usage or input error (bad option, config, grid or data dir)");
        list.put(" " + DIVERGED, "diverged run (NaN/Inf loss)");
        list.put(SIGINT + "", "stopped by SIGINT (Ctrl-C) after saving a checkpoint (train --resume continues)");
        list.put(SIGTERM + "", "stopped by SIGTERM after saving a checkpoint (train --resume continues)");
        return list;
    }
}
