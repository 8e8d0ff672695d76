package org.lra.data.generate;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * What a generator wrote, for the command line to print.
 *
 * @param outDir    the directory the data set was written to
 * @param counts    named counts, in a stable order (ListOps: {@code train}, {@code val},
 *                  {@code test}; Pathfinder: {@code images}, {@code label1}, {@code batches})
 * @param attempts  candidates generated to get there (ListOps: trees including those rejected
 *                  by the length filter or as duplicates; Pathfinder: images, i.e. the count)
 * @param elapsedNanos wall-clock time of the whole run, writing included
 */
public record GenerationSummary(Path outDir, Map<String, Long> counts, long attempts, long elapsedNanos) {

    public GenerationSummary {
        counts = Collections.unmodifiableMap(new LinkedHashMap<>(counts));
    }

    /** The count of that name; fails loudly on a name this summary does not have. */
    public long count(String name) {
        Long value = counts.get(name);
        if (value == null) {
            throw new IllegalArgumentException("no count named " + name + " in " + counts.keySet());
        }
        return value;
    }

    /** One line for the command line, e.g. {@code train 300, val 60, test 40; 2113 candidates in 0.2 s -> DIR}. */
    public String describe() {
        StringJoiner named = new StringJoiner(", ");
        counts.forEach((name, n) -> named.add(name + " " + n));
        return String.format(Locale.ROOT, "%s; %d candidates in %.1f s -> %s", named, attempts, elapsedNanos / 1e9, outDir);
    }
}
