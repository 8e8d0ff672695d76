package org.lra.cli;

import picocli.CommandLine.Option;

import java.nio.file.Path;
import java.util.Map;

/** {@code --data-dir DIR}: where prepared datasets live; default {@code $LRA_DATA_DIR}, else {@code ~/.lra/data}. */
public class DataDirOption {

    static final String ENV = "LRA_DATA_DIR";

    @Option(names = "--data-dir", paramLabel = "DIR",
            description = "Prepared datasets (default: $" + ENV + ", else ~/.lra/data).")
    private Path dataDir;

    public Path dataDir() {
        return resolve(dataDir, System.getenv(), System.getProperty("user.home"));
    }

    /** The precedence rule, separated from the process environment so it can be tested. */
    static Path resolve(Path option, Map<String, String> env, String home) {
        if (option != null) {
            return option;
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv);
        }
        return Path.of(home, ".lra", "data");
    }
}
