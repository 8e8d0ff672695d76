package org.lra.cli.report;

import org.lra.cli.rundir.RunFiles;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.lra.data.DataFormatException;
import org.lra.data.Split;
import org.lra.data.Task;
import org.lra.data.cache.CachedDataset;
import org.lra.data.reference.ReferenceScores;

/**
 * The accuracy table's two reference rows, {@code majority-class} and {@code shortcut}, for every task and dataset
 * that has a cell in the table. The numbers are lra-data's {@link ReferenceScores}; this class only finds the data
 * and lays the rows out.
 *
 * <p>Where the data comes from: for each (task, dataset), the first of these that holds it: {@code <data
 * dir>/<dataset>}, the data dir being the global {@code --data-dir} (else {@code $LRA_DATA_DIR}, else
 * {@code ~/.lra/data}: every command's rule), then each dataset directory the runs' {@code run.json} records
 * ({@code data.dir}). A cache counts only when its manifest's file checksums are those the runs' {@code run.json}
 * recorded (a different dataset under the same name, or one re-generated since, is never scored) and its bytes pass
 * their CRC32C. The splits are cut as the runs' {@code config.yaml} cut them ({@code task.trainLimit},
 * {@code task.testLimit}), so a reference is scored on the examples the runs' test accuracy was. Where no cache
 * qualifies the cells say why ({@code n/a (data not found)}, ...) and the rest of the report is unchanged.
 */
final class ReferenceRows {

    static final String MAJORITY = "majority-class";
    static final String SHORTCUT = "shortcut";
    /** The scale column of a reference row: it belongs to no scale. */
    static final String SCALE = "reference";
    /** A reference the task has none of (the shortcut of any task but ListOps). */
    static final String UNDEFINED = "—";

    /**
     * One task and dataset: the scores, or why there are none.
     *
     * @param scores      null when {@code unavailable} says why
     * @param unavailable the short reason for the cells ({@code data not found}), or null
     * @param source      where the cache was read, or null
     * @param detail      what the note under the table says about the data (where it was read, what was tried)
     */
    record Reference(String task, String dataset, ReferenceScores scores, String unavailable, Path source,
                     String detail) {

        /** True when the task has this kind of reference at all: a majority class always, a shortcut only on ListOps. */
        boolean defined(String kind) {
            return MAJORITY.equals(kind) || Task.LISTOPS.configName().equals(task);
        }

        /** The reference's accuracy in percent, NaN when there is none. */
        double percent(String kind) {
            if (scores == null || !defined(kind)) {
                return Double.NaN;
            }
            ReferenceScores.Score score = MAJORITY.equals(kind) ? scores.majority() : scores.shortcut().orElse(null);
            return score == null ? Double.NaN : 100 * score.accuracy();
        }

        /** What a table cell shows: {@code 16.35}, {@code n/a (data not found)}, or {@code —} for a rule the task lacks. */
        String text(String kind) {
            if (!defined(kind)) {
                return UNDEFINED;
            }
            return scores == null ? "n/a (" + unavailable + ")" : TableFormat.fixed(percent(kind));
        }
    }

    /** One reference row: its kind and, per task, the reference of the dataset it holds. */
    record Row(String kind, Map<String, Reference> cells) {
    }

    static final ReferenceRows NONE = new ReferenceRows(List.of(), List.of());

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final ObjectMapper YAML = new YAMLMapper();

    private final List<Row> rows;
    private final List<Reference> references;

    private ReferenceRows(List<Row> rows, List<Reference> references) {
        this.rows = rows;
        this.references = references;
    }

