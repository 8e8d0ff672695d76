package org.lra.data.ingest;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.lra.data.Split;
import org.lra.data.Task;

/**
 * What one import did: where the cache is, examples per split, skipped inputs (e.g. 0-byte PNGs), how
 * many source bytes were read and how fast. {@code upToDate} means nothing was done because the cache
 * already matched the settings and the source fingerprint.
 */
public record ImportSummary(String name, Task task, Path cacheDir, Map<Split, Long> counts, List<String> skipped,
                            long sourceBytes, double seconds, String sourceSha256, boolean upToDate) {

    public double megabytesPerSecond() {
        return seconds > 0 ? sourceBytes / 1e6 / seconds : 0;
    }

    @Override
    public String toString() {
        if (upToDate) {
            return name + ": up to date (" + cacheDir + ")";
        }
        return String.format("%s: train %d, val %d, test %d examples; %d skipped; %.1f MB read in %.1f s (%.1f MB/s) -> %s",
                name, counts.get(Split.TRAIN), counts.get(Split.VAL), counts.get(Split.TEST), skipped.size(),
                sourceBytes / 1e6, seconds, megabytesPerSecond(), cacheDir);
    }
}
