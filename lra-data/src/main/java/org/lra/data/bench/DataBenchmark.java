package org.lra.data.bench;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Locale;
import java.util.Random;
import java.util.stream.Stream;
import org.lra.data.DataSettings;
import org.lra.data.Split;
import org.lra.data.SplitData;
import org.lra.data.Task;
import org.lra.data.batch.EvalPass;
import org.lra.data.batch.TrainStream;
import org.lra.data.cache.CachedDataset;
import org.lra.data.ingest.ImportSummary;
import org.lra.data.ingest.Importer;
import org.lra.data.read.CifarReader;

/**
 * Measures import speed and batch assembly speed on synthetic files in the real formats (no network,
 * no real data needed): a CIFAR-10 binary directory of full size (60,000 images, 184 MB) and an AAN TSV
 * of {@code pairs} pairs of ~8 KB documents. Run:
 * {@code java -cp <lra-data classes + commons-compress> org.lra.data.bench.DataBenchmark [workDir] [pairs]}.
 * Not a unit test: timings depend on the machine.
 */
public final class DataBenchmark {

    public static void main(String[] args) throws IOException {
        Path work = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("lra-bench");
        int pairs = args.length > 1 ? Integer.parseInt(args[1]) : 6000;
        Path sources = work.resolve("sources");
        Path dataDir = work.resolve("data");
        writeCifar(sources.resolve("cifar-10-batches-bin"));
        writeAan(sources.resolve("tsv_data"), pairs);

        Importer importer = new Importer(dataDir);
        for (Task task : new Task[] {Task.IMAGE, Task.RETRIEVAL}) {
            Path from = task == Task.IMAGE ? sources.resolve("cifar-10-batches-bin") : sources.resolve("tsv_data");
            importer.importTask(task, from, DataSettings.defaults(), true); // warm-up (JIT, page cache)
            ImportSummary s = importer.importTask(task, from, DataSettings.defaults(), true);
            System.out.printf(Locale.ROOT, "import %-9s %8.1f MB in %6.2f s = %7.1f MB/s (%d examples)%n", task.configName(),
                    s.sourceBytes() / 1e6, s.seconds(), s.megabytesPerSecond(), s.counts().values().stream().mapToLong(Long::longValue).sum());
        }

        CachedDataset retrieval = CachedDataset.open(dataDir, "retrieval");
        CachedDataset image = CachedDataset.open(dataDir, "image");
        timeTrain("retrieval 32 x 2 x 4096", retrieval.split(Split.TRAIN), 32, 4096);
        timeTrain("image 256 x 1024", image.split(Split.TRAIN), 256, 1024);
        timeEval("image eval 256 x 1024", image.split(Split.TEST), 256, 1024);
        if (args.length == 0) {
            deleteRecursively(work);
        }
    }

    private static void timeTrain(String what, SplitData data, int batchSize, int seqLen) {
        TrainStream stream = new TrainStream(data, batchSize, seqLen, 0);
        long sink = 0;
        for (int i = 0; i < 200; i++) {
            sink += stream.next().labels()[0];
        }
        int n = 2000;
        long start = System.nanoTime();
        for (int i = 0; i < n; i++) {
            sink += stream.next().labels()[0];
        }
        double ms = (System.nanoTime() - start) / 1e6 / n;
        System.out.printf(Locale.ROOT, "train batch %-24s %7.3f ms/batch  %9.0f examples/s  (%d)%n", what, ms, batchSize / ms * 1000, sink % 2);
    }

    private static void timeEval(String what, SplitData data, int batchSize, int seqLen) {
        EvalPass pass = new EvalPass(data, batchSize, seqLen, true);
        long start = System.nanoTime();
        int batches = 0;
        for (int r = 0; r < 5; r++) {
            for (var b : pass) {
                batches += b.size() > 0 ? 1 : 0;
            }
        }
        double ms = (System.nanoTime() - start) / 1e6 / batches;
        System.out.printf(Locale.ROOT, "eval  batch %-24s %7.3f ms/batch%n", what, ms);
    }

    private static void writeCifar(Path dir) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(0);
        byte[] file = new byte[10_000 * CifarReader.RECORD_BYTES];
        for (String name : new String[] {"data_batch_1", "data_batch_2", "data_batch_3", "data_batch_4", "data_batch_5", "test_batch"}) {
            random.nextBytes(file);
            for (int i = 0; i < 10_000; i++) {
                file[i * CifarReader.RECORD_BYTES] = (byte) random.nextInt(10);
            }
            Files.write(dir.resolve(name + ".bin"), file);
        }
    }

    private static void writeAan(Path dir, int pairs) throws IOException {
        Files.createDirectories(dir);
        Random random = new Random(0);
        String words = "attention transformer citation network we propose method results model language parsing ";
        for (String split : new String[] {"train", "eval", "test"}) {
            int n = split.equals("train") ? pairs : pairs / 10;
            try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(dir.resolve("new_aan_pairs." + split + ".tsv")), 1 << 20)) {
                for (int i = 0; i < n; i++) {
                    StringBuilder line = new StringBuilder();
                    line.append(random.nextBoolean() ? "1.0" : "0.0").append("\tP").append(i).append("\tQ").append(i);
                    for (int d = 0; d < 2; d++) {
                        line.append('\t');
                        int length = 4000 + random.nextInt(8000); // AAN papers: a few KB to over 10 KB
                        for (int written = 0; written < length; written += 12) {
                            int w = random.nextInt(words.length() - 12);
                            line.append(words, w, w + 12);
                        }
                    }
                    line.append('\n');
                    out.write(line.toString().getBytes(StandardCharsets.UTF_8));
                }
            }
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
