package org.lra.cli;

/**
 * A problem with what the user gave us (a file, a flag, a directory), as opposed to a failure while running.
 * The CLI prints the message as one line, without a stack trace, and exits {@link ExitCodes#INPUT}.
 * Messages should name the offending thing (key path, file) so the user can fix it without a debugger.
 */
public class InputException extends RuntimeException {

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
    }
}
