package org.lra.cli.data;

import java.util.concurrent.Callable;
import org.lra.cli.DataDirOption;
import org.lra.data.inspect.DataInfo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lra data info NAME}: per split the count, label histogram, lengths, source and checksum. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Per split: examples, label histogram, length min/mean/max, source and checksums.")
public class DataInfoCommand implements Callable<Integer> {
    @Mixin
    DataDirOption dataDir;

    @Parameters(index = "0", paramLabel = "NAME", description = "Task (listops, ...) or dataset directory name (pathfinder32-hard, listops-cpu).")
    String name;

    @Option(names = "--json", description = "Print JSON instead of text.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        DataInfo info = DataInfo.of(DatasetArg.open(dataDir.dataDir(), name));
        System.out.println(json ? info.toJson() : info.toText());
        return 0;
    }
}
