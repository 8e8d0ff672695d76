package org.lra.cli.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Test accuracy (percent) per model row and task column, over the seeds of finished runs.
 * A row is a (model, scale) pair: cpu-scale runs never share a cell with paper-scale runs.
 */
public record AccuracyTable(List<Row> rows) {

    /**
     * One model at one scale.
     *
     * @param cells  task → accuracy stats over seeds; tasks without finished runs are absent
     * @param runIds task → run ids behind the cell, for provenance
     */
    public record Row(String model, String scale, Map<String, Stats> cells, Map<String, List<String>> runIds) {

        /** Mean of the five task means; only when every task has a result (as the paper's Avg). */
        public Optional<Double> average() {
            if (!cells.keySet().containsAll(PaperTable.TASKS)) {
                return Optional.empty();
            }
            return Optional.of(PaperTable.TASKS.stream().mapToDouble(t -> cells.get(t).mean()).average().orElseThrow());
        }

        public boolean comparableToPaper() {
            return "paper".equals(scale);
        }
    }

    /** Groups finished runs; runs still going or diverged are left out (the report lists them separately). */
    public static AccuracyTable of(List<RunDir> runs) {
        Map<List<String>, Map<String, List<RunResult>>> grouped = new TreeMap<>(ROW_ORDER);
        for (RunDir run : runs) {
            RunResult r = run.result();
            if (!r.finished()) {
                continue;
            }
            grouped.computeIfAbsent(List.of(r.name(), String.valueOf(r.scale())), k -> new TreeMap<>())
                    .computeIfAbsent(r.task(), k -> new ArrayList<>()).add(r);
        }
        List<Row> rows = new ArrayList<>();
        grouped.forEach((key, byTask) -> {
            Map<String, Stats> cells = new LinkedHashMap<>();
            Map<String, List<String>> ids = new LinkedHashMap<>();
            byTask.forEach((task, results) -> {
                cells.put(task, Stats.of(results.stream().map(r -> 100 * r.testAcc()).toList()));
                ids.put(task, results.stream().map(RunResult::runId).toList());
            });
            rows.add(new Row(key.get(0), key.get(1), cells, ids));
        });
        return new AccuracyTable(rows);
    }

    /** Paper scale before cpu, then the paper's model order, then other models by name. */
    private static final Comparator<List<String>> ROW_ORDER = Comparator
            .comparing((List<String> k) -> "paper".equals(k.get(1)) ? 0 : 1)
            .thenComparing(k -> k.get(1))
            .thenComparingInt(k -> PaperTable.modelRank(k.get(0)))
            .thenComparing(k -> k.get(0));
}
