package org.lra.cli.config;

import org.lra.cli.GlobalOptions;
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

/**
 * {@code lra config show FILE [--set k=v ...] [--threads N] [--json]}: print the config a run with these arguments
 * would use.
 */
@Command(name = "show",
        mixinStandardHelpOptions = true,
        description = "Resolve FILE (defaults, extends chain, --set, the global --threads), validate it and print the "
                + "config lra train would run.")
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
        GlobalOptions global = GlobalOptions.of(spec);
        RunConfig config = global.applyTo(loaded.config());   // as lra train applies them
        PrintWriter out = spec.commandLine().getOut();
        if (json) {
            out.print(ConfigJson.toPrettyJson(config));
        } else {
            out.println("# configHash: " + config.configHash());
            for (Path f : loaded.files()) {
                out.println("# from: " + ConfigLoader.displayName(f));
            }
            for (String set : loaded.sets()) {
                out.println("# --set " + set);
            }
            global.threads().ifPresent(n -> out.println("# --threads " + n));
            out.print(ConfigJson.toYaml(config));
        }
        out.flush();
        return 0;
    }
}
