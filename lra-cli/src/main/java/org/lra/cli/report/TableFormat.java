package org.lra.cli.report;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** Renders the accuracy and timing tables as Markdown (for people) and CSV (for scripts). */
public final class TableFormat {

    static final String UNVERIFIED = "†";
    static final String VERIFIED = "✓";
    static final String NOT_COMPARABLE = "‡";

    private TableFormat() {
    }

    // ---- accuracy -------------------------------------------------------------------------------------------

    public static String accuracyMarkdown(AccuracyTable table) {
        return accuracyMarkdown(table, ReferenceRows.NONE);
    }

    /** The table with its reference rows ({@link ReferenceRows}) under the model rows, and their note. */
    static String accuracyMarkdown(AccuracyTable table, ReferenceRows refs) {
        StringBuilder md = new StringBuilder();
        List<String> header = new ArrayList<>(List.of("Model", "Scale", "Data"));
        for (String task : PaperTable.TASKS) {
            header.addAll(List.of(PaperTable.title(task), "paper", "Δ"));
        }
        header.addAll(List.of("Avg", "paper", "Δ"));
        md.append(markdownRow(header));
        md.append(markdownRow(header.stream().map(h -> List.of("Model", "Scale", "Data").contains(h) ? "---" : "---:")
                .toList()));
        boolean anyCpu = false;
        for (AccuracyTable.Row row : table.rows()) {
            anyCpu |= !row.comparableToPaper();
            List<String> cells = new ArrayList<>(List.of(row.model(),
                    row.comparableToPaper() ? row.scale() : row.scale() + " " + NOT_COMPARABLE,
                    String.join(", ", PaperTable.TASKS.stream().filter(row.cells()::containsKey)
                            .map(t -> datasetName(row.cells().get(t).dataset())).distinct().toList())));
            for (String task : PaperTable.TASKS) {
                Stats s = row.stats(task);
                List<PaperTable.PaperValue> paper = PaperTable.cell(row.model(), task);
                cells.add(s == null ? "" : ours(s));
                cells.add(papers(paper));
                cells.add(s == null ? "" : differences(s.mean(), paper));
            }
            Optional<Double> avg = row.average();
            List<PaperTable.PaperValue> paperAvg = PaperTable.average(row.model());
            cells.add(avg.map(a -> fixed(a)).orElse(""));
            cells.add(papers(paperAvg));
            cells.add(avg.map(a -> differences(a, paperAvg)).orElse(""));
            md.append(markdownRow(cells));
        }
        referenceMarkdownRows(refs, md);
        md.append('\n');
        md.append("Test accuracy in %, exact over the whole test split; mean ± sample std over seeds (n). "
                + "Avg only when all five tasks are present. Data: the datasets behind the row's cells (task.dataset); "
                + "a cell never pools runs of different datasets. Paper: each row's reference is the paper that reported "
                + "that model under this protocol; softmax has both.\n");
        for (PaperTable.Paper paper : PaperTable.Paper.values()) {
            md.append(paper.tag).append(' ').append(paper.citation).append(".\n");
        }
        md.append(VERIFIED + " verified against the paper. " + UNVERIFIED + " recalled, unverified: of FMMformer's "
                + "numbers only the averages 58.70 (softmax) and 60.74 (fmm-2kernel-band5) are confirmed (paper "
                + "abstract); every Nyströmformer cell is verified.\n");
        if (anyCpu) {
            md.append(NOT_COMPARABLE + " cpu scale: shortened training and inputs; NOT comparable to the paper, "
                    + "Δ is for orientation only.\n");
        }
        md.append(refs.markdownNote());
        return md.toString();
    }

