package org.lra.data.generate;

/**
 * One rendered paddle, ready to be stamped into an image: the output of the original
 * {@code draw_line_n_mask} before it is placed (docs/reference.md §2.4 step 3).
 *
 * <p>The stamp is a {@code (2·radius+1)²} square whose centre pixel is where the paddle starts;
 * the paddle runs {@code paddle_length} pixels from there in its orientation.
 * {@link #line()} is the antialiased paddle (0..1, before contrast); {@link #mask()} is the
 * paddle dilated by the margin, antialiased the same way — the "occupied" footprint used by the
 * no-crossing test. {@link #seedKernel()} lists, as {@code (dy, dx)} pairs, the offsets at which
 * the mask is exactly 1: the structuring element the original builds from this footprint to
 * find free spots for a new snake's first paddle.
 */
record PaddleStamp(int radius, double[] line, double[] mask, int[] seedKernel) {

    int size() {
        return 2 * radius + 1;
    }

    /** {@code target = max(target, contrast · line)} with the stamp centred at (y, x), clipped. */
    void drawLine(double[] target, int imageSize, int y, int x, double contrast) {
        maxInto(target, imageSize, y, x, line, contrast);
    }

    /** {@code target = max(target, mask)} with the stamp centred at (y, x), clipped. */
    void addMask(double[] target, int imageSize, int y, int x) {
        maxInto(target, imageSize, y, x, mask, 1.0);
    }

    /**
     * The original's no-crossing test, {@code max(mask + paddle_mask) >= 1.8}: true when this
     * paddle's footprint at (y, x) lands on something already occupied.
     */
    boolean crosses(double[] occupancy, int imageSize, int y, int x) {
        int size = size();
        for (int i = 0; i < size; i++) {
            int row = y - radius + i;
            if (row < 0 || row >= imageSize) {
                continue;
            }
            for (int j = 0; j < size; j++) {
                int col = x - radius + j;
                if (col >= 0 && col < imageSize && occupancy[row * imageSize + col] + mask[i * size + j] >= 1.8) {
                    return true;
                }
            }
        }
        return false;
    }

    private void maxInto(double[] target, int imageSize, int y, int x, double[] values, double scale) {
        int size = size();
        for (int i = 0; i < size; i++) {
            int row = y - radius + i;
            if (row < 0 || row >= imageSize) {
                continue;
            }
            for (int j = 0; j < size; j++) {
                int col = x - radius + j;
                if (col >= 0 && col < imageSize) {
                    double value = values[i * size + j] * scale;
                    int index = row * imageSize + col;
                    if (value > target[index]) {
                        target[index] = value;
                    }
                }
            }
        }
    }
}
