package org.lra.data.generate;

import java.util.List;

/**
 * One generated Pathfinder image together with the generator's own record of what it drew,
 * so that tests (and curious users) can check the label against the geometry.
 *
 * @param size          side of the square image
 * @param pixels        {@code size × size} gray levels, row-major, as unsigned bytes 0..255
 * @param label         1 when both markers sit on the same target snake, else 0
 * @param paddleMargin  the margin drawn for this image
 * @param targets       the two target snakes, index 0 and 1
 * @param originSnake   index of the target snake whose first paddle carries a marker
 * @param terminalSnake index of the target snake whose last paddle carries the other marker
 * @param distractorSnakes distractor snakes that were actually placed (some may not fit)
 */
public record PathfinderImage(int size, byte[] pixels, int label, int paddleMargin,
                              List<Snake> targets, int originSnake, int terminalSnake,
                              int distractorSnakes) {

    public PathfinderImage {
        targets = List.copyOf(targets);
    }

    /** Gray level 0..255 at (row y, column x). */
    public int pixel(int y, int x) {
        return pixels[y * size + x] & 0xFF;
    }

    /** Where the first marker is centred: the origin tip of {@code targets[originSnake]}. */
    public Point originMarker() {
        return targets.get(originSnake).originTip();
    }

    /** Where the second marker is centred: the terminal tip of {@code targets[terminalSnake]}. */
    public Point terminalMarker() {
        return targets.get(terminalSnake).terminalTip();
    }

    /** A pixel position, row then column, as the original stores coordinates. */
    public record Point(int y, int x) {
    }

    /**
     * One paddle as drawn: it starts at {@code start} and runs {@code paddle_length} pixels
     * along {@code orientation} (radians; 0 points to +x, π/2 to +y).
     */
    public record Paddle(Point start, double orientation) {
    }

    /**
     * A snake, paddles in growth order. The first paddle starts at the snake's origin tip and
     * points inwards; every later paddle starts at its outer end (the original draws it from
     * the newly sampled head back towards the pivot), so the last one starts at the terminal tip.
     */
    public record Snake(List<Paddle> paddles) {
        public Snake {
            paddles = List.copyOf(paddles);
        }

        public Point originTip() {
            return paddles.get(0).start();
        }

        public Point terminalTip() {
            return paddles.get(paddles.size() - 1).start();
        }
    }
}
