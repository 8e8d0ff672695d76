package org.lra.cli.report;

import org.lra.cli.rundir.BlendCsv;
import org.lra.cli.rundir.MetricsRow;
import org.lra.cli.rundir.RunResult;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.lines.SeriesLines;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.lra.data.predictions.Predictions;

import java.awt.Color;
import java.awt.Font;
import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** The report's PNG charts, rendered in memory with XChart (headless Java2D). */
public final class Plots {

    static {
        // No display on servers and cluster nodes; Java2D renders off-screen either way.
        System.setProperty("java.awt.headless", "true");
    }

    private Plots() {
    }

    /**
     * Dev accuracy vs step for one task, one series per run (model, scale, seed).
     * Empty when no run of the task has logged an evaluation yet.
     */
    public static Optional<byte[]> learningCurves(String task, List<RunDir> runs) throws IOException {
        return learningCurves(task, runs, ReferenceRows.NONE);
    }

    /** As {@link #learningCurves(String, List)}, with the task's reference rows drawn as dashed horizontal lines. */
    static Optional<byte[]> learningCurves(String task, List<RunDir> runs, ReferenceRows refs) throws IOException {
        Optional<XYChart> chart = learningCurvesChart(task, runs, refs);
        return chart.isEmpty() ? Optional.empty()
                : Optional.of(BitmapEncoder.getBitmapBytes(chart.get(), BitmapEncoder.BitmapFormat.PNG));
    }

    /** The chart {@link #learningCurves(String, List, ReferenceRows)} renders; empty without any dev evaluation. */
    static Optional<XYChart> learningCurvesChart(String task, List<RunDir> runs, ReferenceRows refs) {
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Dev accuracy, " + PaperTable.title(task))
                .xAxisTitle("step").yAxisTitle("dev accuracy (%)").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setMarkerSize(3);
        Map<String, RunDir> bySeries = curveSeries(task, runs);
        if (bySeries.isEmpty()) {
            return Optional.empty();
        }
        bySeries.forEach((label, run) -> {
            List<Double> steps = new ArrayList<>();
            List<Double> acc = new ArrayList<>();
            for (MetricsRow m : run.metrics()) {
                if (m.hasDev()) {
                    steps.add((double) m.step());
                    acc.add(100 * m.devAcc());
                }
            }
            chart.addSeries(label, steps, acc);
        });
        referenceLines(chart, refs.ofTask(task), bySeries.values());
        return Optional.of(chart);
    }

    /** One dashed line across the plotted steps per reference of the task that has a number. */
    private static void referenceLines(XYChart chart, List<ReferenceRows.Reference> refs, Iterable<RunDir> runs) {
        double first = Double.POSITIVE_INFINITY;
        double last = Double.NEGATIVE_INFINITY;
        for (RunDir run : runs) {
            for (MetricsRow m : run.metrics()) {
                if (m.hasDev()) {
                    first = Math.min(first, m.step());
                    last = Math.max(last, m.step());
                }
            }
        }
        for (ReferenceRows.Reference ref : refs) {
            for (String kind : List.of(ReferenceRows.MAJORITY, ReferenceRows.SHORTCUT)) {
                double percent = ref.percent(kind);
                if (Double.isNaN(percent)) {
                    continue;
                }
                String dataset = refs.size() > 1 || !ref.dataset().equals(ref.task()) ? " " + ref.dataset() : "";
                XYSeries line = chart.addSeries(kind + dataset + ", test " + TableFormat.fixed(percent) + "%",
                        new double[] {first, last}, new double[] {percent, percent});
                line.setLineStyle(SeriesLines.DASH_DASH);
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(ReferenceRows.MAJORITY.equals(kind) ? Color.DARK_GRAY : Color.GRAY);
            }
        }
    }

