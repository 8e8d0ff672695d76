package org.lra.data.generate;

import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Draws one Pathfinder image: the body of the image loop of {@code from_wrapper} in
 * {@code snakes2.py} (docs/reference.md §2.4 steps 1–5). Thread-safe; one instance per parameter set.
 *
 * <ol>
 *   <li>label ~ U{0,1}; a paddle margin from {@code paddle_margin_list};</li>
 *   <li>two target snakes, started over on a blank image until both reach full length;</li>
 *   <li>distractor snakes, and optionally one-paddle distractors, wherever they fit;</li>
 *   <li>a disc marker at the origin tip of target snake {@code o} (random) and one at the
 *       terminal tip of the same snake (label 1) or of the other one (label 0), each drawn at
 *       {@code antialias_scale}× and Lanczos-shrunk;</li>
 *   <li>the pixelwise maximum of everything, byte-scaled min..max to 0..255 as
 *       {@code scipy.misc.imsave} does.</li>
 * </ol>
 */
public final class PathfinderSampler {

    /** Safety net: the original retries the two target snakes forever. */
    private static final int MAX_TARGET_ATTEMPTS = 100_000;
    /** Seeds stop when fewer than 1% of pixels are free ({@code stop_with_availability}). */
    private static final double STOP_WITH_AVAILABILITY = 0.01;

    private final PathfinderParams params;
    private final Map<Integer, PaddleStamps> stampsByMargin = new ConcurrentHashMap<>();
    private final Map<Integer, Map<PaddleStamp, int[]>> firstSeedCellsByMargin = new ConcurrentHashMap<>();

    public PathfinderSampler(PathfinderParams params) {
        this.params = params;
    }

    public PathfinderParams params() {
        return params;
    }

    /** One image; everything random comes from {@code random}. */
    public PathfinderImage sample(SplittableRandom random) {
        int label = random.nextInt(2);
        List<Integer> margins = params.paddleMargins();
        int margin = margins.size() == 1 ? margins.get(0) : margins.get(random.nextInt(margins.size()));
        PaddleStamps stamps = stampsByMargin.computeIfAbsent(margin, m ->
                new PaddleStamps(params.paddleLength(), params.paddleThickness(), m, params.antialiasScale()));

        Map<PaddleStamp, int[]> firstSeedCells =
                firstSeedCellsByMargin.computeIfAbsent(margin, m -> new ConcurrentHashMap<>());
        SnakeGrower grower = new SnakeGrower(params, margin, stamps, firstSeedCells, random);
        List<PathfinderImage.Snake> targets = null;
        for (int attempt = 0; targets == null; attempt++) {
            if (attempt == MAX_TARGET_ATTEMPTS) {
                throw new IllegalStateException("could not place two target snakes with " + params);
            }
            targets = grower.twoTargetSnakes();
        }

        int distractors = 0;
        if (params.numDistractorSnakes() > 0) {
            distractors = grower.manySnakes(params.numDistractorSnakes(), params.maxDistractorRetrial(),
                    params.distractorLength(), params.snakeContrasts(), STOP_WITH_AVAILABILITY);
        }
        if (params.useSinglePaddles()) {
            int singles = PathfinderParams.totalNumPaddles(margin) - 2 * params.contourLength()
                    - params.numDistractorSnakes() * params.distractorLength();
            grower.manySnakes(singles, params.maxPaddleRetrial(), 1, params.snakeContrasts(), STOP_WITH_AVAILABILITY);
        }

        int originSnake = random.nextInt(2);
        int terminalSnake = label == 1 ? originSnake : 1 - originSnake;
        double[] image = grower.image();
        PathfinderImage.Point origin = targets.get(originSnake).originTip();
        PathfinderImage.Point terminal = targets.get(terminalSnake).terminalTip();
        maxInto(image, disc(origin));
        maxInto(image, disc(terminal));

        return new PathfinderImage(params.windowSize(), byteScale(image), label, margin, targets,
                originSnake, terminalSnake, distractors);
    }

    /**
     * {@code draw_circle}: a disc of radius {@code marker_radius} drawn at
     * {@code antialias_scale}× with its centre on blown-up pixel {@code (y·aa, x·aa)}, shrunk
     * with Lanczos, divided by 255.
     */
    private double[] disc(PathfinderImage.Point centre) {
        int size = params.windowSize();
        int aa = params.antialiasScale();
        int blown = size * aa;
        double radius = params.markerRadius() * aa;
        int[] canvas = new int[blown * blown];
        int reach = (int) Math.ceil(radius);
        for (int i = Math.max(0, centre.y() * aa - reach); i <= Math.min(blown - 1, centre.y() * aa + reach); i++) {
            for (int j = Math.max(0, centre.x() * aa - reach); j <= Math.min(blown - 1, centre.x() * aa + reach); j++) {
                double dy = i - centre.y() * aa;
                double dx = j - centre.x() * aa;
                if (dx * dx + dy * dy <= radius * radius) {
                    canvas[i * blown + j] = 255; // imresize byte-scales the 0/1 disc to 0/255
                }
            }
        }
        int[] small = LanczosResampler.resize(canvas, blown, blown, size, size);
        double[] values = new double[small.length];
        for (int i = 0; i < small.length; i++) {
            values[i] = small[i] / 255.0;
        }
        return values;
    }

    private static void maxInto(double[] target, double[] values) {
        for (int i = 0; i < target.length; i++) {
            target[i] = Math.max(target[i], values[i]);
        }
    }

    /**
     * {@code scipy.misc.bytescale} as used by {@code imsave}: min..max mapped linearly onto
     * 0..255, then {@code +0.5} and truncated (a constant image maps to its offset from min, 0).
     */
    static byte[] byteScale(double[] image) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        for (double v : image) {
            min = Math.min(min, v);
            max = Math.max(max, v);
        }
        double range = max - min;
        if (range == 0) {
            range = 1;
        }
        double scale = 255.0 / range;
        byte[] out = new byte[image.length];
        for (int i = 0; i < image.length; i++) {
            double scaled = Math.min(255.0, Math.max(0.0, (image[i] - min) * scale));
            out[i] = (byte) (int) (scaled + 0.5);
        }
        return out;
    }
}
