package org.lra.cli.config;

import org.lra.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code lra config ...}: inspect configs. */
@Command(name = "config",
        mixinStandardHelpOptions = true,
        description = "Inspect run configs (defaults + extends chain + --set).",
        subcommands = {ConfigShowCommand.class})
public class ConfigCommand extends CommandGroup {
}
