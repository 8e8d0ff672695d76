package org.lra.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;
import org.lra.cli.InputException;
import org.lra.cli.config.ConfigException;
import org.lra.cli.config.ConfigJson;
import org.lra.cli.config.ConfigLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Expands a grid into runs: deterministic ids, deterministic order (grid list order, seeds innermost). */
public final class SweepPlanner {

    private SweepPlanner() {
    }

    public static List<PlannedRun> expand(SweepGrid grid) {
        List<List<String>> combos = overrideCombinations(grid.overrides());
        List<PlannedRun> runs = new ArrayList<>();
        for (String task : grid.tasks()) {
            for (String model : grid.models()) {
                Path config = Path.of(grid.configs().replace("{task}", task).replace("{model}", model));
                for (List<String> sets : combos) {
                    for (int seed : grid.seeds()) {
                        String id = task + "__" + model + "__s" + seed
                                + (sets.isEmpty() ? "" : "__" + overridesSuffix(sets));
                        runs.add(new PlannedRun(id, task, model, seed, config, sets, grid.out().resolve(id)));
                    }
                }
            }
        }
        long distinct = runs.stream().map(PlannedRun::id).distinct().count();
        if (distinct != runs.size()) {
            throw new InputException("the grid lists a task, model, seed or override value twice");
        }
        return runs;
    }

    /**
     * Resolves every distinct (config, sets) pair once, so a typo in a config or an override fails the whole
     * sweep before any JVM starts (exit 2) instead of failing N child runs.
     */
    public static void checkConfigs(List<PlannedRun> runs) {
        runs.stream().map(r -> Map.entry(r.config(), r.sets())).distinct().forEach(e -> {
            if (!Files.isRegularFile(e.getKey())) {
                throw new InputException("configs: no such file: " + e.getKey());
            }
            try {
                ConfigLoader.load(e.getKey(), e.getValue());
            } catch (ConfigException ex) {
                throw new ConfigException(ex.getMessage() + " [in sweep run config " + e.getKey()
                        + (e.getValue().isEmpty() ? "" : " with --set " + String.join(" ", e.getValue())) + "]");
            }
        });
    }

    /** Cartesian product of the override axes, first key outermost; one empty list when there are none. */
    static List<List<String>> overrideCombinations(Map<String, List<JsonNode>> overrides) {
        List<List<String>> combos = new ArrayList<>();
        combos.add(List.of());
        for (Map.Entry<String, List<JsonNode>> axis : overrides.entrySet()) {
            List<List<String>> next = new ArrayList<>();
            for (List<String> prefix : combos) {
                for (JsonNode value : axis.getValue()) {
                    List<String> combo = new ArrayList<>(prefix);
                    combo.add(axis.getKey() + "=" + setValue(value));
                    next.add(List.copyOf(combo));
                }
            }
            combos = next;
        }
        return combos;
    }

    /** Scalars as plain text; lists and maps as JSON flow syntax, which --set parses as YAML. */
    static String setValue(JsonNode value) {
        return value.isValueNode() ? value.asText() : value.toString();
    }

    /** Short stable hash of the override assignments: same overrides, same directory, on any machine. */
    static String overridesSuffix(List<String> sets) {
        return ConfigJson.shortSha256(String.join("\n", sets)).substring(0, 8);
    }
}
