package org.lra.cli;

import org.lra.data.io.DiskFullException;
import org.lra.model.checkpoint.CheckpointFormatException;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.UnmatchedArgumentException;

import java.io.PrintWriter;

/**
 * Maps what a command throws to an exit code and one clear line on stderr:
 * usage errors (unknown option, bad option value) and input problems (config, grid, missing or malformed data
 * files) → 2, diverged training → 3, training stopped by a signal → 130/143, anything else → 1.
 * Stack traces only with {@code -v}: users fixing a typo in a YAML file do not need one.
 */
public class LraExceptionHandler implements IExecutionExceptionHandler, IParameterExceptionHandler {

    /**
     * A usage error: the one line, picocli's "did you mean" for a mistyped option, and where to find the usage,
     * not the whole usage text (which buried the line). A command run without its subcommand still gets its
     * usage, since the list of subcommands is the answer there.
     */
    @Override
    public int handleParseException(ParameterException ex, String[] args) {
        CommandLine cmd = ex.getCommandLine();
        PrintWriter err = cmd.getErr();
        String name = cmd.getCommandSpec().qualifiedName();
        err.println(cmd.getColorScheme().errorText(name + ": error: " + ex.getMessage()));
        UnmatchedArgumentException.printSuggestions(ex, err);
        if (ex instanceof CommandGroup.MissingSubcommandException) {
            cmd.usage(err, cmd.getColorScheme());
        } else {
            err.println("Try '" + name + " --help' for its usage.");
        }
        err.flush();
        return cmd.getCommandSpec().exitCodeOnInvalidInput();
    }

    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, ParseResult parseResult) {
        PrintWriter err = cmd.getErr();
        int code;
        String line;
        DiskFullException diskFull = diskFull(ex);
        if (diskFull != null) {
            // what the user must fix is the disk, not our code: one line, no stack-trace hint
            code = ExitCodes.FAILURE;
            line = "error: " + diskFull.getMessage() + " (the previous version of the file is intact)";
        } else if (ex instanceof InputException || ex instanceof org.lra.data.DataFormatException
                || ex instanceof CheckpointFormatException) {
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
            // the message only: Java class names mean nothing to a user; -v prints them with the stack trace
            line = "failed: " + (ex.getMessage() == null || ex.getMessage().isBlank()
                    ? "unexpected internal error" : ex.getMessage());
        }
        err.println(cmd.getColorScheme().errorText(cmd.getCommandSpec().qualifiedName() + ": " + line));
        if (verbose(parseResult)) {
            ex.printStackTrace(err);
        } else if (code == ExitCodes.FAILURE && diskFull == null) {
            err.println("(run with -v for the stack trace)");
        }
        err.flush();
        return code;
    }

    /** The full-disk error behind {@code ex}, if that is what it is. */
    private static DiskFullException diskFull(Throwable ex) {
        for (Throwable t = ex; t != null; t = t.getCause()) {
            if (t instanceof DiskFullException d) {
                return d;
            }
        }
        return null;
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
