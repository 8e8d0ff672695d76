package org.lra.cli.config;

import org.lra.model.config.SequenceLength;
import org.lra.data.Task;
import java.util.Arrays;
import java.util.List;

/**
 * Which LRA task and which prepared data a run uses, and how much of each split.
 *
 * @param name                listops | text | retrieval | image | pathfinder (decides the reader and the metric)
 * @param dataset             directory name under the data dir, e.g. {@code listops}, {@code listops-cpu},
 *                            {@code pathfinder32-hard}; lets several preparations of one task coexist
 * @param maxLength           inputs are truncated/padded to this many tokens (per document for retrieval)
 * @param trainLimit          use only the first N training examples; 0 = the whole split
 * @param valLimit            same for the dev split
 * @param testLimit           same for the test split
 * @param textValFromTest     Text only: IMDb has no dev split, the reference harness evaluates dev on the
 *                            test set (true = reference behaviour)
 * @param pathfinderSplitSeed Pathfinder only: seed of the 80/10/10 shuffle-split (the reference's was unseeded)
 */
public record TaskConfig(
        String name,
        String dataset,
        int maxLength,
        int trainLimit,
        int valLimit,
        int testLimit,
        boolean textValFromTest,
        long pathfinderSplitSeed) {

    /** Task names in the paper's column order (from {@link Task}, the one source of task facts). */
    public static final List<String> TASKS = Arrays.stream(Task.values()).map(Task::configName).toList();

    /** Sequences are padded to the next power of two of maxLength, as the reference pickles are (2000 -> 2048). */
    public int paddedLength() {
        return SequenceLength.padded(maxLength);
    }
}
