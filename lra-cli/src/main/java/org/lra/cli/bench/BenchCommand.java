package org.lra.cli.bench;

import org.lra.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code lra bench}: performance measurements (never timed unit tests). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: 'step' times full training steps, optionally side by side with the PyTorch twin.",
        subcommands = {BenchStepCommand.class})
public class BenchCommand extends CommandGroup {
}
