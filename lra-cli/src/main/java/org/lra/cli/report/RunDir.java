package org.lra.cli.report;

import org.lra.cli.rundir.MetricsRow;
import org.lra.cli.rundir.RunResult;
import java.nio.file.Path;
import java.util.List;

/**
 * A run directory as the report sees it: where it is, its result, the dataset it trained on ({@code task.dataset}
 * of its config.yaml; empty if that is missing) and its learning curve.
 */
public record RunDir(Path dir, RunResult result, String dataset, List<MetricsRow> metrics) {
}