    /** majority-class and shortcut: a value (or why not) in each task cell that has a dataset; no paper, no Avg. */
    private static void referenceMarkdownRows(ReferenceRows refs, StringBuilder md) {
        for (ReferenceRows.Row row : refs.rows()) {
            List<String> cells = new ArrayList<>(List.of(row.kind(), ReferenceRows.SCALE,
                    String.join(", ", row.cells().values().stream().map(r -> datasetName(r.dataset())).distinct().toList())));
            for (String task : PaperTable.TASKS) {
                ReferenceRows.Reference ref = row.cells().get(task);
                cells.addAll(List.of(ref == null ? "" : ref.text(row.kind()), "", ""));
            }
            cells.addAll(List.of("", "", ""));
            md.append(markdownRow(cells));
        }
    }

    /** "F 37.10† / N 37.10✓": each paper's value, tagged with the paper and verified or recalled. */
    private static String papers(List<PaperTable.PaperValue> values) {
        return String.join(" / ", values.stream().map(TableFormat::paper).toList());
    }

    /** Ours minus each paper's value, in the same order as {@link #papers}. */
    private static String differences(double ours, List<PaperTable.PaperValue> values) {
        return String.join(" / ", values.stream().map(v -> signed(ours - v.percent())).toList());
    }

    /** Per task and for the average: ours, then for each paper its value, verified flag and our difference. */
    public static String accuracyCsv(AccuracyTable table) {
        return accuracyCsv(table, ReferenceRows.NONE);
    }

    /**
     * As {@link #accuracyCsv(AccuracyTable)}, then one row per reference row: model {@code majority-class} or
     * {@code shortcut}, scale {@code reference}, per task the dataset and the accuracy in {@code _mean} (empty where
     * there is none; the Markdown says why).
     */
    static String accuracyCsv(AccuracyTable table, ReferenceRows refs) {
        List<String> header = new ArrayList<>(List.of("model", "scale", "comparable_to_paper"));
        for (String task : PaperTable.TASKS) {
            header.addAll(List.of(task + "_dataset", task + "_mean", task + "_std", task + "_n"));
            header.addAll(paperColumns(task));
            header.add(task + "_runs");
        }
        header.add("avg_mean");
        header.addAll(paperColumns("avg"));
        return csv(header, printer -> {
            for (AccuracyTable.Row row : table.rows()) {
                List<Object> r = new ArrayList<>(List.of(row.model(), row.scale(), row.comparableToPaper()));
                for (String task : PaperTable.TASKS) {
                    Stats s = row.stats(task);
                    AccuracyTable.Cell cell = row.cells().get(task);
                    r.add(cell == null ? "" : cell.dataset());
                    r.add(s == null ? "" : num(s.mean()));
                    r.add(s == null ? "" : num(s.std()));
                    r.add(s == null ? "" : s.n());
                    paperCells(r, s == null ? Double.NaN : s.mean(), PaperTable.cell(row.model(), task));
                    r.add(cell == null ? "" : String.join(";", cell.runIds()));
                }
                Optional<Double> avg = row.average();
                r.add(avg.map(TableFormat::num).orElse(""));
                paperCells(r, avg.orElse(Double.NaN), PaperTable.average(row.model()));
                printer.printRecord(r);
            }
            for (ReferenceRows.Row row : refs.rows()) {
                List<Object> r = new ArrayList<>(List.of(row.kind(), ReferenceRows.SCALE, ""));
                for (String task : PaperTable.TASKS) {
                    ReferenceRows.Reference ref = row.cells().get(task);
                    r.add(ref == null ? "" : ref.dataset());
                    r.add(ref == null ? "" : num(ref.percent(row.kind())));
                    r.addAll(List.of("", ""));
                    paperCells(r, Double.NaN, List.of());
                    r.add("");
                }
                r.add("");
                paperCells(r, Double.NaN, List.of());
                printer.printRecord(r);
            }
        });
    }

    /** {prefix}_paper_{paper}, {prefix}_paper_{paper}_verified, {prefix}_diff_{paper} for each paper. */
    private static List<String> paperColumns(String prefix) {
        List<String> out = new ArrayList<>();
        for (PaperTable.Paper p : PaperTable.Paper.values()) {
            out.addAll(List.of(prefix + "_paper_" + p.key, prefix + "_paper_" + p.key + "_verified",
                    prefix + "_diff_" + p.key));
        }
        return out;
    }

