package org.lra.cli.data;

import org.lra.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code lra data}: get the five tasks onto this machine and look at them. */
@Command(name = "data", mixinStandardHelpOptions = true,
        description = "Generate, download, import, inspect and verify the LRA datasets.",
        subcommands = {
                DataGenerateCommand.class,
                DataImportCommand.class,
                DataDownloadCommand.class,
                DataInfoCommand.class,
                DataExportCommand.class,
                DataVerifyCommand.class,
        })
public class DataCommand extends CommandGroup {
}
