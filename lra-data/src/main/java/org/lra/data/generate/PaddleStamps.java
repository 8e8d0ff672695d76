package org.lra.data.generate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders paddles the way {@code draw_line_n_mask} of {@code snakes.py} does (docs/reference.md §2.4
 * step 3) and caches the results.
 *
 * <p>Rendering, at {@code antialias_scale}× on a {@code (2R·aa+1)²} canvas with
 * {@code R = paddle_length + ceil(thickness) + margin}: a line from the centre to
 * {@code ceil(centre + paddle_length·aa·(sin θ, cos θ))}, {@code round(thickness·aa)} pixels wide
 * (PIL's {@code ImageDraw.line}: Bresenham at width 1, otherwise its four-vertex polygon, here
 * filled by pixel-centre inclusion); its mask is that line dilated by a disc of radius
 * {@code margin·aa}. Both are shrunk to {@code (2R+1)²} with {@link LanczosResampler} and
 * divided by 255.
 *
 * <p>Why a cache is exact: the drawing depends on the orientation only through the integer end
 * point of the line on the blown-up canvas, so every orientation that rounds to the same end
 * point gives the same stamp. There are only a few dozen end points per margin.
 * One instance serves one (paddle length, thickness, margin, antialias) combination and may be
 * shared by threads.
 */
final class PaddleStamps {

    private final int paddleLength;
    private final int antialiasScale;
    private final int margin;
    private final int radius;
    private final int blownCentre;
    private final int blownSize;
    private final int blownWidth;
    private final int[] blownDisc;
    private final Map<Integer, PaddleStamp> cache = new ConcurrentHashMap<>();

    PaddleStamps(int paddleLength, double thickness, int margin, int antialiasScale) {
        this.paddleLength = paddleLength;
        this.antialiasScale = antialiasScale;
        this.margin = margin;
        this.radius = paddleLength + (int) Math.ceil(thickness) + margin;
        this.blownCentre = radius * antialiasScale;
        this.blownSize = 2 * radius * antialiasScale + 1;
        this.blownWidth = (int) Math.rint(thickness * antialiasScale);
        this.blownDisc = discOffsets(margin * antialiasScale);
    }

    /** The paddle that starts at the stamp centre and points along {@code orientation} (radians). */
    PaddleStamp stamp(double orientation) {
        double reach = (double) (paddleLength * antialiasScale);
        // translate_coord on the blown-up canvas, literally: ceil(centre + reach·sin θ).
        int headY = (int) Math.ceil(blownCentre + reach * Math.sin(orientation));
        int headX = (int) Math.ceil(blownCentre + reach * Math.cos(orientation));
        int key = headY * blownSize + headX;
        return cache.computeIfAbsent(key, k -> render(headY, headX));
    }

    /**
     * Offsets {@code (dy, dx)} of a disc of radius {@code r}: the original's
     * {@code generate_dilation_struct}, {@code x² + y² <= r²}.
     */
    static int[] discOffsets(int r) {
        List<int[]> offsets = new ArrayList<>();
        for (int dy = -r; dy <= r; dy++) {
            for (int dx = -r; dx <= r; dx++) {
                if (dx * dx + dy * dy <= r * r) {
                    offsets.add(new int[] {dy, dx});
                }
            }
        }
        int[] flat = new int[offsets.size() * 2];
        for (int i = 0; i < offsets.size(); i++) {
            flat[2 * i] = offsets.get(i)[0];
            flat[2 * i + 1] = offsets.get(i)[1];
        }
        return flat;
    }

    private PaddleStamp render(int headY, int headX) {
        int[] blownLine = new int[blownSize * blownSize];
        if (blownWidth <= 1) {
            bresenham(blownLine, blownCentre, blownCentre, headX, headY);
        } else {
            wideLine(blownLine, blownCentre, blownCentre, headX, headY, blownWidth);
        }
        int[] blownMask = new int[blownSize * blownSize];
        for (int y = 0; y < blownSize; y++) {
            for (int x = 0; x < blownSize; x++) {
                if (blownLine[y * blownSize + x] == 0) {
                    continue;
                }
                for (int k = 0; k < blownDisc.length; k += 2) {
                    int yy = y + blownDisc[k];
                    int xx = x + blownDisc[k + 1];
                    if (yy >= 0 && yy < blownSize && xx >= 0 && xx < blownSize) {
                        blownMask[yy * blownSize + xx] = 255;
                    }
                }
            }
        }
        int size = 2 * radius + 1;
        int[] line = LanczosResampler.resize(blownLine, blownSize, blownSize, size, size);
        int[] mask = LanczosResampler.resize(blownMask, blownSize, blownSize, size, size);
        double[] lineValues = new double[line.length];
        double[] maskValues = new double[mask.length];
        for (int i = 0; i < line.length; i++) {
            lineValues[i] = line[i] / 255.0;
            maskValues[i] = mask[i] / 255.0;
        }
        return new PaddleStamp(radius, lineValues, maskValues, seedKernel(mask));
    }

