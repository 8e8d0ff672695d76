package org.lra.data;

import java.nio.file.Path;
import java.util.Map;

/**
 * Where imported datasets live: {@code <dataDir>/<name>/} per dataset ({@code listops}, {@code text},
 * {@code retrieval}, {@code image}, {@code pathfinder32-hard}, ...). Resolution order: an explicit
 * directory (the {@code --data-dir} option), else the environment variable {@code LRA_DATA_DIR},
 * else {@code ~/.lra/data}. Downloads go to {@code <dataDir>/downloads/}.
 */
public final class DataDir {
    public static final String ENV = "LRA_DATA_DIR";
    /** {@code <dataDir>/generated/<name>/}: the release files {@code lra data generate} writes. */
    public static final String GENERATED = "generated";
    /** {@code <dataDir>/downloads/}: archives {@code lra data download} fetched, and the unpacked release. */
    public static final String DOWNLOADS = "downloads";

    private DataDir() {
    }

    /** Where {@code lra data download} puts archives and unpacks the release: {@code <dataDir>/downloads}. */
    public static Path downloads(Path dataDir) {
        return dataDir.resolve(DOWNLOADS);
    }

    /** Where {@code lra data generate} writes dataset {@code name}'s release files: {@code <dataDir>/generated/<name>}. */
    public static Path generated(Path dataDir, String name) {
        return dataDir.resolve(GENERATED).resolve(name);
    }

    /** The data dir, absolute: {@code explicit} if given, else {@code $LRA_DATA_DIR} in {@code env}, else {@code <userHome>/.lra/data}. */
    public static Path resolve(Path explicit, Map<String, String> env, String userHome) {
        if (explicit != null) {
            return explicit.toAbsolutePath().normalize();
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return Path.of(fromEnv).toAbsolutePath().normalize();
        }
        return Path.of(userHome, ".lra", "data").toAbsolutePath().normalize();
    }
}
