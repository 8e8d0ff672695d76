package org.lra.data.generate;

import org.lra.data.read.Difficulty;
import java.util.List;

/**
 * All settings of the Pathfinder generator for one resolution and difficulty: the
 * {@code Args} of {@code snakes2_wrapper.py} as LRA customised them (docs/reference.md §2.4 table,
 * taken from the docstrings of {@code lra_benchmarks/data/pathfinder.py}). Lengths are in
 * pixels of the output image.
 *
 * @param windowSize            image side (32, 64 or 128)
 * @param padding               width of the border that the occupancy mask marks as taken
 * @param antialiasScale        paddles and markers are drawn at this multiple, then shrunk
 * @param paddleMargins         free space kept around each paddle; one value is drawn per image
 * @param paddleLength          length of one paddle (dash) of a snake
 * @param paddleThickness       its width; {@code paddleThickness × antialiasScale} must be whole
 * @param markerRadius          radius of the two circular markers
 * @param seedDistance          distance between the first paddles of the two target snakes
 * @param continuity            how strongly a snake resists turning (1 = up to 90° per paddle)
 * @param contourLength         paddles per target snake (6 | 9 | 14)
 * @param distractorLength      paddles per distractor snake ({@code contourLength / 3})
 * @param numDistractorSnakes   distractor snakes per image
 * @param snakeContrasts        brightness of a snake; distractors use it as is
 * @param paddleContrasts       per-paddle factor applied on top of it, target snakes only
 * @param maxPaddleRetrial      retries of one paddle placement (2)
 * @param maxDistractorRetrial  retries of one distractor snake (4)
 * @param useSinglePaddles      also scatter one-paddle distractors until the image is full
 */
public record PathfinderParams(
        int windowSize,
        int padding,
        int antialiasScale,
        List<Integer> paddleMargins,
        int paddleLength,
        double paddleThickness,
        double markerRadius,
        int seedDistance,
        double continuity,
        int contourLength,
        int distractorLength,
        int numDistractorSnakes,
        List<Double> snakeContrasts,
        List<Double> paddleContrasts,
        int maxPaddleRetrial,
        int maxDistractorRetrial,
        boolean useSinglePaddles) {

    /** Resolutions with LRA settings here (the 256 release is not supported). */
    public static final List<Integer> RESOLUTIONS = List.of(32, 64, 128);

    public PathfinderParams {
        paddleMargins = List.copyOf(paddleMargins);
        snakeContrasts = List.copyOf(snakeContrasts);
        paddleContrasts = List.copyOf(paddleContrasts);
        double blownThickness = paddleThickness * antialiasScale;
        if (Math.rint(blownThickness) != blownThickness) {
            // The original raises 'thickness does not break even.' for the same reason.
            throw new IllegalArgumentException("paddleThickness × antialiasScale must be whole, got " + blownThickness);
        }
        if (paddleMargins.isEmpty() || snakeContrasts.isEmpty() || paddleContrasts.isEmpty()) {
            throw new IllegalArgumentException("margin and contrast lists must not be empty");
        }
    }

    /**
     * The LRA settings for {@code resolution} (32, 64 or 128) and {@code difficulty}.
     *
     * <p>{@code distractor_length = contour_length / 3} and {@code num_distractor_snakes =
     * budget / distractor_length} with Python 2 integer division, the budget being 20, 22 or 35
     * paddles for 32, 64, 128. The LRA docstrings give these formulas with contour length 14;
     * we apply them per difficulty (easy at 32: 2-paddle distractors, 10 of them), which keeps
     * the number of distractor paddles roughly constant across difficulties. Whether the
     * released easy/intermediate sets did the same is not recorded ([UNVERIFIED] in §2.4).
     *
     * @param useSinglePaddles {@code Args}' default is true, the wrapper script sets false; LRA's
     *                         choice is not recorded. False is the recommended value.
     */
    public static PathfinderParams forResolution(int resolution, Difficulty difficulty,
                                                 boolean useSinglePaddles) {
        int contourLength = difficulty.contourLength();
        int distractorLength = contourLength / 3;
        switch (resolution) {
            case 32:
                return new PathfinderParams(32, 1, 2, List.of(1), 2, 0.5, 1.5, 7, 1.0,
                        contourLength, distractorLength, 20 / distractorLength,
                        List.of(2.0), List.of(0.75), 2, 4, useSinglePaddles);
            case 64:
                return new PathfinderParams(64, 1, 2, List.of(1), 5, 1.0, 2.5, 12, 1.8,
                        contourLength, distractorLength, 22 / distractorLength,
                        List.of(0.8), List.of(1.0), 2, 4, useSinglePaddles);
            case 128:
                return new PathfinderParams(128, 1, 2, List.of(2, 3), 5, 1.5, 3.0, 20, 1.8,
                        contourLength, distractorLength, 35 / distractorLength,
                        List.of(0.9), List.of(1.0), 2, 4, useSinglePaddles);
            default:
                throw new IllegalArgumentException("resolution must be one of " + RESOLUTIONS + ", got " + resolution);
        }
    }

    /** {@code forResolution(resolution, difficulty, false)}. */
    public static PathfinderParams forResolution(int resolution, Difficulty difficulty) {
        return forResolution(resolution, difficulty, false);
    }

    /**
     * Total paddles the original aims for when single-paddle distractors are on:
     * {@code int(150 / ((7.5 + 13m + 4m²) / 123.5))} for margin {@code m}.
     */
    public static int totalNumPaddles(int margin) {
        return (int) (150 * (1.0 / ((7.5 + 13 * margin + 4 * margin * margin) / 123.5)));
    }

    /**
     * Fields 4.. of a metadata line, after {@code subpath filename img_index label}:
     * {@code continuity contour_length distractor_length paddle_length paddle_thickness
     * paddle_margin n_paddle_contrasts}, printed as Python prints the values LRA set
     * (continuity is a float, {@code 1.0}; a whole thickness was an int, {@code 1}).
     */
    String metadataTail(int margin) {
        return PythonFormat.number(continuity, false) + " " + contourLength + " " + distractorLength + " "
                + paddleLength + " " + PythonFormat.number(paddleThickness, true) + " " + margin + " "
                + paddleContrasts.size();
    }

    /** Python {@code str()} of the few numbers that go into metadata lines. */
    private static final class PythonFormat {
        static String number(double value, boolean wholeAsInt) {
            if (value == Math.rint(value) && Math.abs(value) < 1e15) {
                long whole = (long) value;
                return wholeAsInt ? Long.toString(whole) : whole + ".0";
            }
            return Double.toString(value);
        }
    }
}
