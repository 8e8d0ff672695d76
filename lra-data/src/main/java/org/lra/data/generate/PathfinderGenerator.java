package org.lra.data.generate;

import org.lra.data.io.AtomicFiles;
import org.lra.data.read.Difficulty;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import javax.imageio.ImageIO;

/**
 * Generates a Pathfinder data set in the {@code lra_release} layout (docs/reference.md §2.2, §2.4):
 * <pre>
 *   &lt;out&gt;/imgs/&lt;b&gt;/sample_&lt;n&gt;.png   8-bit grayscale, resolution × resolution
 *   &lt;out&gt;/metadata/&lt;b&gt;.npy            plain text despite the name, one line per image:
 *       imgs/&lt;b&gt; sample_&lt;n&gt;.png n label continuity contour_length distractor_length
 *       paddle_length paddle_thickness paddle_margin n_paddle_contrasts
 * </pre>
 * Image {@code i} is {@code sample_<i % batchSize>} of batch {@code i / batchSize}, as each
 * batch of the original was one run of the wrapper numbering its images from 0. In the release
 * {@code <out>} is {@code pathfinder<res>/<difficulty dir>}; see {@link #releaseSubdirectory}.
 *
 * <p>The images are drawn by {@link PathfinderSampler}, a port of the original generator
 * (its quirks, such as the two target snakes' newest paddles not being checked against each
 * other, are kept and listed in {@link SnakeGrower}). Where this port departs from the Python:
 * <ul>
 *   <li>Randomness comes from {@link SplittableRandom}, one stream per image seeded by
 *       {@code (seed, image index)}, so the data set is a function of the options alone,
 *       whatever the thread count, and any image can be regenerated with {@link #renderImage}.
 *       Images are therefore not the released ones, only drawn from the same process.</li>
 *   <li>PIL's line drawing is re-implemented ({@link PaddleStamps}: Bresenham at width 1, its
 *       wide-line quadrilateral filled by pixel-centre inclusion otherwise), as is Pillow's
 *       Lanczos resize ({@link LanczosResampler}); both follow Pillow's algorithms but have
 *       not been compared pixel for pixel with Pillow.</li>
 *   <li>Candidate end points are kept in angle order instead of {@code np.unique}'s order,
 *       which does not change the distribution they are sampled from.</li>
 *   <li>The two target snakes are retried at most 100,000 times per image (the original
 *       loops forever); single-paddle distractors are off by default (see
 *       {@link PathfinderParams#forResolution(int, Difficulty, boolean)}).</li>
 *   <li>Metadata is written as text, which is how LRA reads it; the original wrote
 *       {@code np.save} binaries.</li>
 * </ul>
 *
 * <p>Batches are the unit of work on a fixed thread pool. A batch's metadata file is written
 * under a temporary name and renamed only after all its images are on disk, so a metadata
 * file is never partial and never lists a missing image. The generator refuses to write into
 * a directory whose {@code metadata/} already has files.
 */
public final class PathfinderGenerator {

    /**
     * Generation settings.
     *
     * @param resolution   32, 64 or 128
     * @param difficulty   contour length 6, 9 or 14
     * @param count        images to generate
     * @param seed         the data set is a function of this and the other fields except threads
     * @param threads      worker threads; 0 means one per available processor. Speed only.
     * @param batchSize    images per {@code imgs/<b>} directory and metadata file
     * @param singlePaddles also scatter one-paddle distractors; see
     *                     {@link PathfinderParams#forResolution(int, Difficulty, boolean)}
     */
    public record Options(int resolution, Difficulty difficulty, int count, long seed,
                          int threads, int batchSize, boolean singlePaddles) {

        public Options {
            if (!PathfinderParams.RESOLUTIONS.contains(resolution)) {
                throw new IllegalArgumentException("resolution must be one of " + PathfinderParams.RESOLUTIONS
                        + ", got " + resolution);
            }
            if (difficulty == null) {
                throw new IllegalArgumentException("difficulty is required");
            }
            if (count < 0) {
                throw new IllegalArgumentException("count must be >= 0, got " + count);
            }
            if (threads < 0 || batchSize < 1) {
                throw new IllegalArgumentException("need threads >= 0 and batchSize >= 1, got " + threads + ", "
                        + batchSize);
            }
        }

        /** LRA's Pathfinder-32 "hard" set size: 200,000 images in batches of 1,000. */
        public static Options defaults() {
            return new Options(32, Difficulty.HARD, 200_000, 0L, 0, 1_000, false);
        }

        public Options withResolution(int resolution) {
            return new Options(resolution, difficulty, count, seed, threads, batchSize, singlePaddles);
        }

        public Options withDifficulty(Difficulty difficulty) {
            return new Options(resolution, difficulty, count, seed, threads, batchSize, singlePaddles);
        }

        public Options withCount(int count) {
            return new Options(resolution, difficulty, count, seed, threads, batchSize, singlePaddles);
        }

        public Options withSeed(long seed) {
            return new Options(resolution, difficulty, count, seed, threads, batchSize, singlePaddles);
        }

        public Options withThreads(int threads) {
            return new Options(resolution, difficulty, count, seed, threads, batchSize, singlePaddles);
        }

        public Options withBatchSize(int batchSize) {
            return new Options(resolution, difficulty, count, seed, threads, batchSize, singlePaddles);
        }

        public PathfinderParams params() {
            return PathfinderParams.forResolution(resolution, difficulty, singlePaddles);
        }

        int effectiveThreads() {
            return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
        }
    }

