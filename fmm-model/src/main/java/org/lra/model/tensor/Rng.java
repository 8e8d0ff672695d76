package org.lra.model.tensor;

/**
 * Counter-based random numbers: a value is a pure function of (key, index), so dropout masks need no
 * storage (backward recomputes them), do not depend on thread scheduling, and replay exactly after a
 * resume. Mixing is SplitMix64's finaliser, which passes BigCrush as a counter-based generator.
 */
public final class Rng {
    private Rng() {
    }

    public static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
        z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
        return z ^ (z >>> 31);
    }

    /** A stream key from a seed and any number of stream identifiers (step, layer, site). */
    public static long key(long seed, long... ids) {
        long k = mix(seed + 0x9e3779b97f4a7c15L);
        for (long id : ids) {
            k = mix(k ^ (id + 0x9e3779b97f4a7c15L));
        }
        return k;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public static double uniform(long key, long index) {
        return (mix(key + index * 0x9e3779b97f4a7c15L) >>> 11) * 0x1.0p-53;
    }

    /** Standard normal via Box-Muller from two counter draws. */
    public static double normal(long key, long index) {
        double u1 = uniform(key, 2 * index);
        double u2 = uniform(key, 2 * index + 1);
        return Math.sqrt(-2.0 * Math.log(1.0 - u1)) * Math.cos(2.0 * Math.PI * u2);
    }
}
