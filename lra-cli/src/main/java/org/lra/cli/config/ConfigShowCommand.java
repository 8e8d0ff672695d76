package org.lra.cli.config;

import org.lra.cli.SetOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code lra config show FILE [--set k=v ...] [--json]}: print the config a run with these arguments would use. */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        description = "Resolve FILE (defaults, extends chain, --set), validate it and print the result.")
public class ConfigShowCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "A run config (.yaml, .yml or .json).")
    private Path file;

    @Option(names = "--json", description = "Print JSON instead of YAML.")
    private boolean json;

    @Mixin
    private SetOptions setOptions;

    @Spec
    private CommandSpec spec;

    @Override
    public Integer call() {
        LoadedConfig loaded = ConfigLoader.resolve(file, setOptions.sets());
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(ConfigJson.toPrettyJson(loaded.config()));
        } else {
            out.println("# configHash: " + loaded.config().configHash());
            for (Path f : loaded.files()) {
                out.println("# from: " + ConfigLoader.displayName(f));
            }
            for (String set : loaded.sets()) {
                out.println("# --set " + set);
            }
            out.print(ConfigJson.toYaml(loaded.config()));
        }
        out.flush();
        return 0;
    }
}
