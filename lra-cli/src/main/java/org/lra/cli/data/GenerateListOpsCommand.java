package org.lra.cli.data;

import org.lra.cli.GlobalOptions;
import java.util.concurrent.Callable;
import org.lra.cli.OptionNames;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.generate.ListOpsGenerator;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code lra data generate listops}: the LRA ListOps generator, writing basic_{train,val,test}.tsv. */
@Command(name = "listops", mixinStandardHelpOptions = true,
        description = "Generate ListOps exactly as LRA's listops.py (MIN MAX MED SM, depth <= 10, args <= 10, "
                + "min-length < tokens < max-length, deduplicated) as basic_{train,val,test}.tsv, then import it.")
public class GenerateListOpsCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Mixin
    GenerateOptions generate;

    @Option(names = "--name", paramLabel = "NAME", defaultValue = "listops",
            description = "Dataset name to import as.")
    String name;

    @Option(names = "--train", defaultValue = "96000", paramLabel = "N", description = "Training examples.") int train;
    @Option(names = "--val", defaultValue = "2000", paramLabel = "N", description = "Validation examples.") int val;
    @Option(names = "--test", defaultValue = "2000", paramLabel = "N", description = "Test examples.") int test;

    @Option(names = "--min-length", defaultValue = "500", paramLabel = "N", description = "Keep trees with more tokens.")
    int minLength;

    @Option(names = "--max-length", defaultValue = "2000", paramLabel = "N", description = "Keep trees with fewer tokens.")
    int maxLength;

    @Option(names = "--max-depth", defaultValue = "10", paramLabel = "N", description = "Deepest operator nesting.")
    int maxDepth;
    @Option(names = "--max-args", defaultValue = "10", paramLabel = "N", description = "Most arguments per operator.")
    int maxArgs;
    @Option(names = "--seed", defaultValue = "0", paramLabel = "S", description = "Generator seed (same seed, same set).")
    long seed;

    @Override
    public Integer call() throws Exception {
        ListOpsGenerator.Options options;
        try {
            options = new ListOpsGenerator.Options(train, val, test, minLength, maxLength, maxDepth, maxArgs, seed,
                    GlobalOptions.of(spec).threads().orElse(0));
        } catch (IllegalArgumentException e) {
            throw OptionNames.inputError(spec, e);   // the handler names the command
        }
        // Truncation at import: the longest generated sequence has maxLength - 1 tokens.
        DataSettings settings = DataSettings.defaults().withMaxLength(maxLength).withName(name);
        ListOpsGenerator.Options checked = options;
        generate.run(spec, Task.LISTOPS, settings, dir -> new ListOpsGenerator().generate(dir, checked));
        return 0;
    }
}
