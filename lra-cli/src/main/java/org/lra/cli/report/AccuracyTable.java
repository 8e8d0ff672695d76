package org.lra.cli.report;

import org.lra.cli.rundir.RunResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Test accuracy (percent) per model row and task column, over the seeds of finished runs.
 * A row is a (model, scale) pair: cpu-scale runs never share a cell with paper-scale runs. A cell never pools
 * runs of different datasets either: when one model has runs of one task on several datasets (Pathfinder easy
 * and hard, say), the model's first row holds, for each task, the dataset with the most runs, and every further
 * dataset gets a row of its own holding that one cell.
 */
public record AccuracyTable(List<Row> rows) {

    /**
     * One task's result in one row.
     *
     * @param dataset the dataset behind the cell (the runs' {@code task.dataset})
     * @param stats   test accuracy in percent over the seeds
     * @param runIds  the run ids behind the cell, for provenance
     */
    public record Cell(String dataset, Stats stats, List<String> runIds) {
    }

    /**
     * One model at one scale.
     *
     * @param cells task → its cell; tasks without finished runs are absent
     */
    public record Row(String model, String scale, Map<String, Cell> cells) {

        /** The task's accuracy over seeds, or null when the row has no cell for it. */
        public Stats stats(String task) {
            Cell cell = cells.get(task);
            return cell == null ? null : cell.stats();
        }

        /** Mean of the five task means; only when every task has a result (as the paper's Avg). */
        public Optional<Double> average() {
            if (!cells.keySet().containsAll(PaperTable.TASKS)) {
                return Optional.empty();
            }
            return Optional.of(PaperTable.TASKS.stream().mapToDouble(t -> stats(t).mean()).average().orElseThrow());
        }

        public boolean comparableToPaper() {
            return "paper".equals(scale);
        }

        /** A row without cells yet; {@link #of} fills it. */
        private static Row empty(String model, String scale) {
            return new Row(model, scale, new LinkedHashMap<>());
        }
    }

    /** Groups finished runs; runs still going or diverged are left out (the report lists them separately). */
    public static AccuracyTable of(List<RunDir> runs) {
        // (model, scale) → task → dataset → results
        Map<List<String>, Map<String, Map<String, List<RunResult>>>> grouped = new TreeMap<>(ROW_ORDER);
        for (RunDir run : runs) {
            RunResult r = run.result();
            if (!r.finished()) {
                continue;
            }
            grouped.computeIfAbsent(List.of(r.name(), String.valueOf(r.scale())), k -> new TreeMap<>())
                    .computeIfAbsent(r.task(), k -> new TreeMap<>())
                    .computeIfAbsent(run.dataset(), k -> new ArrayList<>()).add(r);
        }
        List<Row> rows = new ArrayList<>();
        grouped.forEach((key, byTask) -> {
            Row first = Row.empty(key.get(0), key.get(1));
            List<Row> further = new ArrayList<>();
            byTask.forEach((task, byDataset) -> {
                List<Map.Entry<String, List<RunResult>>> datasets = byDataset.entrySet().stream()
                        .sorted(MOST_RUNS_FIRST).toList();
                addCell(first, task, datasets.get(0));
                for (Map.Entry<String, List<RunResult>> other : datasets.subList(1, datasets.size())) {
                    Row row = Row.empty(key.get(0), key.get(1));
                    addCell(row, task, other);
                    further.add(row);
                }
            });
            rows.add(first);
            rows.addAll(further);
        });
        return new AccuracyTable(rows);
    }

    private static void addCell(Row row, String task, Map.Entry<String, List<RunResult>> dataset) {
        List<RunResult> results = dataset.getValue();
        row.cells().put(task, new Cell(dataset.getKey(), Stats.of(results.stream().map(r -> 100 * r.testAcc()).toList()),
                results.stream().map(RunResult::runId).toList()));
    }

    /** The dataset with the most runs first; ties by name, so the table does not depend on scan order. */
    private static final Comparator<Map.Entry<String, List<RunResult>>> MOST_RUNS_FIRST = Comparator
            .comparingInt((Map.Entry<String, List<RunResult>> e) -> -e.getValue().size())
            .thenComparing(Map.Entry::getKey);

    /** Paper scale before cpu, then the paper's model order, then other models by name. */
    private static final Comparator<List<String>> ROW_ORDER = Comparator
            .comparing((List<String> k) -> "paper".equals(k.get(1)) ? 0 : 1)
            .thenComparing(k -> k.get(1))
            .thenComparingInt(k -> PaperTable.modelRank(k.get(0)))
            .thenComparing(k -> k.get(0));
}
