package org.lra.cli;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * A command that only groups subcommands ({@code lra}, {@code lra data}, {@code lra data generate},
 * {@code lra bench}, {@code lra config}): run on its own it is a usage error, and the error handler answers
 * it with the usage, since the list of subcommands is what the user is missing.
 */
public abstract class CommandGroup implements Runnable {

    /** Thrown when a group runs without a subcommand; the handler prints the group's usage after the line. */
    public static final class MissingSubcommandException extends ParameterException {
        private static final long serialVersionUID = 1L;

        MissingSubcommandException(CommandLine group) {
            super(group, "Missing subcommand");
        }
    }

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new MissingSubcommandException(spec.commandLine());
    }
}
