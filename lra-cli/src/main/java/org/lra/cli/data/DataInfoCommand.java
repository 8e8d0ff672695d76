package org.lra.cli.data;

import org.lra.cli.GlobalOptions;
import java.util.concurrent.Callable;
import org.lra.data.inspect.DataInfo;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lra data info NAME}: per split the count, label histogram, lengths, source and checksum. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Per split: examples, label histogram, length min/mean/max, source and checksums.")
public class DataInfoCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "NAME", description = "Task (listops, ...) or dataset directory name (pathfinder32-hard, listops-cpu).")
    String name;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        DataInfo info = DataInfo.of(DatasetArg.open(GlobalOptions.of(spec).dataDir(), name));
        System.out.println(json ? info.toJson() : info.toText());
        return 0;
    }
}