    /**
     * The reference rows for {@code table}'s cells, from the finished runs among {@code runs}; {@code dataDir} is
     * where to look first (null: only where the runs' run.json says).
     */
    static ReferenceRows of(AccuracyTable table, List<RunDir> runs, Path dataDir) {
        // task -> its datasets, in the order the table's rows show them
        Map<String, LinkedHashSet<String>> datasets = new LinkedHashMap<>();
        for (String task : PaperTable.TASKS) {
            for (AccuracyTable.Row row : table.rows()) {
                AccuracyTable.Cell cell = row.cells().get(task);
                if (cell != null) {
                    datasets.computeIfAbsent(task, t -> new LinkedHashSet<>()).add(cell.dataset());
                }
            }
        }
        List<Reference> references = new ArrayList<>();
        Map<String, List<Reference>> byTask = new LinkedHashMap<>();
        datasets.forEach((task, names) -> {
            for (String dataset : names) {
                List<RunDir> behind = runs.stream().filter(r -> r.result().finished() && task.equals(r.result().task())
                        && dataset.equals(r.dataset())).toList();
                Reference ref = locate(task, dataset, behind, dataDir);
                references.add(ref);
                byTask.computeIfAbsent(task, t -> new ArrayList<>()).add(ref);
            }
        });
        int depth = byTask.values().stream().mapToInt(List::size).max().orElse(0);
        List<Row> rows = new ArrayList<>();
        for (String kind : List.of(MAJORITY, SHORTCUT)) {
            for (int i = 0; i < depth; i++) {
                Map<String, Reference> cells = new LinkedHashMap<>();
                for (Map.Entry<String, List<Reference>> e : byTask.entrySet()) {
                    if (i < e.getValue().size()) {
                        cells.put(e.getKey(), e.getValue().get(i));
                    }
                }
                rows.add(new Row(kind, cells));
            }
        }
        return new ReferenceRows(rows, references);
    }

    List<Row> rows() {
        return rows;
    }

    /** The reference of one task and dataset, when the table has a cell of it. */
    Optional<Reference> reference(String task, String dataset) {
        return references.stream().filter(r -> r.task().equals(task) && r.dataset().equals(dataset)).findFirst();
    }

    /** References of one task, in table order (one per dataset). */
    List<Reference> ofTask(String task) {
        return references.stream().filter(r -> r.task().equals(task)).toList();
    }

    /** The paragraph under the accuracy table: what the rows are, and where each dataset was read. */
    String markdownNote() {
        if (references.isEmpty()) {
            return "";
        }
        StringBuilder md = new StringBuilder("Reference rows, from the data alone: " + MAJORITY
                + " predicts the most frequent train label for every test example; " + SHORTCUT
                + " (ListOps) the most frequent train label of the example's outermost operator, its first token once "
                + "LRA's tokeniser has dropped the brackets (an operator unseen in train, or an expression without one, "
                + "gets the majority class); ties go to the smallest label; " + UNDEFINED + ": none defined for the "
                + "task yet. Scored as the runs are: exact accuracy over their test split.\n");
        for (Reference r : references) {
            md.append("Reference data, ").append(r.task()).append(" / ").append(datasetName(r.dataset())).append(": ")
                    .append(r.detail()).append(".\n");
        }
        return md.toString();
    }

    private static String datasetName(String dataset) {
        return dataset.isEmpty() ? "?" : dataset;
    }

    // ---- finding the data -----------------------------------------------------------------------------------

    /** What a run recorded about its data: the dataset directory, the cache's file checksums, the split limits. */
    private record Recorded(Path dir, Map<String, String> checksums, int trainLimit, int testLimit) {
    }

    private static Reference locate(String task, String dataset, List<RunDir> runs, Path dataDir) {
        Task t;
        try {
            t = Task.fromConfigName(task);
        } catch (IllegalArgumentException e) {
            return unavailable(task, dataset, "unknown task", "unknown task '" + task + "'");
        }
        List<Recorded> recorded = new ArrayList<>();
        for (RunDir run : runs) {
            recorded.add(recorded(run.dir()));
        }
        // one reference stands for all the runs only if they saw the same examples; paths may differ by machine,
        // and a run.json that records no checksums (older, or unreadable) agrees with any
        boolean checksumsDiffer = recorded.stream().map(Recorded::checksums).filter(c -> !c.isEmpty()).distinct().count() > 1;
        boolean limitsDiffer = recorded.stream().map(r -> List.of(r.trainLimit(), r.testLimit())).distinct().count() > 1;
        if (checksumsDiffer || limitsDiffer) {
            return unavailable(task, dataset, "runs differ in data", "the runs behind these cells record different "
                    + (checksumsDiffer ? "data (cache checksums in run.json)" : "task.trainLimit/testLimit")
                    + ", so no one reference stands for them");
        }
        Recorded what = recorded.stream().filter(r -> !r.checksums().isEmpty()).findFirst()
                .orElse(recorded.isEmpty() ? new Recorded(null, Map.of(), 0, 0) : recorded.get(0));
        LinkedHashSet<Path> candidates = new LinkedHashSet<>();
        if (dataDir != null && !dataset.isEmpty()) {
            candidates.add(dataDir.resolve(dataset).toAbsolutePath().normalize());
        }
        recorded.stream().map(Recorded::dir).filter(d -> d != null).forEach(d -> candidates.add(d.toAbsolutePath().normalize()));
        List<String> tried = new ArrayList<>();
        String reason = "data not found";
        for (Path candidate : candidates) {
            if (!Files.isDirectory(candidate)) {
                tried.add(candidate + " (absent)");
                continue;
            }
            String problem;
            try {
                CachedDataset ds = CachedDataset.open(candidate.getParent(), candidate.getFileName().toString());
                if (ds.task() != t) {
                    problem = "holds " + ds.task().configName();
                } else if (!what.checksums().isEmpty() && !what.checksums().equals(checksums(ds.manifest().entries()))) {
                    problem = "other data than the runs trained on: its checksums differ from their run.json";
                } else {
                    List<String> corrupt = ds.verifyChecksums();
                    if (!corrupt.isEmpty()) {
                        problem = "corrupt cache: " + corrupt.get(0);
                    } else {
                        return scored(task, dataset, t, ds, what, candidate);
                    }
                }
            } catch (DataFormatException | IOException e) {
                problem = "unreadable: " + firstLine(e.getMessage());
            }
            tried.add(candidate + " (" + problem + ")");
            reason = problem.startsWith("corrupt") ? "corrupt cache" : "data differs";
        }
        String detail = candidates.isEmpty() ? "not found: the runs' run.json records no data dir; pass --data-dir"
                : "not found: tried " + String.join(", ", tried) + "; pass --data-dir DIR, the dir holding " + dataset;
        return unavailable(task, dataset, reason, detail);
    }

