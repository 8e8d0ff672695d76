package org.lra.cli.report;

import org.lra.cli.GlobalOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code lra report --runs DIR [--out results/]}: tables and plots from finished runs; the others are listed. */
@Command(name = "report",
        mixinStandardHelpOptions = true,
        description = {"Aggregate every run directory below --runs (any depth, so runs from several machines "
                + "merge) into lra_table.{csv,md}, lra_timing.{csv,md}, curves_<task>.png, ours_vs_paper.png, "
                + "blend_<run>.png (fmm runs) and confusion_<run>.png (runs with predictions-test.csv).",
                "Prints the accuracy table (mean ± std over seeds, beside the paper's numbers), with two reference rows "
                        + "from the data: majority-class and shortcut (ListOps: the most frequent train label per "
                        + "outermost operator). Their data: --data-dir's <dataset> if it holds the runs' data, else the "
                        + "dir each run.json records.",
                "For ListOps runs, the share of test predictions (RUN/predictions-test.csv) equal to the shortcut's."})
public class ReportCommand implements Callable<Integer> {

    @Option(names = "--runs", paramLabel = "DIR", required = true, description = "Root of the run directories.")
    private Path runs;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "results",
            description = "Where to write tables and plots.")
    private Path out;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() throws IOException {
        Report.Output output = Report.generate(runs, out, GlobalOptions.of(spec).dataDir());
        PrintWriter w = spec.commandLine().getOut();
        w.print(output.markdown());
        w.println();
        w.println("Wrote:");
        output.written().forEach(p -> w.println("  " + p));
        w.flush();
        return 0;
    }
}
