package org.lra.cli.data;

import org.lra.cli.GlobalOptions;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.lra.data.DataSettings;
import org.lra.data.inspect.DataVerify;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code lra data verify}: what is present, missing, stale or corrupt, and the command that fixes it. */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"For each dataset the benchmark needs, and every other cache in the data dir (or only the NAMEs "
                + "given): present / missing / stale / corrupt, and the command that fixes it; also the leftovers of "
                + "imports that did not finish.",
                "Exits 1 when anything is not present."})
public class DataVerifyCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--deep", description = "Re-read every cache file and check its CRC32C.")
    boolean deep;

    @Parameters(paramLabel = "NAME", arity = "0..*",
            description = "Datasets to check (default: the six the benchmark needs and every other cache there).")
    List<String> names;

    @Override
    public Integer call() throws Exception {
        Path dataDir = GlobalOptions.of(spec).dataDir();
        if (names != null) {
            names.forEach(name -> DatasetArg.checkName("NAME", name));
        }
        List<DataVerify.Check> checks = names == null || names.isEmpty()
                ? DataVerify.verify(dataDir, DataSettings.defaults(), deep)
                : DataVerify.verifyNamed(dataDir, DataSettings.defaults(), names, deep);
        boolean allPresent = true;
        System.out.println("data dir: " + GlobalOptions.of(spec).dataDir());
        for (DataVerify.Check c : checks) {
            System.out.printf("%-22s %-8s %s%n", c.name(), c.status().name().toLowerCase(java.util.Locale.ROOT), c.detail());
            for (String fix : c.fix()) {
                System.out.println("    fix: " + fix);
            }
            allPresent &= c.status() == DataVerify.Status.PRESENT;
        }
        return allPresent ? 0 : 1;
    }
}