    /**
     * A run's test predictions as a confusion matrix: the count of test examples per true label (rows) and predicted
     * class (columns), each cell labelled with its count.
     */
    static Optional<byte[]> confusionMatrix(String runId, Predictions predictions, int numClasses) throws IOException {
        if (predictions.size() == 0) {
            return Optional.empty();
        }
        int classes = Math.max(numClasses, predictions.classesSeen());
        long[][] counts = predictions.confusion(classes);
        int[] axis = new int[classes];
        int[][] heat = new int[classes][classes];   // [x = predicted][y = true label]
        for (int c = 0; c < classes; c++) {
            axis[c] = c;
            for (int t = 0; t < classes; t++) {
                heat[c][t] = (int) counts[t][c];
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(720).height(640)
                .title("Test confusion matrix, " + runId + String.format(java.util.Locale.ROOT, " (accuracy %.2f%%)",
                        100 * predictions.accuracy()))
                .xAxisTitle("predicted class").yAxisTitle("true label").build();
        chart.getStyler().setShowValue(true);
        chart.getStyler().setHeatMapValueDecimalPattern("0");
        chart.getStyler().setMin(0);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.addSeries("test examples", axis, axis, heat);
        return Optional.of(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * The learning-curve series of one task, by legend label: "model sN" (plus the scale when not paper). Runs
     * that would share a label (the same model and seed on other data or with other overrides) each get their
     * run id in it, so that no run is silently left out of the plot.
     */
    static Map<String, RunDir> curveSeries(String task, List<RunDir> runs) {
        Map<String, List<RunDir>> byLabel = new TreeMap<>();
        for (RunDir run : runs) {
            RunResult r = run.result();
            if (task.equals(r.task()) && run.metrics().stream().anyMatch(MetricsRow::hasDev)) {
                String label = r.name() + " s" + r.seed() + ("paper".equals(r.scale()) ? "" : " (" + r.scale() + ")");
                byLabel.computeIfAbsent(label, k -> new ArrayList<>()).add(run);
            }
        }
        Map<String, RunDir> series = new TreeMap<>();
        byLabel.forEach((label, same) -> {
            boolean idsDiffer = same.stream().map(run -> run.result().runId()).distinct().count() == same.size();
            for (RunDir run : same) {
                String suffix = idsDiffer ? run.result().runId() : run.dir().toString();
                series.put(same.size() == 1 ? label : label + " " + suffix, run);
            }
        });
        return series;
    }

    /**
     * How much far field an fmm run uses, per layer over its dev evaluations: the far field's share
     * |far|·RMS(F) / (|near|·RMS(N) + |far|·RMS(F)) of {@code blend.csv}, averaged over the layer's heads.
     * Empty when the run has no far field.
     */
    public static Optional<byte[]> farFieldShare(String runId, List<BlendCsv.Row> rows) throws IOException {
        if (rows.isEmpty()) {
            return Optional.empty();
        }
        XYChart chart = new XYChartBuilder().width(900).height(560)
                .title("Far-field share of the FMM blend, " + runId)
                .xAxisTitle("step").yAxisTitle("far-field share (%), mean over heads").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(100.0); // 0 = band only, 100 = far field only
        chart.getStyler().setMarkerSize(3);
        Map<Integer, TreeMap<Integer, double[]>> byLayer = new TreeMap<>(); // layer -> step -> {sum, heads}
        for (BlendCsv.Row r : rows) {
            double[] acc = byLayer.computeIfAbsent(r.layer(), l -> new TreeMap<>())
                    .computeIfAbsent(r.step(), st -> new double[2]);
            acc[0] += r.farShare();
            acc[1]++;
        }
        byLayer.forEach((layer, bySteps) -> {
            List<Double> steps = new ArrayList<>();
            List<Double> share = new ArrayList<>();
            bySteps.forEach((step, acc) -> {
                steps.add((double) step);
                share.add(100 * acc[0] / acc[1]);
            });
            chart.addSeries("layer " + layer, steps, share);
        });
        return Optional.of(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }

    /**
     * Our mean test accuracy beside the papers', one group of bars per (task, model) cell we have that some paper
     * reported: ours, FMMformer's (recalled) and Nyströmformer's (verified) where each has it.
     */
    /**
     * " (cpu, pathfinder32-demo)": the scale unless paper, and the dataset unless it is named after the task, so
     * that two rows of one model (different datasets) get different labels.
     */
    private static String qualifier(AccuracyTable.Row row, String task) {
        List<String> parts = new ArrayList<>();
        if (!row.comparableToPaper()) {
            parts.add(row.scale());
        }
        String dataset = row.cells().get(task).dataset();
        if (!dataset.isEmpty() && !dataset.equals(task)) {
            parts.add(dataset);
        }
        return parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")";
    }

    public static Optional<byte[]> oursVsPaper(AccuracyTable table) throws IOException {
        List<String> cells = new ArrayList<>();
        List<Double> ours = new ArrayList<>();
        Map<PaperTable.Paper, List<Double>> papers = new EnumMap<>(PaperTable.Paper.class);
        for (PaperTable.Paper p : PaperTable.Paper.values()) {
            papers.put(p, new ArrayList<>());
        }
        for (String task : PaperTable.TASKS) {
            for (AccuracyTable.Row row : table.rows()) {
                Stats s = row.stats(task);
                List<PaperTable.PaperValue> reported = PaperTable.cell(row.model(), task);
                if (s != null && !reported.isEmpty()) {
                    cells.add(PaperTable.title(task) + " / " + row.model() + qualifier(row, task));
                    ours.add(s.mean());
                    papers.forEach((p, values) -> values.add(reported.stream().filter(v -> v.paper() == p)
                            .map(PaperTable.PaperValue::percent).findFirst().orElse(null)));
                }
            }
        }
        if (cells.isEmpty()) {
            return Optional.empty();
        }
        CategoryChart chart = new CategoryChartBuilder().width(Math.max(900, 80 * cells.size())).height(680)
                .title("Test accuracy: ours vs the papers (FMMformer cells recalled, Nyströmformer cells verified)")
                .yAxisTitle("accuracy (%)").build();
        chart.getStyler().setXAxisLabelRotation(90);
        // Small tick labels so every cell gets its label (XChart drops labels that would overlap).
        chart.getStyler().setAxisTickLabelsFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        chart.getStyler().setXAxisTickMarkSpacingHint(20);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.addSeries("ours (mean over seeds)", cells, ours);
        papers.forEach((p, values) -> {
            if (values.stream().anyMatch(v -> v != null)) {
                chart.addSeries(p.citation, cells, values);
            }
        });
        return Optional.of(BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG));
    }
}
