package org.lra.cli.sweep;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A sweep: the cross product of tasks × models × override values × seeds.
 *
 * @param tasks     task names, substituted for {task} in the config template
 * @param models    model labels, substituted for {model}
 * @param seeds     one run per seed
 * @param configs   config path template, e.g. {@code configs/cpu/{task}/{model}.yaml}, relative to the working dir
 * @param overrides extra grid axes: config key → values, each applied as {@code --set key=value} (file order kept)
 * @param out       parent of the run directories
 * @param parallel  runs at a time on this machine (local execution)
 * @param threads   compute threads per run
 * @param time      Slurm time limit per array task ({@code --time}, e.g. {@code 4:00:00}); null = estimated
 * @param mem       Slurm memory per array task ({@code --mem}, e.g. {@code 8G}); null = estimated
 */
public record SweepGrid(List<String> tasks, List<String> models, List<Integer> seeds, String configs,
                        Map<String, List<JsonNode>> overrides, Path out, int parallel, int threads,
                        String time, String mem) {

    /** The grid with another thread count per run ({@code lra sweep --threads N}). */
    public SweepGrid withThreads(int newThreads) {
        return new SweepGrid(tasks, models, seeds, configs, overrides, out, parallel, newThreads, time, mem);
    }
}
