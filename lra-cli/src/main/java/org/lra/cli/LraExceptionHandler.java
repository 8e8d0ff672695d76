package org.lra.cli;

import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParseResult;

import java.io.PrintWriter;

/**
 * Maps what a command throws to an exit code and one clear line on stderr:
 * input problems (config, grid, missing or malformed data files) → 2, diverged training → 3, training stopped by
 * a signal → 130/143, anything else → 1.
 * Stack traces only with {@code -v}: users fixing a typo in a YAML file do not need one.
 */
public class LraExceptionHandler implements IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int code;
        String line;
        if (ex instanceof InputException || ex instanceof org.lra.data.DataFormatException) {
            // a bad data file (wrong columns, label out of range, truncated archive, corrupt PNG) is an input error
            code = ExitCodes.INPUT;
            line = "error: " + ex.getMessage();
        } else if (ex instanceof StoppedRunException stopped) {
            code = stopped.exitCode();
            line = "stopped: " + ex.getMessage();
        } else if (ex instanceof DivergedRunException) {
            code = ExitCodes.DIVERGED;
            line = "diverged: " + ex.getMessage();
        } else {
            code = ExitCodes.FAILURE;
            line = "failed: " + ex.getClass().getSimpleName() + (ex.getMessage() == null ? "" : ": " + ex.getMessage());
        }
        err.println(cmd.getColorScheme().errorText(cmd.getCommandSpec().qualifiedName() + ": " + line));
        if (verbose(parseResult)) {
            ex.printStackTrace(err);
        } else if (code == ExitCodes.FAILURE) {
            err.println("(run with -v for the stack trace)");
        }
        err.flush();
        return code;
    }

    /** True when -v was given at any level of the command line. */
    private static boolean verbose(ParseResult parseResult) {
        for (ParseResult p = parseResult; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("-v")) {
                return true;
            }
        }
        return false;
    }
}
