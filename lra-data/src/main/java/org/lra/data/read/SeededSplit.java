package org.lra.data.read;

import java.util.Random;

/**
 * The one seeded splitting rule used wherever the release has no split of its own (Pathfinder, and
 * IMDb validation when not taken from test). Examples are first put in a deterministic order (sorted
 * paths); a permutation is drawn by a Fisher-Yates shuffle driven by {@code java.util.Random(seed)},
 * whose algorithm the Java specification fixes, so the same seed gives the same split on every JVM.
 * The first 80% of the permuted positions go to train, the next 10% to val, the rest to test.
 */
public final class SeededSplit {
    private SeededSplit() {
    }

    /** {@code permutation[k]} is the index of the example at shuffled position k. */
    public static int[] permutation(int n, long seed) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        Random random = new Random(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = p[i];
            p[i] = p[j];
            p[j] = t;
        }
        return p;
    }

    /** For each example: 0 = train, 1 = val, 2 = test, by the 80/10/10 rule above. */
    public static int[] eightyTenTen(int n, long seed) {
        int[] p = permutation(n, seed);
        int trainEnd = (int) (n * 8L / 10);
        int valEnd = trainEnd + (int) (n / 10L);
        int[] part = new int[n];
        for (int k = 0; k < n; k++) {
            part[p[k]] = k < trainEnd ? 0 : k < valEnd ? 1 : 2;
        }
        return part;
    }

    /** True for the tenth of the examples (rounded down) at the first permuted positions. */
    public static boolean[] holdOutTenth(int n, long seed) {
        int[] p = permutation(n, seed);
        boolean[] held = new boolean[n];
        for (int k = 0; k < n / 10; k++) {
            held[p[k]] = true;
        }
        return held;
    }
}
