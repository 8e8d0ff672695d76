package org.lra.model.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;

/**
 * The engine's fixed worker pool. Work is split into {@link #threads()} contiguous chunks, chunk c always
 * going to the same range, so results depend on the thread count but never on scheduling: same seed and
 * thread count give bit-identical weights.
 */
public final class Parallel implements AutoCloseable {

    /** A body over the half-open range [from, to); {@code chunk} is the chunk index (0..threads-1). */
    @FunctionalInterface
    public interface RangeBody {
        void run(int chunk, int from, int to);
    }

    private final int threads;
    private final ExecutorService pool;

    public Parallel(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        }
        this.threads = threads;
        ThreadFactory daemons = r -> {
            Thread t = new Thread(r, "lra-worker");
            t.setDaemon(true);
            return t;
        };
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads - 1, daemons);
    }

    public int threads() {
        return threads;
    }

    /** Runs {@code body} over [0, n) split into at most {@code threads} contiguous chunks; the caller runs chunk 0. */
    public void forRange(int n, RangeBody body) {
        int chunks = Math.min(threads, n);
        if (chunks <= 1) {
            if (n > 0) {
                body.run(0, 0, n);
            }
            return;
        }
        List<Future<?>> futures = new ArrayList<>(chunks - 1);
        for (int c = 1; c < chunks; c++) {
            final int chunk = c;
            final int from = (int) ((long) n * c / chunks);
            final int to = (int) ((long) n * (c + 1) / chunks);
            futures.add(pool.submit(() -> body.run(chunk, from, to)));
        }
        body.run(0, 0, (int) ((long) n / chunks));
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted", e);
            } catch (java.util.concurrent.ExecutionException e) {
                Throwable cause = e.getCause();
                if (cause instanceof RuntimeException re) {
                    throw re;
                }
                if (cause instanceof Error err) {
                    throw err;
                }
                throw new IllegalStateException(cause);
            }
        }
    }

    /** Number of chunks {@link #forRange} uses for n items. */
    public int chunks(int n) {
        return Math.max(1, Math.min(threads, n));
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
