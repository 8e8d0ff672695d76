package org.lra.cli.config;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code lra config ...}: inspect configs. */
@Command(name = "config",
        mixinStandardHelpOptions = true,
        description = "Inspect run configs (defaults + extends chain + --set).",
        subcommands = {ConfigShowCommand.class})
public class ConfigCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "Missing subcommand (try: lra config show FILE)");
    }
}
