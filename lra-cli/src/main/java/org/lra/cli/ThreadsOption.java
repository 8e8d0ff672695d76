package org.lra.cli;

import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

import java.util.OptionalInt;

/** {@code --threads N}: compute threads; absent means "whatever the config says". */
public class ThreadsOption {

    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    private Integer threads;

    @Option(names = "--threads", paramLabel = "N",
            description = "Compute threads for this run (overrides the config's threads).")
    void setThreads(int value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), "--threads must be >= 1, got " + value);
        }
        threads = value;
    }

    public OptionalInt threads() {
        return threads == null ? OptionalInt.empty() : OptionalInt.of(threads);
    }
}