    static {
        ImageIO.setUseCache(false); // PNGs are tiny; no temporary files
    }

    /** Where the release keeps this set, e.g. {@code pathfinder32/curv_contour_length_14}. */
    public static String releaseSubdirectory(int resolution, Difficulty difficulty) {
        return "pathfinder" + resolution + "/" + difficulty.directory();
    }

    /** Image {@code index} of the data set with these params and seed, exactly as generated. */
    public static PathfinderImage renderImage(PathfinderSampler sampler, long seed, long index) {
        return sampler.sample(new SplittableRandom(Seeds.mix(seed, index)));
    }

    /** The 8-bit grayscale PNG of an image. */
    public static byte[] encodePng(PathfinderImage image) {
        BufferedImage buffered = new BufferedImage(image.size(), image.size(), BufferedImage.TYPE_BYTE_GRAY);
        buffered.getRaster().setDataElements(0, 0, image.size(), image.size(), image.pixels());
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 * image.pixels().length);
        try {
            if (!ImageIO.write(buffered, "png", out)) {
                throw new IllegalStateException("no PNG writer available");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Writes {@code options.count()} images and their metadata under {@code outDir}. */
    public GenerationSummary generate(Path outDir, Options options) throws IOException {
        long start = System.nanoTime();
        Path metadataDir = outDir.resolve("metadata");
        Files.createDirectories(metadataDir);
        Files.createDirectories(outDir.resolve("imgs"));
        try (Stream<Path> existing = Files.list(metadataDir)) {
            if (existing.findAny().isPresent()) {
                throw new IOException(metadataDir + " is not empty; refusing to mix two generations");
            }
        }

        PathfinderSampler sampler = new PathfinderSampler(options.params());
        int batches = (options.count() + options.batchSize() - 1) / options.batchSize();
        ExecutorService pool = Executors.newFixedThreadPool(options.effectiveThreads(), runnable -> {
            Thread thread = new Thread(runnable, "pathfinder-generator");
            thread.setDaemon(true);
            return thread;
        });
        long labelOnes = 0;
        try {
            List<Future<Integer>> results = new ArrayList<>();
            for (int batch = 0; batch < batches; batch++) {
                int batchId = batch;
                results.add(pool.submit(() -> writeBatch(outDir, sampler, options, batchId)));
            }
            for (Future<Integer> result : results) {
                labelOnes += result.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating Pathfinder images", e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof UncheckedIOException unchecked) {
                throw unchecked.getCause();
            }
            if (cause instanceof IOException io) {
                throw io;
            }
            throw new IOException("Pathfinder generation failed", cause);
        } finally {
            pool.shutdownNow();
        }

        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put("images", (long) options.count());
        counts.put("label1", labelOnes);
        counts.put("batches", (long) batches);
        return new GenerationSummary(outDir, counts, options.count(), System.nanoTime() - start);
    }

    /** One batch: its images, then its metadata file. Returns how many images have label 1. */
    private static int writeBatch(Path outDir, PathfinderSampler sampler, Options options, int batch)
            throws IOException {
        String subpath = "imgs/" + batch;
        Path imageDir = outDir.resolve(subpath);
        Files.createDirectories(imageDir);
        int first = batch * options.batchSize();
        int last = Math.min(options.count(), first + options.batchSize());
        StringBuilder metadata = new StringBuilder();
        int labelOnes = 0;
        for (int index = first; index < last; index++) {
            if (Thread.currentThread().isInterrupted()) {
                throw new IOException("interrupted");
            }
            PathfinderImage image = renderImage(sampler, options.seed(), index);
            int n = index - first;
            String fileName = "sample_" + n + ".png";
            Files.write(imageDir.resolve(fileName), encodePng(image));
            metadata.append(subpath).append(' ').append(fileName).append(' ').append(n).append(' ')
                    .append(image.label()).append(' ').append(sampler.params().metadataTail(image.paddleMargin()))
                    .append('\n');
            labelOnes += image.label();
        }
        Path metadataFile = outDir.resolve("metadata").resolve(batch + ".npy");
        // The batch's metadata file, written last and atomically, is what makes its images part of the set.
        AtomicFiles.write(metadataFile, metadata.toString());
        return labelOnes;
    }
}
