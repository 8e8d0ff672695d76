package org.lra.cli.data;

import org.lra.cli.Choices;
import org.lra.cli.GlobalOptions;
import java.io.BufferedWriter;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;
import org.lra.data.Split;
import org.lra.data.inspect.DataExport;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lra data export NAME --split S}: one line per example, for checks against other tools. */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = {"One line per example: label<TAB>ids (space-separated); Retrieval: label<TAB>ids0<TAB>ids1."})
public class DataExportCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Task or dataset directory name under the data dir.")
    String name;

    @Option(names = "--split", required = true, paramLabel = "S", converter = Choices.Splits.class,
            completionCandidates = Choices.Splits.class, description = "Split: ${COMPLETION-CANDIDATES}.")
    Split split;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "0", description = "At most N examples (0 = all).")
    long limit;

    @Override
    public Integer call() throws Exception {
        BufferedWriter out = new BufferedWriter(new OutputStreamWriter(System.out, StandardCharsets.UTF_8));
        DataExport.export(DatasetArg.open(GlobalOptions.of(spec).dataDir(), name).split(split), out, limit <= 0 ? Long.MAX_VALUE : limit);
        out.flush();
        return 0;
    }
}
