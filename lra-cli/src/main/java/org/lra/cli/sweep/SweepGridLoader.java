package org.lra.cli.sweep;

import org.lra.data.DatasetNames;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import org.lra.cli.InputException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Reads a grid YAML strictly (unknown keys are errors) and fills the optional keys' defaults. */
public final class SweepGridLoader {

    /** The file as written; optional keys are null when absent. */
    record GridFile(List<String> tasks, List<String> models, List<Integer> seeds, String configs,
                    LinkedHashMap<String, List<JsonNode>> overrides, String out, Integer parallel, Integer threads,
                    String time, String mem) {
    }

    private static final Pattern SLURM_TIME = Pattern.compile("(\\d+-)?\\d+:\\d{2}(:\\d{2})?");
    private static final Pattern SLURM_MEM = Pattern.compile("\\d+[KMGT]");

    private static final ObjectMapper YAML = YAMLMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    private SweepGridLoader() {
    }

    public static SweepGrid load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new InputException("--grid: no such file: " + file);
        }
        GridFile g;
        try {
            g = YAML.readValue(file.toFile(), GridFile.class);
        } catch (UnrecognizedPropertyException e) {
            throw new InputException(e.getPropertyName() + ": unknown key; known keys: tasks, models, seeds, "
                    + "configs, overrides, out, parallel, threads, time, mem (" + file + ")");
        } catch (JsonMappingException e) {
            String path = e.getPath().stream().map(r -> r.getFieldName() != null ? r.getFieldName()
                    : "[" + r.getIndex() + "]").reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b).orElse("");
            throw new InputException((path.isEmpty() ? "" : path + ": ") + "wrong type or value ("
                    + firstLine(e.getOriginalMessage()) + ") (" + file + ")");
        } catch (JsonProcessingException e) {
            throw new InputException("cannot parse: " + firstLine(e.getOriginalMessage()) + " (" + file + ")");
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage());
        }
        if (g == null) {
            throw new InputException("empty grid file (" + file + ")");
        }
        nonEmpty(g.tasks(), "tasks", file);
        nonEmpty(g.models(), "models", file);
        nonEmpty(g.seeds(), "seeds", file);
        segments(g.tasks(), "tasks", file);
        segments(g.models(), "models", file);
        if (g.configs() == null || g.configs().isBlank()) {
            throw new InputException("configs: required, e.g. \"configs/cpu/{task}/{model}.yaml\" (" + file + ")");
        }
        Map<String, List<JsonNode>> overrides = g.overrides() == null ? Map.of() : g.overrides();
        overrides.forEach((key, values) -> {
            if (values == null || values.isEmpty()) {
                throw new InputException("overrides." + key + ": needs a non-empty list of values (" + file + ")");
            }
        });
        int parallel = positive(g.parallel(), 1, "parallel", file);
        int threads = positive(g.threads(), 1, "threads", file);
        Path out = Path.of(g.out() == null ? "runs" : g.out());
        matches(g.time(), SLURM_TIME, "time", "[days-]hours:minutes:seconds, e.g. 4:00:00 or 1-12:00:00", file);
        matches(g.mem(), SLURM_MEM, "mem", "a size with unit K, M, G or T, e.g. 8G", file);
        return new SweepGrid(List.copyOf(g.tasks()), List.copyOf(g.models()), List.copyOf(g.seeds()), g.configs(),
                overrides, out, parallel, threads, g.time(), g.mem());
    }

    private static void nonEmpty(List<?> list, String key, Path file) {
        if (list == null || list.isEmpty()) {
            throw new InputException(key + ": required, a non-empty list (" + file + ")");
        }
    }

    /** Task and model names become run-directory names below {@code out}: one plain path segment each. */
    private static void segments(List<String> names, String key, Path file) {
        for (String name : names) {
            DatasetNames.segmentProblem(name).ifPresent(problem -> {
                throw new InputException(key + ": name " + problem + " (" + file + ")");
            });
        }
    }

    private static int positive(Integer value, int fallback, String key, Path file) {
        if (value == null) {
            return fallback;
        }
        if (value < 1) {
            throw new InputException(key + ": must be >= 1, got " + value + " (" + file + ")");
        }
        return value;
    }

    /** Written into #SBATCH lines verbatim, so only the forms sbatch accepts pass. */
    private static void matches(String value, Pattern form, String key, String expected, Path file) {
        if (value != null && !form.matcher(value).matches()) {
            throw new InputException(key + ": expected " + expected + ", got '" + value + "' (" + file + ")");
        }
    }

    private static String firstLine(String text) {
        if (text == null) {
            return "";
        }
        int nl = text.indexOf('\n');
        return nl < 0 ? text : text.substring(0, nl);
    }
}
