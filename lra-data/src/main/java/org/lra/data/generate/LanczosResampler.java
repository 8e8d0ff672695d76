package org.lra.data.generate;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Resizes an 8-bit grayscale image the way {@code scipy.misc.imresize(..., interp='lanczos')}
 * does, which is Pillow's {@code Image.resize(size, LANCZOS)} (docs/reference.md §2.4: every paddle and
 * marker of the Pathfinder generator is drawn at {@code antialias_scale}× and shrunk this way).
 *
 * <p>This follows Pillow's separable resampler for 8-bit images: a Lanczos-3 kernel stretched
 * by the scale factor, weights normalised per output pixel and turned into 22-bit fixed point,
 * a horizontal pass rounded to 8 bits, then a vertical pass. The only Pillow detail left out is
 * its restriction of the first pass to the rows the second pass needs, which changes nothing
 * in the result.
 */
final class LanczosResampler {

    private static final int PRECISION_BITS = 32 - 8 - 2;
    private static final double SUPPORT = 3.0;

    /** Fixed-point weights of one resize along one axis. */
    private record Coefficients(int[] first, int[] count, int[][] weights) {
    }

    private static final Map<Long, Coefficients> CACHE = new ConcurrentHashMap<>();

    private LanczosResampler() {
    }

    /**
     * Resizes {@code src} ({@code srcHeight × srcWidth}, row-major, values 0..255).
     *
     * @return a new {@code dstHeight × dstWidth} image, values 0..255
     */
    static int[] resize(int[] src, int srcHeight, int srcWidth, int dstHeight, int dstWidth) {
        // An all-zero row stays zero in both passes (weights times 0, plus the rounding half,
        // shifted away), so such rows are skipped: markers are small discs on large canvases.
        boolean[] zeroRow = new boolean[srcHeight];
        for (int y = 0; y < srcHeight; y++) {
            zeroRow[y] = true;
            for (int x = 0; x < srcWidth && zeroRow[y]; x++) {
                zeroRow[y] = src[y * srcWidth + x] == 0;
            }
        }
        int[] horizontal = src;
        if (dstWidth != srcWidth) {
            Coefficients c = coefficients(srcWidth, dstWidth);
            horizontal = new int[srcHeight * dstWidth];
            for (int y = 0; y < srcHeight; y++) {
                if (zeroRow[y]) {
                    continue;
                }
                int row = y * srcWidth;
                for (int x = 0; x < dstWidth; x++) {
                    int[] w = c.weights()[x];
                    int first = c.first()[x];
                    long sum = 1L << (PRECISION_BITS - 1);
                    for (int k = 0; k < c.count()[x]; k++) {
                        sum += (long) src[row + first + k] * w[k];
                    }
                    horizontal[y * dstWidth + x] = clip8(sum);
                }
            }
        }
        if (dstHeight == srcHeight) {
            return horizontal == src ? src.clone() : horizontal;
        }
        Coefficients c = coefficients(srcHeight, dstHeight);
        int[] out = new int[dstHeight * dstWidth];
        for (int y = 0; y < dstHeight; y++) {
            int[] w = c.weights()[y];
            int first = c.first()[y];
            boolean allZero = true;
            for (int k = 0; k < c.count()[y] && allZero; k++) {
                allZero = zeroRow[first + k];
            }
            if (allZero) {
                continue;
            }
            for (int x = 0; x < dstWidth; x++) {
                long sum = 1L << (PRECISION_BITS - 1);
                for (int k = 0; k < c.count()[y]; k++) {
                    sum += (long) horizontal[(first + k) * dstWidth + x] * w[k];
                }
                out[y * dstWidth + x] = clip8(sum);
            }
        }
        return out;
    }

    private static int clip8(long value) {
        if (value >= (1L << PRECISION_BITS << 8)) {
            return 255;
        }
        if (value <= 0) {
            return 0;
        }
        return (int) (value >> PRECISION_BITS);
    }

    private static Coefficients coefficients(int inSize, int outSize) {
        return CACHE.computeIfAbsent(((long) inSize << 32) | outSize, key -> compute(inSize, outSize));
    }

    private static Coefficients compute(int inSize, int outSize) {
        double scale = (double) inSize / outSize;
        double filterScale = Math.max(scale, 1.0);
        double support = SUPPORT * filterScale;
        int[] first = new int[outSize];
        int[] count = new int[outSize];
        int[][] weights = new int[outSize][];
        for (int i = 0; i < outSize; i++) {
            double center = (i + 0.5) * scale;
            int min = Math.max((int) (center - support + 0.5), 0);
            int max = Math.min((int) (center + support + 0.5), inSize);
            int n = max - min;
            double[] w = new double[n];
            double total = 0;
            for (int k = 0; k < n; k++) {
                w[k] = lanczos((k + min - center + 0.5) / filterScale);
                total += w[k];
            }
            int[] fixed = new int[n];
            for (int k = 0; k < n; k++) {
                double normalised = total != 0.0 ? w[k] / total : w[k];
                double scaled = normalised * (1 << PRECISION_BITS);
                fixed[k] = (int) (scaled < 0 ? scaled - 0.5 : scaled + 0.5);
            }
            first[i] = min;
            count[i] = n;
            weights[i] = fixed;
        }
        return new Coefficients(first, count, weights);
    }

    private static double lanczos(double x) {
        return -SUPPORT <= x && x < SUPPORT ? sinc(x) * sinc(x / SUPPORT) : 0.0;
    }

    private static double sinc(double x) {
        if (x == 0.0) {
            return 1.0;
        }
        double px = x * Math.PI;
        return Math.sin(px) / px;
    }
}