    private static Reference scored(String task, String dataset, Task t, CachedDataset ds, Recorded what, Path at) {
        ReferenceScores scores;
        try {
            scores = ReferenceScores.compute(t, ds.split(Split.TRAIN).firstN(what.trainLimit()),
                    ds.split(Split.TEST).firstN(what.testLimit()));
        } catch (IllegalArgumentException e) {
            return unavailable(task, dataset, "empty train split", at + ": " + e.getMessage());
        }
        String limits = what.trainLimit() > 0 || what.testLimit() > 0
                ? String.format(Locale.ROOT, ", cut as the runs' config (trainLimit %d, testLimit %d)", what.trainLimit(), what.testLimit())
                : "";
        String checked = what.checksums().isEmpty() ? " (the runs' run.json records no checksums to check it against)" : "";
        String majority = "majority class " + scores.majorityLabel() + " (" + scores.majority().correct() + " of "
                + scores.majority().examples() + " test examples)";
        String shortcut = scores.shortcutRule().map(rule -> "; shortcut " + rule.describe() + " ("
                + scores.shortcut().orElseThrow().correct() + " of " + scores.shortcut().orElseThrow().examples() + ")")
                .orElse("");
        return new Reference(task, dataset, scores, null, at, "read from " + at + limits + checked + ": " + majority + shortcut);
    }

    private static Reference unavailable(String task, String dataset, String reason, String detail) {
        return new Reference(task, dataset, null, reason, null, detail);
    }

    /** The run's recorded data; an unreadable or older run.json records none (then any cache found is used). */
    private static Recorded recorded(Path runDir) {
        Path dir = null;
        Map<String, String> sums = Map.of();
        int trainLimit = 0;
        int testLimit = 0;
        try {
            JsonNode data = JSON.readTree(runDir.resolve("run.json").toFile()).path("data");
            if (data.hasNonNull("dir")) {
                dir = Path.of(data.get("dir").asText());
            }
            Map<String, String> manifest = new TreeMap<>();
            data.path("manifest").fields().forEachRemaining(e -> manifest.put(e.getKey(), e.getValue().asText()));
            sums = checksums(manifest);
        } catch (IOException | RuntimeException e) {
            // nothing recorded that can be used
        }
        try {
            JsonNode taskNode = YAML.readTree(runDir.resolve(RunFiles.CONFIG).toFile()).path("task");
            trainLimit = taskNode.path("trainLimit").asInt(0);
            testLimit = taskNode.path("testLimit").asInt(0);
        } catch (IOException | RuntimeException e) {
            // no config.yaml: whole splits
        }
        return new Recorded(dir, sums, trainLimit, testLimit);
    }

    /** The manifest's per-file CRC32C entries: what identifies a cache's content. */
    private static Map<String, String> checksums(Map<String, String> manifest) {
        Map<String, String> sums = new TreeMap<>();
        manifest.forEach((k, v) -> {
            if (k.startsWith("file.") && k.endsWith(".crc32c")) {
                sums.put(k, v);
            }
        });
        return sums;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
