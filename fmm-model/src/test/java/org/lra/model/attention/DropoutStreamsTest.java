package org.lra.model.attention;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.lra.model.nn.Dropout;
import org.lra.model.nn.DropoutMask;
import org.lra.model.nn.StepContext;

/**
 * The counter-based dropout masks behave like PyTorch's independent Bernoulli draws: every site of a 2-layer
 * model (embedding, attention probabilities, attention output, MLP hidden and output), in consecutive steps and
 * for neighbouring seeds, drops at rate p, and no two of these masks, and no two elements close together in one
 * mask (the four 16-bit lanes of a group, neighbouring rows), are correlated beyond sampling noise.
 * Training parity with the official code rests on this (results/parity).
 */
class DropoutStreamsTest {
    static final int N = 1 << 16;
    static final double P = 0.1;
    /** Five standard errors of a correlation estimated from N pairs. */
    static final double CORR_LIMIT = 5 / Math.sqrt(N);

    record Site(long seed, long step, int layer, int site) {
        boolean[] drops() {
            long key = new StepContext(null, true, seed, step).dropoutKey(layer, site);
            int threshold = DropoutMask.threshold(P);
            boolean[] d = new boolean[N];
            for (int i = 0; i < N; i++) {
                d[i] = !DropoutMask.keep(key, i, threshold);
            }
            return d;
        }
    }

    static List<Site> modelSites() {
        List<Site> sites = new ArrayList<>();
        for (long seed = 1; seed <= 2; seed++) {
            for (long step = 0; step <= 1; step++) {
                sites.add(new Site(seed, step, Dropout.EMBEDDING_LAYER, Dropout.SITE_EMBEDDING));
                for (int layer = 0; layer < 2; layer++) {
                    sites.add(new Site(seed, step, layer, AttentionDropout.SITE));
                    sites.add(new Site(seed, step, layer, Dropout.SITE_ATTENTION_OUT));
                    sites.add(new Site(seed, step, layer, Dropout.SITE_MLP_HIDDEN));
                    sites.add(new Site(seed, step, layer, Dropout.SITE_MLP_OUT));
                }
            }
        }
        return sites;
    }

    static double correlation(boolean[] a, int aFrom, boolean[] b, int bFrom, int n) {
        double sa = 0, sb = 0, sab = 0;
        for (int i = 0; i < n; i++) {
            int x = a[aFrom + i] ? 1 : 0;
            int y = b[bFrom + i] ? 1 : 0;
            sa += x;
            sb += y;
            sab += x * y;
        }
        double ma = sa / n, mb = sb / n;
        return (sab / n - ma * mb) / Math.sqrt(ma * (1 - ma) * mb * (1 - mb));
    }

    @Test
    void everySiteDropsAtRateP() {
        double se = Math.sqrt(P * (1 - P) / N);
        for (Site s : modelSites()) {
            int dropped = 0;
            for (boolean d : s.drops()) {
                dropped += d ? 1 : 0;
            }
            assertEquals(P, (double) dropped / N, 5 * se, s.toString());
        }
    }

    @Test
    void masksOfDifferentSitesStepsAndSeedsAreUncorrelated() {
        List<Site> sites = modelSites();
        List<boolean[]> masks = sites.stream().map(Site::drops).toList();
        for (int a = 0; a < masks.size(); a++) {
            for (int b = a + 1; b < masks.size(); b++) {
                double r = correlation(masks.get(a), 0, masks.get(b), 0, N);
                assertTrue(Math.abs(r) < CORR_LIMIT, sites.get(a) + " vs " + sites.get(b) + ": r = " + r);
            }
        }
    }

    @Test
    void elementsCloseTogetherInOneMaskAreUncorrelated() {
        boolean[] d = new Site(3, 5, 1, Dropout.SITE_MLP_HIDDEN).drops();
        // lags 1..3 pair lanes of one 64-bit group; 4 neighbouring groups; 32 and 64 neighbouring rows (head dim,
        // model width)
        for (int lag : new int[] {1, 2, 3, 4, 32, 64}) {
            double r = correlation(d, 0, d, lag, N - lag);
            assertTrue(Math.abs(r) < CORR_LIMIT, "lag " + lag + ": r = " + r);
        }
    }
}
