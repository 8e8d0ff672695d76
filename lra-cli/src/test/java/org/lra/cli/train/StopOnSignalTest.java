package org.lra.cli.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import org.junit.jupiter.api.Test;
import org.lra.cli.ExitCodes;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * Ctrl-C (SIGINT) is recorded, not obeyed at once, while training: the loop stops at its next step boundary
 * (the SIGTERM path is tested end to end in {@link KilledRunResumesTest}). The signal is raised in this JVM.
 */
class StopOnSignalTest {

    @Test
    void sigintIsRecordedAndMapsTo130() throws Exception {
        // a JVM started in the background of a non-interactive shell ignores SIGINT, and then so must we
        SignalHandler before = Signal.handle(new Signal("INT"), SignalHandler.SIG_DFL);
        Signal.handle(new Signal("INT"), before);
        assumeFalse(before == SignalHandler.SIG_IGN, "SIGINT is ignored in this process");
        try (StopOnSignal stop = StopOnSignal.install()) {
            assertFalse(stop.getAsBoolean());
            Signal.raise(new Signal("INT"));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (!stop.getAsBoolean() && System.nanoTime() < deadline) {
                Thread.sleep(5);   // handlers run on a JVM thread of their own
            }
            assertTrue(stop.getAsBoolean(), "the handler saw the signal and the JVM did not exit");
            assertEquals("SIGINT", stop.signalName());
            assertEquals(ExitCodes.SIGINT, stop.exitCode());
        }
    }
}
