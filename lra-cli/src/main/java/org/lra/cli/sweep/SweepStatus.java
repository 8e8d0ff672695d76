package org.lra.cli.sweep;

import org.lra.cli.config.RunConfig;
import org.lra.cli.rundir.RunFiles;
import org.lra.cli.rundir.MetricsCsv;
import org.lra.cli.rundir.MetricsRow;
import org.lra.cli.report.RunDirScanner;
import org.lra.cli.rundir.RunResult;
import org.lra.cli.rundir.RunDirLock;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code lra sweep --status GRID}: one row per planned run, read from its directory only (so it works from
 * any machine that sees the run dirs, e.g. a cluster's shared filesystem):
 * <ul>
 *   <li>pending: nothing written yet;</li>
 *   <li>running: a live process holds the run-directory lock (its PID is shown);</li>
 *   <li>finished / diverged: what result.json says;</li>
 *   <li>stopped: result.json says a signal stopped it after checkpointing (Ctrl-C, {@code scancel}, a time
 *       limit's SIGTERM); the same word as {@code lra report}'s;</li>
 *   <li>failed: written to but neither done, stopped nor locked: the trainer died without a word (crash,
 *       SIGKILL, a node lost).</li>
 * </ul>
 * The next submission resumes a stopped or failed run from its last checkpoint.
 */
final class SweepStatus {

    enum State { pending, running, finished, diverged, stopped, failed }

    record Row(PlannedRun run, State state, Long pid, int lastStep, int steps, Double bestDevAcc) {
    }

    private SweepStatus() {
    }

    static List<Row> rows(Map<PlannedRun, RunConfig> plan) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<PlannedRun, RunConfig> run : plan.entrySet()) {
            rows.add(row(run.getKey(), run.getValue().training().steps()));
        }
        return rows;
    }

    private static Row row(PlannedRun run, int steps) throws IOException {
        RunState state = RunState.of(run.runDir());
        Optional<Long> pid = state.done() ? Optional.empty() : RunDirLock.holder(run.runDir());
        if (state == RunState.NEW && pid.isEmpty()) {
            return new Row(run, State.pending, null, 0, steps, null);
        }
        List<MetricsRow> metrics = MetricsCsv.read(run.runDir().resolve(RunFiles.METRICS));
        int lastStep = metrics.isEmpty() ? 0 : metrics.get(metrics.size() - 1).step();
        Double bestDev = MetricsCsv.bestDevAcc(metrics);
        if (state.done()) {
            RunResult result = RunDirScanner.readResult(run.runDir());
            return new Row(run, state == RunState.FINISHED ? State.finished : State.diverged, null,
                    result.steps() != null ? result.steps() : lastStep, steps,
                    result.bestDevAcc() != null ? result.bestDevAcc() : bestDev);
        }
        State unfinished = pid.isPresent() ? State.running : saidStopped(run) ? State.stopped : State.failed;
        return new Row(run, unfinished, pid.orElse(null), lastStep, steps, bestDev);
    }

    /** result.json says stopped; a missing or torn one (killed before or while writing it) does not. */
    private static boolean saidStopped(PlannedRun run) {
        try {
            return RunResult.STOPPED.equals(RunDirScanner.readResult(run.runDir()).status());
        } catch (IOException e) {
            return false;
        }
    }

    static void print(List<Row> rows, PrintWriter out) {
        int idWidth = rows.stream().mapToInt(r -> r.run().id().length()).max().orElse(3);
        String format = "%-" + idWidth + "s  %-8s  %11s  %8s  %s";
        out.println(String.format(Locale.ROOT, format, "run", "state", "step", "best dev", "note").stripTrailing());
        Map<State, Integer> counts = new LinkedHashMap<>();
        for (State s : State.values()) {
            counts.put(s, 0);
        }
        for (Row r : rows) {
            counts.merge(r.state(), 1, Integer::sum);
            String note = switch (r.state()) {
                case running -> "PID " + r.pid();
                case stopped -> "checkpointed at a signal; resubmitting resumes it";
                case failed -> "died early; resubmitting resumes it from its last checkpoint";
                default -> "";
            };
            out.println(String.format(Locale.ROOT, format, r.run().id(), r.state(), r.lastStep() + "/" + r.steps(),
                    r.bestDevAcc() == null ? "-" : String.format(Locale.ROOT, "%.4f", r.bestDevAcc()), note)
                    .stripTrailing());
        }
        StringBuilder total = new StringBuilder(rows.size() + " runs:");
        counts.forEach((state, n) -> total.append(' ').append(n).append(' ').append(state).append(','));
        total.setLength(total.length() - 1);
        out.println(total);
        out.flush();
    }
}
