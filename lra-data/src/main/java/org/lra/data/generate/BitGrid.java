package org.lra.data.generate;

import java.util.Arrays;

/**
 * A square grid of bits, one {@code long[]} run per row. It exists to make the seed search of
 * the Pathfinder generator (a binary dilation of the occupancy by a paddle-shaped kernel,
 * docs/reference.md §2.4 step 2) cost one shifted OR per kernel offset and row instead of one test per
 * pixel and offset; that search runs for every attempt at a snake, and attempts are many.
 */
final class BitGrid {

    private final int size;
    private final int wordsPerRow;
    private final long[] words;

    BitGrid(int size) {
        this.size = size;
        this.wordsPerRow = (size + 63) >>> 6;
        this.words = new long[size * wordsPerRow];
    }

    void clear() {
        Arrays.fill(words, 0L);
    }

    void set(int y, int x) {
        words[y * wordsPerRow + (x >>> 6)] |= 1L << (x & 63);
    }

    boolean get(int y, int x) {
        return (words[y * wordsPerRow + (x >>> 6)] & (1L << (x & 63))) != 0;
    }

    /**
     * {@code this(y, x) |= source(y + dy, x + dx)} for every cell, reading nothing outside the
     * grid (cells whose source falls outside are left as they are).
     */
    void orShifted(BitGrid source, int dy, int dx) {
        int fromRow = Math.max(0, -dy);
        int toRow = Math.min(size, size - dy);
        for (int y = fromRow; y < toRow; y++) {
            int target = y * wordsPerRow;
            int from = (y + dy) * wordsPerRow;
            for (int w = 0; w < wordsPerRow; w++) {
                words[target + w] |= shiftedWord(source.words, from, w, dx);
            }
        }
    }

    /** Word {@code w} of a row whose bit x is the source row's bit {@code x + dx} (0 beyond it). */
    private long shiftedWord(long[] row, int rowStart, int w, int dx) {
        int wordShift = Math.floorDiv(dx, 64);
        int bitShift = Math.floorMod(dx, 64);
        long low = word(row, rowStart, w + wordShift);
        if (bitShift == 0) {
            return low;
        }
        long high = word(row, rowStart, w + wordShift + 1);
        return (low >>> bitShift) | (high << (64 - bitShift));
    }

    private long word(long[] row, int rowStart, int w) {
        if (w < 0 || w >= wordsPerRow) {
            return 0L;
        }
        long value = row[rowStart + w];
        if (w == wordsPerRow - 1 && (size & 63) != 0) {
            value &= (1L << (size & 63)) - 1; // bits past the last column are not cells
        }
        return value;
    }

    /** Writes the row-major indices {@code y·size + x} of the clear cells to {@code out}. */
    int clearCells(int[] out) {
        int count = 0;
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                if ((words[y * wordsPerRow + (x >>> 6)] & (1L << (x & 63))) == 0) {
                    out[count++] = y * size + x;
                }
            }
        }
        return count;
    }
}
