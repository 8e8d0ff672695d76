package org.lra.cli.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;

/** Log-log tokens/s against T, one line per (engine, attention), each point the engine's best over thread counts. */
final class BenchPlot {
    static {
        System.setProperty("java.awt.headless", "true"); // no display on servers
    }

    private BenchPlot() {
    }

    static byte[] png(List<BenchTable.Entry> entries) throws IOException {
        XYChart chart = new XYChartBuilder().width(900).height(560).title("Training step throughput (best of thread counts)")
                .xAxisTitle("sequence length T (tokens)").yAxisTitle("tokens/s").build();
        chart.getStyler().setXAxisLogarithmic(true);
        chart.getStyler().setYAxisLogarithmic(true);
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideE);
        Map<String, Map<Integer, Double>> series = new TreeMap<>();
        for (BenchTable.Entry e : entries) {
            if (e.engine().equals(BenchTable.SGEMM)) {
                continue;
            }
            String label = e.engine() + " " + e.attention() + " B=" + e.batch();
            series.computeIfAbsent(label, k -> new TreeMap<>()).merge(e.seqLen(), e.tokensPerS(), Math::max);
        }
        series.forEach((label, points) -> {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            points.entrySet().stream().sorted(Map.Entry.comparingByKey(Comparator.naturalOrder())).forEach(p -> {
                x.add((double) p.getKey());
                y.add(p.getValue());
            });
            chart.addSeries(label, x, y);
        });
        return BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
    }
}
