package org.lra.cli.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.lra.cli.InputException;

/**
 * The benchmark's results file ({@code --out F}): one CSV row per measured case and engine, merged across runs
 * (a rerun of a case replaces its row, other rows stay), so that a {@code --threads 1} run and a
 * {@code --threads 2} run into the same file give the 1-thread and best-vs-best comparison that {@link #markdown}
 * writes beside it. The sgemm peak ({@code --gemm-peak}) is one more row, engine {@code sgemm}.
 */
final class BenchTable {
    static final String HEADER =
            "engine,attention,seq_len,batch,threads,median_step_ms,p90_step_ms,tokens_per_s,peak_rss_mb,gflop_per_s";
    static final String SGEMM = "sgemm";

    record Entry(String engine, String attention, int seqLen, int batch, int threads, double medianMs, double p90Ms,
                 double tokensPerS, double peakMb, double gflops) {
        String key() {
            return engine + "," + attention + "," + seqLen + "," + batch + "," + threads;
        }

        String csv() {
            return String.format(Locale.ROOT, "%s,%s,%d,%d,%d,%.2f,%.2f,%.0f,%.0f,%.2f", engine, attention, seqLen,
                    batch, threads, medianMs, p90Ms, tokensPerS, peakMb, gflops);
        }
    }

    private final Map<String, Entry> entries = new LinkedHashMap<>();

    /** The rows already in {@code file} (none when it does not exist); a malformed file is an input error. */
    static BenchTable read(Path file) throws IOException {
        BenchTable t = new BenchTable();
        if (!Files.exists(file)) {
            return t;
        }
        List<String> lines = Files.readAllLines(file);
        if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
            throw new InputException(file + ": not a results file of this lra bench step (header must be: " + HEADER
                    + "); choose another --out");
        }
        for (int i = 1; i < lines.size(); i++) {
            String[] f = lines.get(i).split(",");
            try {
                t.put(new Entry(f[0], f[1], Integer.parseInt(f[2]), Integer.parseInt(f[3]), Integer.parseInt(f[4]),
                        Double.parseDouble(f[5]), Double.parseDouble(f[6]), Double.parseDouble(f[7]),
                        Double.parseDouble(f[8]), Double.parseDouble(f[9])));
            } catch (RuntimeException e) {
                throw new InputException(file + " line " + (i + 1) + ": malformed row '" + lines.get(i) + "'");
            }
        }
        return t;
    }

    void put(Entry e) {
        entries.put(e.key(), e);
    }

    String csv() {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        entries.values().stream().sorted(ORDER).forEach(e -> sb.append(e.csv()).append('\n'));
        return sb.toString();
    }

    private static final Comparator<Entry> ORDER = Comparator.comparing(Entry::attention)
            .thenComparingInt(Entry::seqLen).thenComparingInt(Entry::batch).thenComparing(Entry::engine)
            .thenComparingInt(Entry::threads);

    List<Entry> entries() {
        return new ArrayList<>(entries.values());
    }

    Optional<Entry> sgemmPeak() {
        return entries.values().stream().filter(e -> e.engine().equals(SGEMM)).findFirst();
    }

    /** The faster (by tokens/s) of an engine's runs of one case over all thread counts. */
    private Optional<Entry> best(String engine, String attention, int seqLen, int batch) {
        return entries.values().stream().filter(e -> e.engine().equals(engine) && e.attention().equals(attention)
                && e.seqLen() == seqLen && e.batch() == batch).max(Comparator.comparingDouble(Entry::tokensPerS));
    }

    private Optional<Entry> find(String engine, String attention, int seqLen, int batch, int threads) {
        return Optional.ofNullable(entries.get(engine + "," + attention + "," + seqLen + "," + batch + "," + threads));
    }

    /**
     * The side-by-side table: per case, 1 thread against 1 thread, and each engine's best (the faster of its
     * thread counts) against the other's best; peak memory of the best runs; our achieved GFLOP/s beside the
     * sgemm peak.
     */
    String markdown() {
        StringBuilder sb = new StringBuilder();
        Optional<Entry> peak = sgemmPeak();
        peak.ifPresent(p -> sb.append(String.format(Locale.ROOT,
                "sgemm peak (512×512×512, 1 thread, the engine's OpenBLAS): %.1f GFLOP/s%n%n", p.gflops())));
        sb.append("| attention | T | B | tokens/s 1 thread lra / torch | 1-thread ratio | best tokens/s lra (threads) / "
                + "torch (threads) | best ratio | peak MB lra / torch (best runs) | lra GFLOP/s (best) |\n"
                + "|---|---|---|---|---|---|---|---|---|\n");
        Map<String, Entry> cases = new TreeMap<>();
        entries.values().stream().filter(e -> !e.engine().equals(SGEMM)).sorted(ORDER)
                .forEach(e -> cases.putIfAbsent(String.format(Locale.ROOT, "%s,%09d,%06d", e.attention(), e.seqLen(),
                        e.batch()), e));
        for (Entry c : cases.values()) {
            Optional<Entry> o1 = find("lra", c.attention(), c.seqLen(), c.batch(), 1);
            Optional<Entry> t1 = find("torch", c.attention(), c.seqLen(), c.batch(), 1);
            Optional<Entry> ob = best("lra", c.attention(), c.seqLen(), c.batch());
            Optional<Entry> tb = best("torch", c.attention(), c.seqLen(), c.batch());
            String gflops = ob.map(o -> String.format(Locale.ROOT, "%.1f", o.gflops())
                    + peak.map(p -> String.format(Locale.ROOT, " (%.0f%% of peak)", 100 * o.gflops() / p.gflops()))
                    .orElse("")).orElse("—");
            sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %s / %s | %s | %s / %s | %s | %s / %s | %s |%n",
                    c.attention(), c.seqLen(), c.batch(), tok(o1), tok(t1), ratio(o1, t1), tokThreads(ob),
                    tokThreads(tb), ratio(ob, tb), ob.map(e -> fmt(e.peakMb())).orElse("—"),
                    tb.map(e -> fmt(e.peakMb())).orElse("—"), gflops));
        }
        return sb.toString();
    }

    private static String tok(Optional<Entry> e) {
        return e.map(x -> fmt(x.tokensPerS())).orElse("—");
    }

    private static String tokThreads(Optional<Entry> e) {
        return e.map(x -> fmt(x.tokensPerS()) + " (" + x.threads() + ")").orElse("—");
    }

    private static String ratio(Optional<Entry> ours, Optional<Entry> theirs) {
        return ours.isPresent() && theirs.isPresent()
                ? String.format(Locale.ROOT, "%.2fx", ours.get().tokensPerS() / theirs.get().tokensPerS()) : "—";
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.0f", v);
    }
}
