package org.lra.cli.data;

import org.lra.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code lra data generate listops|pathfinder}: make the two tasks that are defined by their generators. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Generate ListOps or Pathfinder in the release format, then import it into the data dir.",
        subcommands = {GenerateListOpsCommand.class, GeneratePathfinderCommand.class})
public class DataGenerateCommand extends CommandGroup {
}
