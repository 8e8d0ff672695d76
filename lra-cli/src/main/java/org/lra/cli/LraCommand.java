package org.lra.cli;

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
        applyExitCodes(cmd);
        return cmd;
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
