package org.lra.cli.report;

import org.lra.cli.rundir.RunResult;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalDouble;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * Cost per task, dataset and model: step time, throughput, memory and wall time, averaged over finished seeds.
 */
public record TimingTable(List<Row> rows) {

    /** NaN where no run reported the value. Peak memory is the maximum over seeds, the rest are means. */
    public record Row(String task, String dataset, String model, String scale, int n, double medianStepMs, double p90StepMs,
                      double tokensPerS, double peakRssMb, double wallSeconds, double threads) {
    }

    public static TimingTable of(List<RunDir> runs) {
        Map<Key, List<RunResult>> grouped = new TreeMap<>(ORDER);
        for (RunDir run : runs) {
            RunResult r = run.result();
            if (r.finished()) {
                grouped.computeIfAbsent(new Key(r.task(), run.dataset(), r.name(), String.valueOf(r.scale())),
                        k -> new ArrayList<>()).add(r);
            }
        }
        List<Row> rows = new ArrayList<>();
        grouped.forEach((k, rs) -> rows.add(new Row(k.task(), k.dataset(), k.model(), k.scale(), rs.size(),
                mean(rs, RunResult::medianStepMs), mean(rs, RunResult::p90StepMs), mean(rs, RunResult::tokensPerS),
                max(rs, RunResult::peakRssMb), mean(rs, RunResult::wallSeconds),
                mean(rs, r -> r.threads() == null ? null : r.threads().doubleValue()))));
        return new TimingTable(rows);
    }

    private static double mean(List<RunResult> rs, Function<RunResult, Double> field) {
        OptionalDouble m = rs.stream().map(field).filter(Objects::nonNull).mapToDouble(Double::doubleValue).average();
        return m.orElse(Double.NaN);
    }

    private static double max(List<RunResult> rs, Function<RunResult, Double> field) {
        OptionalDouble m = rs.stream().map(field).filter(Objects::nonNull).mapToDouble(Double::doubleValue).max();
        return m.orElse(Double.NaN);
    }

    /** The runs one row averages. */
    private record Key(String task, String dataset, String model, String scale) {
    }

    /** Paper task order, then paper scale first, then the paper's model order, then the dataset. */
    private static final Comparator<Key> ORDER = Comparator
            .comparingInt((Key k) -> taskRank(k.task()))
            .thenComparing(Key::task)
            .thenComparing(k -> "paper".equals(k.scale()) ? 0 : 1)
            .thenComparing(Key::scale)
            .thenComparingInt(k -> PaperTable.modelRank(k.model()))
            .thenComparing(Key::model)
            .thenComparing(Key::dataset);

    static int taskRank(String task) {
        int i = PaperTable.TASKS.indexOf(task);
        return i >= 0 ? i : PaperTable.TASKS.size();
    }
}
