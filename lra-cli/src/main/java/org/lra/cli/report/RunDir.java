package org.lra.cli.report;

import java.nio.file.Path;
import java.util.List;

/** A run directory as the report sees it: where it is, its result, and its learning curve. */
public record RunDir(Path dir, RunResult result, List<MetricsRow> metrics) {
}
