package org.lra.data.generate;

import org.lra.data.io.AtomicFiles;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Generates the ListOps data set the way {@code lra_benchmarks/data/listops.py} does
 * (docs/reference.md §2.3) and writes it in the LRA release layout (§2.2):
 * {@code basic_train.tsv}, {@code basic_val.tsv}, {@code basic_test.tsv}, each a header row
 * {@code Source<TAB>Target} followed by one expression and its value per row.
 *
 * <p>The sampling procedure is the original one: a node is a digit with probability 0.75
 * (always at {@code max_depth}), otherwise one of MIN/MAX/MED/SM over 2..{@code max_args}
 * sub-trees; a tree is kept when {@code min_length < tokens < max_length} (strict) and its
 * string has not been seen before. Two things differ, neither of which changes the distribution
 * of the data set:
 * <ul>
 *   <li>Randomness comes from {@link SplittableRandom}, not Python's Mersenne Twister, so the
 *       trees themselves differ from the released files. For a given seed the output is
 *       byte-identical whatever the thread count: candidates are drawn in chunks, chunk
 *       {@code k} from its own stream seeded by {@code (seed, k)}, and chunks are merged in
 *       index order.</li>
 *   <li>Rows come out in generation order. The original iterates a Python {@code set}, whose
 *       order is arbitrary, before cutting train/val/test; generation order is just as random
 *       and is reproducible.</li>
 * </ul>
 * A candidate is abandoned as soon as its token count reaches {@code max_length} (it could
 * only be rejected), which is what makes the ~100k-tree default set cheap. Duplicates are
 * detected by a 64-bit hash of the string: equal strings always collide, so no duplicate can
 * get through; a false collision would only skip one valid tree (odds ~1e-10 at 100k trees).
 *
 * <p>Rows end in {@code \r\n} because Python's {@code csv.writer}, which wrote the released
 * files, ends rows that way by default. Files are written under a temporary name and renamed
 * once complete.
 */
public final class ListOpsGenerator {

    /** Name prefix of the released files ({@code --task} flag of the original). */
    public static final String TASK = "basic";
    public static final String HEADER = "Source\tTarget";
    /** Python {@code csv.writer}'s default line terminator. */
    public static final String ROW_END = "\r\n";
    /** Probability that a node below {@code max_depth} is an operator rather than a digit. */
    public static final double VALUE_P = 0.25;

    /** Trees a worker hands back at a time; fixed so that the output does not depend on threads. */
    static final int TREES_PER_CHUNK = 256;

    /**
     * Generation settings; {@link #defaults()} are the flags of the original script.
     *
     * @param train     rows of {@code basic_train.tsv} (96,000)
     * @param val       rows of {@code basic_val.tsv} (2,000)
     * @param test      rows of {@code basic_test.tsv} (2,000)
     * @param minLength keep trees with more tokens than this (500)
     * @param maxLength keep trees with fewer tokens than this (2,000)
     * @param maxDepth  depth of the root is 1; nodes at this depth are always digits (10)
     * @param maxArgs   most arguments of one operator; the least is 2 (10)
     * @param seed      the whole data set is a function of this seed and the other options
     * @param threads   worker threads; 0 means one per available processor. Speed only.
     */
    public record Options(int train, int val, int test, int minLength, int maxLength,
                          int maxDepth, int maxArgs, long seed, int threads) {

        public Options {
            if (train < 1 || val < 1 || test < 1) { // a run needs all three splits
                throw new IllegalArgumentException("train, val and test must each be >= 1, got " + train + ", " + val
                        + ", " + test);
            }
            if (minLength < 0 || maxLength <= minLength + 1) {
                throw new IllegalArgumentException("need 0 <= minLength < maxLength - 1, got minLength " + minLength
                        + ", maxLength " + maxLength);
            }
            if (maxDepth < 2 || maxArgs < 2) {
                throw new IllegalArgumentException("maxDepth and maxArgs must be >= 2, got " + maxDepth + ", " + maxArgs);
            }
            if (threads < 0) {
                throw new IllegalArgumentException("threads must be >= 0, got " + threads);
            }
        }

        public static Options defaults() {
            return new Options(96_000, 2_000, 2_000, 500, 2_000, 10, 10, 0L, 0);
        }

        public Options withSplits(int train, int val, int test) {
            return new Options(train, val, test, minLength, maxLength, maxDepth, maxArgs, seed, threads);
        }

        public Options withLengths(int minLength, int maxLength) {
            return new Options(train, val, test, minLength, maxLength, maxDepth, maxArgs, seed, threads);
        }

        public Options withSeed(long seed) {
            return new Options(train, val, test, minLength, maxLength, maxDepth, maxArgs, seed, threads);
        }

        public Options withThreads(int threads) {
            return new Options(train, val, test, minLength, maxLength, maxDepth, maxArgs, seed, threads);
        }

        int total() {
            return train + val + test;
        }

        int effectiveThreads() {
            return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        }
    }

