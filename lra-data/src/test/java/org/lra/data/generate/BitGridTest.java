package org.lra.data.generate;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The bit-parallel dilation of the seed search must equal the pixel-by-pixel definition. */
class BitGridTest {

    @Test
    void shiftedOrEqualsNaiveDilationAcrossWordBoundaries() {
        SplittableRandom random = new SplittableRandom(1);
        for (int size : new int[] {5, 32, 64, 100, 128}) {
            BitGrid taken = new BitGrid(size);
            boolean[] naiveTaken = new boolean[size * size];
            for (int i = 0; i < size * size; i++) {
                if (random.nextInt(7) == 0) {
                    naiveTaken[i] = true;
                    taken.set(i / size, i % size);
                }
            }
            int[] kernel = new int[2 * 12];
            for (int k = 0; k < kernel.length; k++) {
                kernel[k] = random.nextInt(-70, 71);
            }
            BitGrid blocked = new BitGrid(size);
            for (int k = 0; k < kernel.length; k += 2) {
                blocked.orShifted(taken, kernel[k], kernel[k + 1]);
            }
            int[] expected = new int[size * size];
            int expectedCount = 0;
            for (int y = 0; y < size; y++) {
                for (int x = 0; x < size; x++) {
                    boolean hit = false;
                    for (int k = 0; k < kernel.length; k += 2) {
                        int yy = y + kernel[k];
                        int xx = x + kernel[k + 1];
                        hit |= yy >= 0 && yy < size && xx >= 0 && xx < size && naiveTaken[yy * size + xx];
                    }
                    if (!hit) {
                        expected[expectedCount++] = y * size + x;
                    }
                }
            }
            int[] actual = new int[size * size];
            int count = blocked.clearCells(actual);
            assertEquals(expectedCount, count, "size " + size);
            assertArrayEquals(java.util.Arrays.copyOf(expected, count), java.util.Arrays.copyOf(actual, count));
        }
    }
}
