package org.lra.data.generate;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Grows snakes of paddles on one image: a port of {@code seed_snake}, {@code extend_snake},
 * {@code get_coords_cmf}, {@code make_snake}, {@code make_many_snakes} ({@code snakes.py}) and
 * {@code initialize_two_seeds}, {@code two_snakes} ({@code snakes2.py}); docs/reference.md §2.4 steps
 * 2–4.
 *
 * <p>The grower owns the image being drawn ({@link #image()}, brightness, may exceed 1 before
 * the final byte-scaling) and the occupancy mask: 1 on a {@code padding}-wide border and the
 * antialiased, margin-dilated footprint of every paddle already committed. A snake grows from a
 * <em>seed</em> paddle; each further paddle pivots at {@code paddle_length + 2·margin} beyond
 * the previous pivot, picks its end point on a circle of radius {@code paddle_length + margin}
 * around the pivot with weight {@code (1 − occupancy dilated by the margin) ·
 * max(cos(min(|Δθ|·continuity, π/2)), 0)²}, and is kept only if its footprint does not cross
 * anything ({@code max(mask + footprint) < 1.8}), with up to {@code max_paddle_retrial} resamples.
 * The footprint of a snake's newest paddle joins the mask only when the next one is placed, so
 * that consecutive paddles may touch.
 *
 * <p>Kept from the original on purpose, although odd: the second target seed is placed without
 * an occupancy check; the two target snakes grow in alternation and each new paddle is checked
 * against a mask that lacks the other snake's newest paddle, so the two targets can touch there
 * (in about a third of 32×32 hard images some pair of same-round paddles lies within 1.5 px;
 * 5 in 1000 end on the same pixel); and after the two target snakes only the second snake's
 * last paddle is added to the mask, so distractors may touch the first snake's last paddle.
 */
final class SnakeGrower {

    /** Occupancy above this counts as taken when looking for free seed positions. */
    private static final double TAKEN = 0.3;

    private final PathfinderParams params;
    private final int size;
    private final int margin;
    private final PaddleStamps stamps;
    private final int[] marginDisc;
    private final SplittableRandom random;
    private final double[] image;
    private final double[] blankMask;
    private double[] mask;
    /** Scratch space of the seed search, reused across attempts. */
    private final BitGrid taken;
    private final BitGrid blocked;
    private final int[] freeCells;
    /**
     * Free cells for the first target seed, by stamp. That search always runs on the blank
     * mask, so its result depends on the orientation only; shared by all growers of a margin.
     */
    private final Map<PaddleStamp, int[]> firstSeedCells;
    /** {@code step·sin} and {@code step·cos} of the candidate angles of {@link #endPoints}. */
    private final double[] circleY;
    private final double[] circleX;
    /** Merges candidates that truncate to the same pixel: cell -> generation last seen. */
    private final int[] seenInGeneration;
    private int generation;

    /** A paddle on the canvas: stamp, where its start pixel is, its orientation and contrast. */
    private record Placed(PaddleStamp stamp, int y, int x, double orientation, double contrast) {
        void draw(double[] image, int size) {
            stamp.drawLine(image, size, y, x, contrast);
        }

        void occupy(double[] mask, int size) {
            stamp.addMask(mask, size, y, x);
        }

        PathfinderImage.Paddle record() {
            return new PathfinderImage.Paddle(new PathfinderImage.Point(y, x), orientation);
        }
    }

    /** Where a growing snake continues from: its last pivot and orientation. */
    private static final class Head {
        int pivotY;
        int pivotX;
        double orientation;

        Head(int pivotY, int pivotX, double orientation) {
            this.pivotY = pivotY;
            this.pivotX = pivotX;
            this.orientation = orientation;
        }
    }

    /** A seed paddle and the pivot its snake continues from. */
    private record Seed(Placed paddle, Head head) {
    }

    SnakeGrower(PathfinderParams params, int margin, PaddleStamps stamps, Map<PaddleStamp, int[]> firstSeedCells,
                SplittableRandom random) {
        this.params = params;
        this.size = params.windowSize();
        this.margin = margin;
        this.stamps = stamps;
        this.marginDisc = PaddleStamps.discOffsets(margin);
        this.random = random;
        this.image = new double[size * size];
        this.blankMask = new double[size * size];
        int pad = params.padding();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if (y < pad || y >= size - pad || x < pad || x >= size - pad) {
                    blankMask[y * size + x] = 1.0;
                }
            }
        }
        this.mask = blankMask.clone();
        this.taken = new BitGrid(size);
        this.blocked = new BitGrid(size);
        this.freeCells = new int[size * size];
        this.firstSeedCells = firstSeedCells;
        this.seenInGeneration = new int[size * size];
        // One sample per pixel of arc: np.arange(0, 360, 360 / (2π·step)) degrees.
        int step = params.paddleLength() + margin;
        double degreesPerPixel = 360.0 / (2 * step * Math.PI);
        int samples = (int) Math.ceil(360.0 / degreesPerPixel);
        this.circleY = new double[samples];
        this.circleX = new double[samples];
        for (int i = 0; i < samples; i++) {
            double radians = i * degreesPerPixel * Math.PI / 180;
            circleY[i] = step * Math.sin(radians);
            circleX[i] = step * Math.cos(radians);
        }
    }

    /** Back to a blank image and a mask holding only the padding border. */
    private void reset() {
        Arrays.fill(image, 0.0);
        mask = blankMask.clone();
    }

    double[] image() {
        return image;
    }

    // ---------------------------------------------------------------------------------------
    // Target snakes (two_snakes)

    /**
     * Clears the canvas and grows the two target snakes of {@code contour_length} paddles,
     * alternating one paddle each. Returns null when any step fails; the original then starts
     * over on a blank image, and so must the caller (by calling this again).
     */
    List<PathfinderImage.Snake> twoTargetSnakes() {
        reset();
        double[] snakeContrast = twoSnakeContrasts();
        Placed[] last = new Placed[2];
        Head[] heads = new Head[2];

        Seed first = sampleSeed(mask, 2 * params.seedDistance(), Double.NaN,
                pick(params.paddleContrasts()) * snakeContrast[0], firstSeedCells);
        if (first == null) {
            return null;
        }
        Seed second = secondSeed(first.paddle(), pick(params.paddleContrasts()) * snakeContrast[1]);
        if (second == null) {
            return null;
        }
        List<List<Placed>> paddles = List.of(new ArrayList<>(), new ArrayList<>());
        Seed[] seeds = {first, second};
        for (int s = 0; s < 2; s++) {
            last[s] = seeds[s].paddle();
            heads[s] = seeds[s].head();
            paddles.get(s).add(last[s]);
        }

        for (int segment = 1; segment < params.contourLength(); segment++) {
            double paddleContrast = pick(params.paddleContrasts());
            for (int s = 0; s < 2; s++) {
                Placed next = extend(heads[s], mask, paddleContrast * snakeContrast[s]);
                if (next == null) {
                    return null;
                }
                last[s].occupy(mask, size);
                last[s] = next;
                paddles.get(s).add(next);
            }
        }
        last[1].occupy(mask, size); // the original adds only the second snake's last paddle
        List<PathfinderImage.Snake> snakes = new ArrayList<>();
        for (List<Placed> snake : paddles) {
            // Drawn only now: attempts mostly fail, and nothing reads the image while growing.
            snake.forEach(paddle -> paddle.draw(image, size));
            snakes.add(new PathfinderImage.Snake(snake.stream().map(Placed::record).toList()));
        }
        return snakes;
    }

    /** {@code snake_contrast_list * 2}, shuffled, first two: one brightness per target snake. */
    private double[] twoSnakeContrasts() {
        List<Double> doubled = new ArrayList<>(params.snakeContrasts());
        doubled.addAll(params.snakeContrasts());
        for (int i = doubled.size() - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Double swap = doubled.get(i);
            doubled.set(i, doubled.get(j));
            doubled.set(j, swap);
        }
        return new double[] {doubled.get(0), doubled.get(1)};
    }

    /**
     * The second target seed: its tail {@code seed_distance} from the first tail in a random
     * direction (rounded half to even like {@code np.round_}), its own random orientation; only
     * the head and pivot are checked to be inside the image.
     */
    private Seed secondSeed(Placed firstSeed, double contrast) {
        int length = params.paddleLength();
        for (int trial = 0; trial <= params.maxPaddleRetrial(); trial++) {
            double orientation = randomOrientation();
            double reversed = reverse(orientation);
            double direction = random.nextInt(360) * Math.PI / 180;
            int tailY = (int) Math.rint(firstSeed.y() + params.seedDistance() * Math.sin(direction));
            int tailX = (int) Math.rint(firstSeed.x() + params.seedDistance() * Math.cos(direction));
            int[] head = translate(tailY, tailX, orientation, length);
            int[] pivot = translate(head[0], head[1], reversed, length + margin);
            if (inside(head) && inside(pivot)) {
                Placed paddle = new Placed(stamps.stamp(orientation), tailY, tailX, orientation, contrast);
                return new Seed(paddle, new Head(pivot[0], pivot[1], orientation));
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------------------
    // Distractor snakes (make_many_snakes, make_snake)

    /**
     * Tries to add {@code count} snakes of {@code segments} paddles, each with up to
     * {@code maxSnakeTrial} retries, giving up on a snake when it does not fit (the original's
     * {@code allow_incomplete=True}). Seeds stop once fewer than {@code stopWithAvailability}
     * of the pixels are free.
     *
     * @return how many snakes were placed
     */
    int manySnakes(int count, int maxSnakeTrial, int segments, List<Double> contrasts, double stopWithAvailability) {
        int placed = 0;
        for (int snake = 0; snake < count; snake++) {
            for (int trial = 0; trial <= maxSnakeTrial; trial++) {
                if (makeSnake(segments, contrasts, stopWithAvailability)) {
                    placed++;
                    break;
                }
            }
        }
        return placed;
    }

    /** One snake, committed to image and mask only if all its paddles fit. */
    private boolean makeSnake(int segments, List<Double> contrasts, double stopWithAvailability) {
        double[] occupancy = mask.clone();
        Seed seed = sampleSeed(occupancy, 1, stopWithAvailability, pick(contrasts), null);
        if (seed == null) {
            return false;
        }
        List<Placed> paddles = new ArrayList<>(segments);
        Placed last = seed.paddle();
        paddles.add(last);
        for (int segment = 1; segment < segments; segment++) {
            Placed next = extend(seed.head(), occupancy, pick(contrasts));
            if (next == null) {
                return false;
            }
            last.occupy(occupancy, size);
            last = next;
            paddles.add(next);
        }
        last.occupy(occupancy, size);
        mask = occupancy;
        for (Placed paddle : paddles) {
            paddle.draw(image, size);
        }
        return true;
    }

    // ---------------------------------------------------------------------------------------
    // The two steps of growth

    /**
     * {@code seed_snake}: a random orientation, then a tail drawn uniformly among the pixels
     * where a paddle footprint of that orientation would not touch the occupancy (a band of
     * {@code band} pixels along the edges counts as occupied). Retried while the head or pivot
     * falls outside the image. Null on failure, or when fewer than
     * {@code stopWithAvailability} of the pixels are free (NaN: never stop).
     */
    private Seed sampleSeed(double[] occupancy, int band, double stopWithAvailability, double contrast,
                            Map<PaddleStamp, int[]> cache) {
        int length = params.paddleLength();
        if (!Double.isNaN(stopWithAvailability)) {
            int free = 0;
            for (double value : occupancy) {
                if (value <= TAKEN) {
                    free++;
                }
            }
            if ((double) free / (size * size) < stopWithAvailability) {
                return null;
            }
        }
        boolean takenReady = false;
        for (int trial = 0; trial <= params.maxPaddleRetrial(); trial++) {
            double orientation = randomOrientation();
            double reversed = reverse(orientation);
            PaddleStamp stamp = stamps.stamp(orientation);
            int[] cells = cache == null ? null : cache.get(stamp);
            int available;
            if (cells != null) {
                available = cells.length;
            } else {
                if (!takenReady) {
                    markTaken(occupancy, band);
                    takenReady = true;
                }
                available = freeSeedPositions(stamp.seedKernel());
                cells = freeCells;
                if (cache != null) {
                    cache.put(stamp, Arrays.copyOf(freeCells, available));
                }
            }
            if (available == 0) {
                return null;
            }
            int tail = cells[random.nextInt(available)];
            int tailY = tail / size;
            int tailX = tail % size;
            int[] head = translate(tailY, tailX, orientation, length);
            int[] pivot = translate(head[0], head[1], reversed, length + margin);
            if (inside(head) && inside(pivot)) {
                Placed paddle = new Placed(stamp, tailY, tailX, orientation, contrast);
                return new Seed(paddle, new Head(pivot[0], pivot[1], orientation));
            }
        }
        return null;
    }

    /** {@link #taken}: occupancy above 0.3, or within {@code band} pixels of the edge. */
    private void markTaken(double[] occupancy, int band) {
        taken.clear();
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                boolean edge = y < band || y >= size - band || x < band || x >= size - band;
                if (edge || occupancy[y * size + x] > TAKEN) {
                    taken.set(y, x);
                }
            }
        }
    }

    /**
     * Pixels {@code p} (row-major, into {@link #freeCells}) where no kernel offset {@code o}
     * has {@code taken(p + o)}: the zeros of {@code cv2.dilate(lined_mask, struct)} thresholded
     * at 0.3.
     */
    private int freeSeedPositions(int[] kernel) {
        blocked.clear();
        for (int k = 0; k < kernel.length; k += 2) {
            blocked.orShifted(taken, kernel[k], kernel[k + 1]);
        }
        return blocked.clearCells(freeCells);
    }

    /**
     * {@code extend_snake}: the next paddle of the snake whose state is {@code head}, which is
     * advanced on success. The paddle's footprint is checked against {@code occupancy} but not
     * added to it (the caller adds the previous paddle's).
     */
    private Placed extend(Head head, double[] occupancy, double contrast) {
        int length = params.paddleLength();
        int[] pivot = translate(head.pivotY, head.pivotX, head.orientation, length + 2 * margin);
        EndPoints endPoints = endPoints(pivot[0], pivot[1], head.orientation, occupancy);
        if (endPoints == null) {
            return null;
        }
        for (int trial = 0; trial <= params.maxPaddleRetrial(); trial++) {
            int index = endPoints.sample(random.nextDouble());
            double orientation = endPoints.orientations[index];
            int endY = endPoints.coordinates[index] / size;
            int endX = endPoints.coordinates[index] % size;
            double drawn = flipByPi(orientation); // drawn from the new end back towards the pivot
            PaddleStamp stamp = stamps.stamp(drawn);
            if (!stamp.crosses(occupancy, size, endY, endX)) {
                head.pivotY = pivot[0];
                head.pivotX = pivot[1];
                head.orientation = orientation;
                return new Placed(stamp, endY, endX, drawn, contrast);
            }
        }
        return null;
    }

    /** Candidate end points with their orientations and cumulative probabilities. */
    private static final class EndPoints {
        final int[] coordinates;
        final double[] orientations;
        final double[] cumulative;

        EndPoints(int[] coordinates, double[] orientations, double[] cumulative) {
            this.coordinates = coordinates;
            this.orientations = orientations;
            this.cumulative = cumulative;
        }

        /** {@code argmax(cmf - r > 0)}: the first index whose cumulative mass exceeds r (else 0). */
        int sample(double r) {
            for (int i = 0; i < cumulative.length; i++) {
                if (cumulative[i] - r > 0) {
                    return i;
                }
            }
            return 0;
        }
    }

    /**
     * {@code get_coords_cmf}: one sample per pixel of arc on the circle of radius
     * {@code paddle_length + margin} around the pivot, truncated to pixels, out-of-image samples
     * dropped, duplicates merged, weighted by free space and by how little the snake would turn.
     * Candidates stay in angle order rather than {@code np.unique}'s row/column order; the
     * order does not change the sampled distribution, and skipping the sort is measurably
     * faster. Null at a dead end (no candidates or total weight below 1e-4).
     */
    private EndPoints endPoints(int pivotY, int pivotX, double lastOrientation, double[] occupancy) {
        int[] found = new int[circleY.length];
        int count = 0;
        generation++;
        for (int i = 0; i < circleY.length; i++) {
            double y = pivotY + circleY[i];
            double x = pivotX + circleX[i];
            if (y >= size || y < 0 || x >= size || x < 0) {
                continue;
            }
            int cell = (int) y * size + (int) x;
            if (seenInGeneration[cell] != generation) {
                seenInGeneration[cell] = generation;
                found[count++] = cell;
            }
        }
        if (count == 0) {
            return null;
        }
        int[] unique = Arrays.copyOf(found, count);
        double[] orientations = new double[unique.length];
        double[] weights = new double[unique.length];
        double total = 0;
        for (int i = 0; i < unique.length; i++) {
            int y = unique[i] / size;
            int x = unique[i] % size;
            orientations[i] = Math.atan2(y - pivotY, x - pivotX);
            double turn = Math.abs(orientations[i] - lastOrientation);
            turn = Math.min(turn, 2 * Math.PI - turn);
            turn = Math.min(turn * params.continuity(), 0.5 * Math.PI);
            double smoothness = Math.pow(Math.max(Math.cos(turn), 0), 2);
            weights[i] = (1 - dilatedOccupancy(occupancy, y, x)) * smoothness;
            total += weights[i];
        }
        if (total < 1e-4) {
            return null;
        }
        double[] cumulative = new double[unique.length];
        double running = 0;
        for (int i = 0; i < unique.length; i++) {
            running += weights[i] / total;
            cumulative[i] = running;
        }
        return new EndPoints(unique, orientations, cumulative);
    }

    /** The occupancy dilated by a disc of radius margin, at one pixel. */
    private double dilatedOccupancy(double[] occupancy, int y, int x) {
        double max = 0;
        for (int k = 0; k < marginDisc.length; k += 2) {
            int yy = y + marginDisc[k];
            int xx = x + marginDisc[k + 1];
            if (yy >= 0 && yy < size && xx >= 0 && xx < size) {
                max = Math.max(max, occupancy[yy * size + xx]);
            }
        }
        return max;
    }

    // ---------------------------------------------------------------------------------------
    // Small helpers, each the namesake of one in the original

    /** {@code np.random.randint(-180, 180)} degrees, in radians. */
    private double randomOrientation() {
        return (random.nextInt(360) - 180) * Math.PI / 180;
    }

    private <T> T pick(List<T> values) {
        return values.size() == 1 ? values.get(0) : values.get(random.nextInt(values.size()));
    }

    /** {@code translate_coord}: move by {@code distance} along the orientation, rounding up. */
    private static int[] translate(double y, double x, double orientation, double distance) {
        return new int[] {
            (int) Math.ceil(y + distance * Math.sin(orientation)),
            (int) Math.ceil(x + distance * Math.cos(orientation)),
        };
    }

    /** The reversed orientation as {@code initialize_two_seeds} / {@code seed_snake} compute it. */
    private static double reverse(double orientation) {
        return orientation + Math.PI < Math.PI ? orientation + Math.PI : orientation - Math.PI;
    }

    /** {@code flip_by_pi}. */
    private static double flipByPi(double orientation) {
        return orientation < 0 ? orientation + Math.PI : orientation - Math.PI;
    }

    private boolean inside(int[] point) {
        return point[0] >= 0 && point[0] < size && point[1] >= 0 && point[1] < size;
    }
}
