package org.lra.cli.sweep;

import org.lra.cli.config.RunConfig;
import java.util.LinkedHashMap;
import java.util.HashMap;
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
     * sweep before any JVM starts (exit 2) instead of failing N child runs. The resolved configs, one per run in
     * plan order, are what the sweep's other steps read (data check, Slurm limits, status): a grid is resolved once.
     */
    public static Map<PlannedRun, RunConfig> checkConfigs(List<PlannedRun> runs) {
        Map<Map.Entry<Path, List<String>>, RunConfig> cells = new HashMap<>();
        Map<PlannedRun, RunConfig> resolved = new LinkedHashMap<>();
        for (PlannedRun run : runs) {
            resolved.put(run, cells.computeIfAbsent(Map.entry(run.config(), run.sets()), SweepPlanner::resolve));
        }
        return resolved;
    }

    private static RunConfig resolve(Map.Entry<Path, List<String>> cell) {
        if (!Files.isRegularFile(cell.getKey())) {
            throw new InputException("configs: no such file: " + cell.getKey());
        }
        try {
            return ConfigLoader.load(cell.getKey(), cell.getValue());
        } catch (ConfigException ex) {
            throw new ConfigException(ex.getMessage() + " [in sweep run config " + cell.getKey()
                    + (cell.getValue().isEmpty() ? "" : " with --set " + String.join(" ", cell.getValue())) + "]");
        }
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
