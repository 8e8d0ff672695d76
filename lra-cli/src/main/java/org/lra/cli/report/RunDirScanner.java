package org.lra.cli.report;

import org.lra.cli.rundir.MetricsCsv;
import org.lra.cli.rundir.RunResult;
import org.lra.cli.rundir.RunFiles;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.lra.cli.InputException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Finds run directories (any directory holding a result.json) below a root, however deep, so runs
 * copied back from several machines or cluster jobs can be merged by pointing at a common parent.
 */
public final class RunDirScanner {

    /** result.json may grow fields; the report reads what it knows. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();
    private static final ObjectMapper YAML = new YAMLMapper();

    /** What was found: readable runs, and files that could not be read (reported, not fatal). */
    public record Scan(List<RunDir> runs, List<String> unreadable) {
    }

    private RunDirScanner() {
    }

    public static Scan scan(Path root) {
        if (!Files.isDirectory(root)) {
            throw new InputException("--runs: no such directory: " + root);
        }
        List<RunDir> runs = new ArrayList<>();
        List<String> unreadable = new ArrayList<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path result : files.filter(p -> p.getFileName().toString().equals(RunFiles.RESULT)).sorted().toList()) {
                Path dir = result.getParent();
                try {
                    RunResult r = JSON.treeToValue(labelDeviation(JSON.readValue(result.toFile(), ObjectNode.class), dir),
                            RunResult.class);
                    runs.add(new RunDir(dir, r, dataset(dir), MetricsCsv.read(dir.resolve(RunFiles.METRICS))));
                } catch (IOException | IllegalArgumentException e) {
                    unreadable.add(root.relativize(result) + ": " + firstLine(e.getMessage()));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        runs.sort(Comparator.comparing(r -> r.dir().toString()));
        return new Scan(runs, unreadable);
    }

    /**
     * The run's {@code task.dataset} from the config.yaml the trainer writes beside result.json. Two runs of one
     * task on different datasets (Pathfinder easy and hard, say) must never share a table cell. Empty when the
     * run directory has no config.yaml.
     */
    private static String dataset(Path dir) throws IOException {
        Path config = dir.resolve(RunFiles.CONFIG);
        if (!Files.exists(config)) {
            return "";
        }
        return YAML.readTree(config.toFile()).path("task").path("dataset").asText("");
    }

    /**
     * A run that deviates from the reference protocol in a model knob ({@code model.pooling} other than mean, in its
     * config.yaml) gets it in its row label: {@code band5 [deviation: pooling=cls]}. Tables, plots and the list of
     * unfinished runs key and label runs by name, so such a run never shares a cell with reference runs, is marked
     * wherever its numbers appear, and has no paper value beside it.
     */
    private static ObjectNode labelDeviation(ObjectNode result, Path dir) throws IOException {
        Path config = dir.resolve(RunFiles.CONFIG);
        String pooling = Files.exists(config) ? YAML.readTree(config.toFile()).path("model").path("pooling").asText("mean")
                : "mean";
        if (!pooling.equals("mean") && result.hasNonNull("name")) {
            result.put("name", result.get("name").asText() + " [deviation: pooling=" + pooling + "]");
        }
        // another engine's run (scripts/golden/official_paper.py writes "engine": "official"): a row of its own
        if (result.hasNonNull("engine") && result.hasNonNull("name")) {
            result.put("name", result.get("name").asText() + " [engine: " + result.get("engine").asText() + "]");
        }
        return result;
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }

    /** Reads one run directory's result.json; for the sweep's skip/resume decision. */
    public static RunResult readResult(Path runDir) throws IOException {
        return JSON.readValue(runDir.resolve(RunFiles.RESULT).toFile(), RunResult.class);
    }
}
