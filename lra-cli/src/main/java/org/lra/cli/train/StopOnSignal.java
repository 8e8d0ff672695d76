package org.lra.cli.train;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import org.lra.cli.ExitCodes;
import org.lra.model.train.TrainingListener;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM (Slurm pre-emption, {@code scancel}, {@code kill}) and SIGINT (Ctrl-C) during training: instead of the
 * JVM's default (exit at once, losing up to {@code evalEvery} steps), the handler only records the signal; the
 * training loop sees it at the next step boundary, checkpoints that step and stops
 * ({@link org.lra.model.train.TrainingLoop#stopWhen}). Deterministic: the loop thread decides where to stop.
 *
 * <p>Once the last step's checkpoint is written the JVM's own handlers are back, so a signal during the final
 * test evaluation exits at once ({@code --resume} then repeats only that evaluation).
 * Uses {@code sun.misc.Signal} (module jdk.unsupported), the only way to handle a signal without exiting.
 */
final class StopOnSignal implements BooleanSupplier, TrainingListener, AutoCloseable {
    private static final Map<String, Integer> EXIT_CODES = Map.of(
            "TERM", ExitCodes.SIGTERM, "INT", ExitCodes.SIGINT);

    private final AtomicReference<String> received = new AtomicReference<>();
    private final Map<Signal, SignalHandler> previous = new LinkedHashMap<>();
    private long totalSteps = Long.MAX_VALUE;

    private StopOnSignal() {
    }

    static StopOnSignal install() {
        StopOnSignal s = new StopOnSignal();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal signal = new Signal(name);
            try {
                s.previous.put(signal, Signal.handle(signal, sig -> s.received.compareAndSet(null, sig.getName())));
            } catch (IllegalArgumentException e) {
                // the JVM reserves it here (-Xrs): the default behaviour stays
            }
        }
        return s;
    }

    /** True once a signal arrived. */
    @Override
    public boolean getAsBoolean() {
        return received.get() != null;
    }

    /** "SIGTERM" or "SIGINT". */
    String signalName() {
        return "SIG" + received.get();
    }

    /** 128 + the signal number, what a shell reports for a process the signal killed. */
    int exitCode() {
        return EXIT_CODES.getOrDefault(received.get(), ExitCodes.SIGTERM);
    }

    @Override
    public void onStart(long firstStep, long totalSteps) {
        this.totalSteps = totalSteps;
    }

    @Override
    public void onCheckpoint(long step) {
        if (step == totalSteps && !getAsBoolean()) {
            close();   // training is over; a signal during the test evaluation exits the JVM's way
        }
    }

    /** Puts the JVM's own handlers back. */
    @Override
    public void close() {
        previous.forEach(Signal::handle);
        previous.clear();
    }
}
