package org.lra.data.generate;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.DataSettings;
import org.lra.data.Split;
import org.lra.data.SplitData;
import org.lra.data.Task;
import org.lra.data.cache.CachedDataset;
import org.lra.data.ingest.Importer;
import org.lra.data.read.Difficulty;

/** What the generators write, the importer reads as it reads the real release (from the generator's --out dir). */
class GeneratedDataImportTest {

    @Test
    void generatedPathfinderImportsWithLabelsAndPixelsIntact(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("pf");
        var options = PathfinderGenerator.Options.defaults().withDifficulty(Difficulty.EASY).withCount(40).withThreads(1)
                .withBatchSize(16);
        new PathfinderGenerator().generate(out, options);
        var settings = DataSettings.defaults().withPathfinder(32, Difficulty.EASY).withName("pf-test");
        var summary = new Importer(tmp.resolve("data")).importTask(Task.PATHFINDER, out, settings, true);
        assertEquals(40L, summary.counts().values().stream().mapToLong(Long::longValue).sum());

        CachedDataset ds = CachedDataset.open(tmp.resolve("data"), "pf-test");
        int label1 = 0;
        int total = 0;
        for (Split s : Split.values()) {
            SplitData d = ds.split(s);
            for (int i = 0; i < d.size(); i++) {
                assertEquals(1024, d.length(i, 0), "32x32 pixels");
                label1 += d.label(i);
                total++;
            }
        }
        assertEquals(40, total);
        // labels survive the trip: count of label-1 images equals the generator's own count
        assertEquals(countLabelOnes(options), label1);
    }

    private static int countLabelOnes(PathfinderGenerator.Options options) {
        PathfinderSampler sampler = new PathfinderSampler(options.params());
        int ones = 0;
        for (int i = 0; i < options.count(); i++) {
            ones += PathfinderGenerator.renderImage(sampler, options.seed(), i).label();
        }
        return ones;
    }

    @Test
    void generatedListOpsImportsWithEveryRow(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("lo");
        new ListOpsGenerator().generate(out, ListOpsGenerator.Options.defaults().withSplits(30, 5, 7).withLengths(5, 80)
                .withThreads(1));
        var summary = new Importer(tmp.resolve("data")).importTask(Task.LISTOPS, out,
                DataSettings.defaults().withMaxLength(80).withName("lo-test"), true);
        assertEquals(30L, summary.counts().get(Split.TRAIN));
        assertEquals(5L, summary.counts().get(Split.VAL));
        assertEquals(7L, summary.counts().get(Split.TEST));
    }
}
