package org.lra.cli;

/**
 * The most compute threads a command may start here: {@value #PER_CORE} per core this JVM sees. More only
 * thrash, and each worker holds scratch buffers, so an absurd count (a typo'd {@code --threads 10000}) would end
 * in an OutOfMemoryError minutes later instead of one line now. Checked where threads are started (train, eval,
 * bench, the generators), not where they are only written down ({@code sweep --emit} plans for other machines).
 */
public final class ThreadLimit {
    static final int PER_CORE = 4;

    private ThreadLimit() {
    }

    /** Refuses {@code threads} (named {@code what}, e.g. {@code --threads} or {@code threads}) above the limit. */
    public static int check(int threads, String what) {
        int cores = Runtime.getRuntime().availableProcessors();
        int limit = PER_CORE * cores;
        if (threads > limit) {
            throw new InputException(what + " " + threads + " is more than " + PER_CORE + " per core of the " + cores
                    + " here (" + limit + "); more threads than cores only slow a run down");
        }
        return threads;
    }
}
