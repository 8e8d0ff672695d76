package org.lra.data.generate;

/**
 * Seed derivation and hashing shared by the generators.
 *
 * <p>Both generators give every unit of work (a ListOps chunk, a Pathfinder image) its own
 * random stream seeded by {@code mix(seed, index)}, so the output depends only on the seed and
 * never on how work was spread over threads.
 */
final class Seeds {

    private Seeds() {
    }

    /** A well-mixed 64-bit seed for work unit {@code index} of a run seeded with {@code seed}. */
    static long mix(long seed, long index) {
        return finalizer(finalizer(seed) + 0x9E3779B97F4A7C15L * (index + 1));
    }

    /** 64-bit FNV-1a of the characters, then a finalizer to spread the bits. */
    static long hash64(CharSequence text) {
        long hash = 0xcbf29ce484222325L;
        for (int i = 0; i < text.length(); i++) {
            hash ^= text.charAt(i);
            hash *= 0x100000001b3L;
        }
        return finalizer(hash ^ text.length());
    }

    /** The SplitMix64 / MurmurHash3 finalizer: a bijection on longs with good avalanche. */
    private static long finalizer(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