    /** File name of one split, e.g. {@code basic_train.tsv}. */
    public static String fileName(String split) {
        return TASK + "_" + split + ".tsv";
    }

    /**
     * Draws one tree with the original recursion, without any length filter.
     * {@code generate_tree(1, maxDepth, maxArgs)} in the original.
     */
    public static ListOpsTree randomTree(SplittableRandom random, int maxDepth, int maxArgs) {
        return new TreeSampler(random, maxDepth, maxArgs, Integer.MAX_VALUE).sample();
    }

    /** Writes the three TSV files into {@code outDir} (created if missing). */
    public GenerationSummary generate(Path outDir, Options options) throws IOException {
        long start = System.nanoTime();
        Files.createDirectories(outDir);
        String[] splits = {"train", "val", "test"};
        int[] sizes = {options.train(), options.val(), options.test()};
        Path[] finals = new Path[3];
        Path[] temps = new Path[3];
        for (int i = 0; i < 3; i++) {
            finals[i] = outDir.resolve(fileName(splits[i]));
            temps[i] = outDir.resolve(fileName(splits[i]) + ".tmp");
        }

        long candidates = 0;
        int threads = options.effectiveThreads();
        ExecutorService pool = Executors.newFixedThreadPool(threads, runnable -> {
            Thread thread = new Thread(runnable, "listops-generator");
            thread.setDaemon(true);
            return thread;
        });
        List<BufferedWriter> writers = new ArrayList<>();
        try {
            for (Path temp : temps) {
                writers.add(Files.newBufferedWriter(temp, StandardCharsets.US_ASCII));
            }
            for (BufferedWriter writer : writers) {
                writer.write(HEADER);
                writer.write(ROW_END);
            }

            // Keep a few chunks in flight per thread; take them back strictly in chunk order.
            ArrayDeque<Future<Chunk>> inFlight = new ArrayDeque<>();
            long nextChunk = 0;
            for (; nextChunk < 2L * threads; nextChunk++) {
                inFlight.add(pool.submit(chunkTask(options, nextChunk)));
            }
            Set<Long> seen = new HashSet<>();
            int written = 0;
            int split = 0;
            int writtenInSplit = 0;
            while (written < options.total()) {
                Chunk chunk = await(inFlight.removeFirst());
                inFlight.add(pool.submit(chunkTask(options, nextChunk++)));
                candidates += chunk.candidates();
                for (int i = 0; i < chunk.sources().size() && written < options.total(); i++) {
                    if (!seen.add(chunk.hashes()[i])) {
                        continue;
                    }
                    while (writtenInSplit == sizes[split]) {
                        split++;
                        writtenInSplit = 0;
                    }
                    BufferedWriter writer = writers.get(split);
                    writer.write(chunk.sources().get(i));
                    writer.write('\t');
                    writer.write(Integer.toString(chunk.values()[i]));
                    writer.write(ROW_END);
                    writtenInSplit++;
                    written++;
                }
            }
            inFlight.forEach(future -> future.cancel(true));
            for (BufferedWriter writer : writers) {
                writer.close();
            }
            writers.clear();
            for (int i = 0; i < 3; i++) {
                AtomicFiles.moveIntoPlace(temps[i], finals[i]);
            }
        } finally {
            pool.shutdownNow();
            for (BufferedWriter writer : writers) {
                writer.close();
            }
            for (Path temp : temps) {
                Files.deleteIfExists(temp);
            }
        }

        Map<String, Long> counts = new LinkedHashMap<>();
        for (int i = 0; i < 3; i++) {
            counts.put(splits[i], (long) sizes[i]);
        }
        return new GenerationSummary(outDir, counts, candidates, System.nanoTime() - start);
    }

