package org.lra.cli;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import picocli.CommandLine.TypeConversionException;
import org.lra.cli.bench.BenchCommand;
import org.lra.cli.config.ConfigCommand;
import org.lra.cli.data.DataCommand;
import org.lra.cli.demo.DemoCommand;
import org.lra.cli.train.EvalCommand;
import org.lra.cli.train.TrainCommand;
import org.lra.cli.report.ReportCommand;
import org.lra.cli.sweep.SweepCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Mixin;

/**
 * The {@code lra} command. Subcommands are listed in the annotation below: adding one is adding its class there.
 * Every subcommand gets --help/--version (mixinStandardHelpOptions) and the exit-code table in its usage.
 */
@Command(name = "lra",
        mixinStandardHelpOptions = true,
        versionProvider = VersionProvider.class,
        description = "Long Range Arena harness: train and evaluate FMMformer and baseline transformers.",
        subcommands = {
                DemoCommand.class,
                DataCommand.class,
                TrainCommand.class,
                EvalCommand.class,
                BenchCommand.class,
                ConfigCommand.class,
                ReportCommand.class,
                SweepCommand.class,
                CompletionCommand.class,
                HelpCommand.class,
        })
public class LraCommand extends CommandGroup {

    /** --data-dir, --threads, -v: accepted before or after any subcommand. */
    @Mixin
    GlobalOptions global;

    /** The configured command line: exit codes, error handling and help footers; used by main and tests. */
    public static CommandLine commandLine() {
        CommandLine cmd = new CommandLine(new LraCommand());
        LraExceptionHandler errors = new LraExceptionHandler();
        cmd.setExecutionExceptionHandler(errors);
        cmd.setParameterExceptionHandler(errors);
        cmd.setUsageHelpAutoWidth(true);
        cmd.registerConverter(Path.class, LraCommand::path); // registered before the tree is walked: every command
        applyExitCodes(cmd);
        return cmd;
    }

    /**
     * A path argument. Under a locale whose charset cannot hold it (a non-ASCII name under {@code LC_ALL=C}) the
     * JVM cannot make a path at all; that is one line naming the value and the fix, not InvalidPathException.
     */
    private static Path path(String value) {
        try {
            return Path.of(value);
        } catch (InvalidPathException e) {
            throw new TypeConversionException("'" + value + "' cannot be a file name under this locale (file names "
                    + "are encoded as " + System.getProperty("sun.jnu.encoding") + "); run under a UTF-8 locale, "
                    + "e.g. LC_ALL=C.UTF-8");
        }
    }

    /**
     * Sets the exit codes on this command and every subcommand below it (picocli keeps them per command)
     * and puts the exit-code table and the default values into each one's usage help, so subcommands added
     * later get them too.
     */
    private static void applyExitCodes(CommandLine cmd) {
        cmd.getCommandSpec()
                .exitCodeOnInvalidInput(ExitCodes.INPUT)
                .exitCodeOnExecutionException(ExitCodes.FAILURE);
        cmd.getCommandSpec().usageMessage()
                .showDefaultValues(true)
                .exitCodeListHeading("%nExit codes:%n")
                .exitCodeList(ExitCodes.helpList());
        cmd.getSubcommands().values().forEach(LraCommand::applyExitCodes);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