    /**
     * The structuring element of {@code seed_snake}: this mask placed with its centre at
     * {@code (L+m+1, L+m+1)} in a {@code (2(L+m)+1)²} square, cast to uint8 (so only pixels at
     * exactly 255 count), used by {@code cv2.dilate} with its anchor at the square's centre
     * {@code (L+m, L+m)}. Returned as offsets from that anchor.
     */
    private int[] seedKernel(int[] mask) {
        int size = 2 * radius + 1;
        int structSize = 2 * (paddleLength + margin) + 1;
        int structHead = paddleLength + margin + 1;
        int anchor = paddleLength + margin;
        List<Integer> offsets = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int sy = structHead - radius + i;
            for (int j = 0; j < size; j++) {
                int sx = structHead - radius + j;
                if (sy >= 0 && sy < structSize && sx >= 0 && sx < structSize && mask[i * size + j] == 255) {
                    offsets.add(sy - anchor);
                    offsets.add(sx - anchor);
                }
            }
        }
        return offsets.stream().mapToInt(Integer::intValue).toArray();
    }

    /** PIL's one-pixel line: Bresenham from (x0, y0) to (x1, y1), both ends included. */
    private void bresenham(int[] canvas, int x0, int y0, int x1, int y1) {
        int dx = Math.abs(x1 - x0);
        int dy = -Math.abs(y1 - y0);
        int sx = x0 < x1 ? 1 : -1;
        int sy = y0 < y1 ? 1 : -1;
        int error = dx + dy;
        int x = x0;
        int y = y0;
        while (true) {
            setBlown(canvas, x, y);
            if (x == x1 && y == y1) {
                return;
            }
            int twice = 2 * error;
            if (twice >= dy) {
                error += dy;
                x += sx;
            }
            if (twice <= dx) {
                error += dx;
                y += sy;
            }
        }
    }

    /**
     * PIL's wide line ({@code ImagingDrawWideLine}): a quadrilateral whose two long sides are
     * offset from the centre line by rounded multiples of the perpendicular; every pixel whose
     * centre is inside or on it is set.
     */
    private void wideLine(int[] canvas, int x0, int y0, int x1, int y1, int width) {
        int dx = x1 - x0;
        int dy = y1 - y0;
        if (dx == 0 && dy == 0) {
            setBlown(canvas, x0, y0);
            return;
        }
        double length = Math.sqrt((double) dx * dx + (double) dy * dy);
        double half = (width - 1) / 2.0;
        double ratioMax = roundUp(half) / length;
        double ratioMin = roundDown(half) / length;
        int dxMin = roundDown(ratioMin * dy);
        int dxMax = roundDown(ratioMax * dy);
        int dyMin = roundDown(ratioMin * dx);
        int dyMax = roundDown(ratioMax * dx);
        int[][] quad = {
            {x0 - dxMin, y0 + dyMax},
            {x1 - dxMin, y1 + dyMax},
            {x1 + dxMax, y1 - dyMin},
            {x0 + dxMax, y0 - dyMin},
        };
        double area = 0;
        for (int i = 0; i < 4; i++) {
            int[] a = quad[i];
            int[] b = quad[(i + 1) % 4];
            area += (double) a[0] * b[1] - (double) b[0] * a[1];
        }
        if (area == 0) {
            bresenham(canvas, x0, y0, x1, y1);
            return;
        }
        double orientation = Math.signum(area);
        int minX = Integer.MAX_VALUE;
        int maxX = Integer.MIN_VALUE;
        int minY = Integer.MAX_VALUE;
        int maxY = Integer.MIN_VALUE;
        for (int[] v : quad) {
            minX = Math.min(minX, v[0]);
            maxX = Math.max(maxX, v[0]);
            minY = Math.min(minY, v[1]);
            maxY = Math.max(maxY, v[1]);
        }
        for (int y = minY; y <= maxY; y++) {
            for (int x = minX; x <= maxX; x++) {
                boolean inside = true;
                for (int i = 0; i < 4 && inside; i++) {
                    int[] a = quad[i];
                    int[] b = quad[(i + 1) % 4];
                    double cross = (double) (b[0] - a[0]) * (y - a[1]) - (double) (b[1] - a[1]) * (x - a[0]);
                    inside = cross * orientation >= 0;
                }
                if (inside) {
                    setBlown(canvas, x, y);
                }
            }
        }
    }

    private void setBlown(int[] canvas, int x, int y) {
        if (x >= 0 && x < blownSize && y >= 0 && y < blownSize) {
            canvas[y * blownSize + x] = 255;
        }
    }

    /** PIL's ROUND_UP: round half away from zero. */
    private static int roundUp(double f) {
        return (int) (f >= 0.0 ? Math.floor(f + 0.5) : -Math.floor(Math.abs(f) + 0.5));
    }

    /** PIL's ROUND_DOWN: round half toward zero. */
    private static int roundDown(double f) {
        return (int) (f >= 0.0 ? Math.ceil(f - 0.5) : -Math.ceil(Math.abs(f) - 0.5));
    }
}