    // ---------------------------------------------------------------------------------------
    // Work split into chunks

    /** Accepted trees of one chunk, as rows, in the order they were drawn. */
    private record Chunk(List<String> sources, int[] values, long[] hashes, long candidates) {
    }

    private static java.util.concurrent.Callable<Chunk> chunkTask(Options options, long chunkIndex) {
        return () -> {
            SplittableRandom random = new SplittableRandom(Seeds.mix(options.seed(), chunkIndex));
            TreeSampler sampler = new TreeSampler(random, options.maxDepth(), options.maxArgs(), options.maxLength());
            List<String> sources = new ArrayList<>(TREES_PER_CHUNK);
            int[] values = new int[TREES_PER_CHUNK];
            long[] hashes = new long[TREES_PER_CHUNK];
            long candidates = 0;
            while (sources.size() < TREES_PER_CHUNK) {
                if (Thread.currentThread().isInterrupted()) {
                    throw new InterruptedException();
                }
                ListOpsTree tree = sampler.sample();
                candidates++;
                if (tree == null || tree.tokenLength() <= options.minLength()) {
                    continue;
                }
                String source = tree.toLraString();
                values[sources.size()] = tree.value();
                hashes[sources.size()] = Seeds.hash64(source);
                sources.add(source);
            }
            return new Chunk(sources, values, hashes, candidates);
        };
    }

    private static Chunk await(Future<Chunk> future) throws IOException {
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating ListOps trees", e);
        } catch (ExecutionException e) {
            throw new IOException("ListOps generation failed", e.getCause());
        }
    }

    /**
     * The original {@code generate_tree}, plus an early exit: once the running token count
     * reaches {@code lengthLimit} the tree is abandoned and {@link #sample()} returns null.
     */
    private static final class TreeSampler {
        private static final ListOpsTree.Operator[] OPERATORS = ListOpsTree.Operator.values();

        private final SplittableRandom random;
        private final int maxDepth;
        private final int maxArgs;
        private final int lengthLimit;
        private int length;

        TreeSampler(SplittableRandom random, int maxDepth, int maxArgs, int lengthLimit) {
            this.random = random;
            this.maxDepth = maxDepth;
            this.maxArgs = maxArgs;
            this.lengthLimit = lengthLimit;
        }

        ListOpsTree sample() {
            length = 0;
            return node(1);
        }

        private ListOpsTree node(int depth) {
            double r = depth < maxDepth ? random.nextDouble() : 1.0;
            if (r > VALUE_P) {
                length += 1;
                return length >= lengthLimit ? null : new ListOpsTree.Digit(random.nextInt(10));
            }
            length += 2; // the operator token and the closing ']'
            if (length >= lengthLimit) {
                return null;
            }
            int argumentCount = 2 + random.nextInt(maxArgs - 1); // randint(2, max_args), inclusive
            List<ListOpsTree> arguments = new ArrayList<>(argumentCount);
            for (int i = 0; i < argumentCount; i++) {
                ListOpsTree argument = node(depth + 1);
                if (argument == null) {
                    return null;
                }
                arguments.add(argument);
            }
            // The original picks the operator after the arguments; kept for the same draw order.
            ListOpsTree.Operator operator = OPERATORS[random.nextInt(OPERATORS.length)];
            return new ListOpsTree.Operation(operator, arguments);
        }
    }
}
