package org.lra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/** The real {@code lra} command line run in this JVM, with what it prints captured; shared by the CLI tests. */
public final class CliRuns {

    /** Exit code, what the command printed to picocli's stdout, and stderr. */
    public record Run(int code, String out, String err) {
    }

    private CliRuns() {
    }

    public static Run lra(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cmd = LraCommand.commandLine();
        cmd.setOut(new PrintWriter(out));
        cmd.setErr(new PrintWriter(err));
        int code = cmd.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    /** Exit 2 with one line on stderr that says {@code expected}, and no Java exception name. */
    public static void assertOneLineRefusal(Run r, String expected) {
        assertEquals(ExitCodes.INPUT, r.code(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(expected), r.err());
        assertFalse(r.err().contains("Exception"), r.err());
    }
}
