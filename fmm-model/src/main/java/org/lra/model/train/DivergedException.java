package org.lra.model.train;

/** The loss became NaN or infinite; the run stops and keeps its last good checkpoint. */
public final class DivergedException extends RuntimeException {
    private final long step;

    public DivergedException(long step, double loss) {
        super("loss is " + loss + " at step " + step + "; the run stopped and kept its last good checkpoint");
        this.step = step;
    }

    public long step() {
        return step;
    }
}
