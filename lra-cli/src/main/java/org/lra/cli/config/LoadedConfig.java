package org.lra.cli.config;

import java.nio.file.Path;
import java.util.List;

/**
 * A resolved config and how it was made.
 *
 * @param config  the validated run config
 * @param files   every file that contributed, in merge order (bases first); for run.json provenance
 * @param sets    the --set overrides applied last, as given
 * @param origins which file set each key (for later error messages, e.g. from the trainer)
 */
public record LoadedConfig(RunConfig config, List<Path> files, List<String> sets, ConfigOrigins origins) {
}
