package org.lra.cli.sweep;

import java.nio.file.Path;
import java.util.List;

/**
 * One run of a sweep.
 *
 * @param id     directory name: {@code <task>__<model>__s<seed>}, plus {@code __<hash>} of the overrides if any
 * @param config the cell's config file
 * @param sets   {@code key=value} overrides from the grid's extra axes, passed as --set
 * @param runDir where the trainer writes (out/id)
 */
public record PlannedRun(String id, String task, String model, int seed, Path config, List<String> sets,
                         Path runDir) {
}