    private static void paperCells(List<Object> r, double ours, List<PaperTable.PaperValue> values) {
        for (PaperTable.Paper p : PaperTable.Paper.values()) {
            Optional<PaperTable.PaperValue> v = values.stream().filter(x -> x.paper() == p).findFirst();
            r.add(v.map(x -> num(x.percent())).orElse(""));
            r.add(v.map(x -> (Object) x.verified()).orElse(""));
            r.add(v.isPresent() && !Double.isNaN(ours) ? num(ours - v.get().percent()) : "");
        }
    }

    // ---- timing ---------------------------------------------------------------------------------------------

    public static String timingMarkdown(TimingTable table) {
        StringBuilder md = new StringBuilder();
        md.append(markdownRow(List.of("Task", "Data", "Model", "Scale", "n", "median step ms", "p90 step ms", "tokens/s",
                "peak MB", "wall s", "threads")));
        md.append(markdownRow(List.of("---", "---", "---", "---", "---:", "---:", "---:", "---:", "---:", "---:", "---:")));
        for (TimingTable.Row r : table.rows()) {
            md.append(markdownRow(List.of(r.task(), datasetName(r.dataset()), r.model(), r.scale(), String.valueOf(r.n()),
                    fixed(r.medianStepMs(), 1), fixed(r.p90StepMs(), 1), fixed(r.tokensPerS(), 0),
                    fixed(r.peakRssMb(), 0), fixed(r.wallSeconds(), 0), fixed(r.threads(), 0))));
        }
        md.append("\nMeans over finished seeds; peak MB is the maximum. Timings are only comparable between rows "
                + "measured on the same machine with the same threads.\n");
        return md.toString();
    }

    public static String timingCsv(TimingTable table) {
        return csv(List.of("task", "dataset", "model", "scale", "n", "median_step_ms", "p90_step_ms", "tokens_per_s",
                "peak_rss_mb", "wall_seconds", "threads"), printer -> {
            for (TimingTable.Row r : table.rows()) {
                printer.printRecord(r.task(), r.dataset(), r.model(), r.scale(), r.n(), num(r.medianStepMs()), num(r.p90StepMs()),
                        num(r.tokensPerS()), num(r.peakRssMb()), num(r.wallSeconds()), num(r.threads()));
            }
        });
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    private interface Rows {
        void print(CSVPrinter printer) throws IOException;
    }

    private static String csv(List<String> header, Rows rows) {
        StringWriter out = new StringWriter();
        CSVFormat format = CSVFormat.DEFAULT.builder().setHeader(header.toArray(String[]::new))
                .setRecordSeparator('\n').get();
        try (CSVPrinter printer = new CSVPrinter(out, format)) {
            rows.print(printer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    /** A run directory without config.yaml has no dataset on record. */
    private static String datasetName(String dataset) {
        return dataset.isEmpty() ? "?" : dataset;
    }

    static String ours(Stats s) {
        String std = Double.isNaN(s.std()) ? "" : " ± " + fixed(s.std());
        return fixed(s.mean()) + std + " (n=" + s.n() + ")";
    }

    private static String paper(PaperTable.PaperValue v) {
        return v.paper().tag + " " + fixed(v.percent()) + (v.verified() ? VERIFIED : UNVERIFIED);
    }

    private static String markdownRow(List<String> cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    static String fixed(double v) {
        return fixed(v, 2);
    }

    private static String fixed(double v, int decimals) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%." + decimals + "f", v);
    }

    private static String signed(double v) {
        return String.format(Locale.ROOT, "%+.2f", v);
    }

    /** Full precision for CSV, empty for missing. */
    private static String num(double v) {
        return Double.isNaN(v) ? "" : String.format(Locale.ROOT, "%.4f", v);
    }
}
