package org.lra.data.inspect;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.lra.data.Split;
import org.lra.data.SplitData;
import org.lra.data.Task;
import org.lra.data.cache.CachedDataset;

/**
 * What {@code lra data info} shows about an imported dataset: the settings it was built with, its
 * source and the source's SHA-256, and per split the example count, label histogram, sequence length
 * min/mean/max per tower and the CRC32C of each cache file. Rendered as text or as JSON.
 */
public record DataInfo(String name, Task task, Path dir, Map<String, String> settings, String sourcePath, String sourceSha256,
                       long skipped, List<SplitInfo> splits) {

    public record LengthStats(int min, double mean, int max) {
    }

    public record SplitInfo(Split split, int count, long[] labelCounts, List<LengthStats> lengths, Map<String, String> fileCrc32c) {
    }

    public static DataInfo of(CachedDataset dataset) {
        var manifest = dataset.manifest();
        List<SplitInfo> splits = new ArrayList<>();
        for (Split split : Split.values()) {
            SplitData data = dataset.split(split);
            long[] labels = new long[dataset.task().numClasses()];
            List<LengthStats> lengths = new ArrayList<>();
            for (int t = 0; t < data.towers(); t++) {
                int min = Integer.MAX_VALUE;
                int max = 0;
                long sum = 0;
                for (int i = 0; i < data.size(); i++) {
                    int length = data.length(i, t);
                    min = Math.min(min, length);
                    max = Math.max(max, length);
                    sum += length;
                }
                lengths.add(data.size() == 0 ? new LengthStats(0, 0, 0) : new LengthStats(min, (double) sum / data.size(), max));
            }
            for (int i = 0; i < data.size(); i++) {
                labels[data.label(i)]++;
            }
            Map<String, String> crc = new TreeMap<>();
            for (String file : dataset.dataFiles()) {
                if (file.startsWith(split.fileName() + ".")) {
                    crc.put(file, manifest.get("file." + file + ".crc32c"));
                }
            }
            splits.add(new SplitInfo(split, data.size(), labels, lengths, crc));
        }
        String skipped = manifest.get("skipped.count");
        return new DataInfo(manifest.get("name"), dataset.task(), dataset.dir(), manifest.cacheKey().settings(),
                manifest.get("source.path"), manifest.get("source.sha256"), skipped == null ? 0 : Long.parseLong(skipped), splits);
    }

    public String toText() {
        StringBuilder out = new StringBuilder();
        out.append(name).append(" (").append(task.configName()).append(") at ").append(dir).append('\n');
        out.append("  settings: ").append(settings).append('\n');
        out.append("  source:   ").append(sourcePath).append("\n  sha256:   ").append(sourceSha256).append('\n');
        if (skipped > 0) {
            out.append("  skipped:  ").append(skipped).append(" input files (see manifest.properties)\n");
        }
        for (SplitInfo s : splits) {
            out.append(String.format(Locale.ROOT, "  %-5s %7d examples  labels %s", s.split.fileName(), s.count, Arrays.toString(s.labelCounts)));
            for (int t = 0; t < s.lengths.size(); t++) {
                LengthStats l = s.lengths.get(t);
                out.append(String.format(Locale.ROOT, "  length%s min %d mean %.1f max %d", s.lengths.size() > 1 ? "[" + t + "]" : "", l.min, l.mean, l.max));
            }
            out.append("  crc32c ").append(s.fileCrc32c.values().stream().collect(Collectors.joining(","))).append('\n');
        }
        return out.toString();
    }

    public String toJson() {
        StringBuilder out = new StringBuilder("{");
        out.append("\"name\":").append(Json.string(name));
        out.append(",\"task\":").append(Json.string(task.configName()));
        out.append(",\"dir\":").append(Json.string(dir.toString()));
        out.append(",\"settings\":{").append(settings.entrySet().stream()
                .map(e -> Json.string(e.getKey()) + ":" + Json.string(e.getValue())).collect(Collectors.joining(","))).append('}');
        out.append(",\"source\":").append(Json.string(sourcePath));
        out.append(",\"sourceSha256\":").append(Json.string(sourceSha256));
        out.append(",\"skipped\":").append(skipped);
        out.append(",\"splits\":[");
        for (int k = 0; k < splits.size(); k++) {
            SplitInfo s = splits.get(k);
            out.append(k == 0 ? "" : ",").append("{\"split\":").append(Json.string(s.split.fileName()));
            out.append(",\"count\":").append(s.count);
            out.append(",\"labels\":").append(Arrays.toString(s.labelCounts).replace(" ", ""));
            out.append(",\"lengths\":[").append(s.lengths.stream()
                    .map(l -> String.format(Locale.ROOT, "{\"min\":%d,\"mean\":%.3f,\"max\":%d}", l.min, l.mean, l.max)).collect(Collectors.joining(","))).append(']');
            out.append(",\"crc32c\":{").append(s.fileCrc32c.entrySet().stream()
                    .map(e -> Json.string(e.getKey()) + ":" + Json.string(e.getValue())).collect(Collectors.joining(","))).append("}}");
        }
        return out.append("]}").toString();
    }
}
