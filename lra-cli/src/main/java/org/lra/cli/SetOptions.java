package org.lra.cli;

import picocli.CommandLine;
import picocli.CommandLine.Option;

import java.util.ArrayList;
import java.util.List;

/** {@code --set key.path=value} (repeatable): the last config layer, applied after the file and its extends. */
public class SetOptions {

    @Option(names = "--set", paramLabel = "KEY=VALUE", showDefaultValue = CommandLine.Help.Visibility.NEVER,
            description = "Override one config value, e.g. --set training.steps=100 or "
                    + "--set model.attention.kernels=[elu,elu_flip]. Values are YAML. Repeatable.")
    private List<String> sets = new ArrayList<>();

    public List<String> sets() {
        return List.copyOf(sets);
    }
}
