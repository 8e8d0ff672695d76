package org.lra.cli;

/** A run stopped by a signal after saving its state; exits 128 + the signal number (130 SIGINT, 143 SIGTERM). */
public class StoppedRunException extends RuntimeException {
    private final int exitCode;

    public StoppedRunException(String message, int exitCode) {
        super(message);
        this.exitCode = exitCode;
    }

    public int exitCode() {
        return exitCode;
    }
}
