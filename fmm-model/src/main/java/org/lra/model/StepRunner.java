package org.lra.model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.lra.data.Batch;
import org.lra.model.checkpoint.Checkpoint;
import org.lra.model.checkpoint.CheckpointFormatException;
import org.lra.model.config.Pooling;
import org.lra.model.config.TrainingConfig;
import org.lra.model.nn.StepContext;
import org.lra.model.optim.AdamW;
import org.lra.model.optim.LrSchedule;
import org.lra.model.tensor.Parallel;

/**
 * One optimiser step, shared by the trainer and the benchmark:
 * zero grads → forward + backward → clip → lr and β1 from the schedule → AdamW update.
 *
 * <p>The step index is the optimiser's update count, so it survives a checkpoint round trip; with the run's
 * seed it keys every dropout mask, which is why a resumed run replays the same masks.
 */
public final class StepRunner {

    /** What one step did. {@code step} is the 0-based index of this update; lr and β1 are the values used. */
    public record StepStats(long step, double loss, int correct, int size, double lr, double beta1,
                            double gradNorm) {
        public double accuracy() {
            return size == 0 ? 0 : (double) correct / size;
        }
    }

    private final Model model;
    private final AdamW optimizer;
    private final LrSchedule schedule;
    private final Parallel pool;
    private final long seed;
    private final double gradClip;

    /** @param gradClip global L2 norm limit; 0 disables clipping */
    public StepRunner(Model model, AdamW optimizer, LrSchedule schedule, Parallel pool, long seed, double gradClip) {
        this.model = model;
        this.optimizer = optimizer;
        this.schedule = schedule;
        this.pool = pool;
        this.seed = seed;
        this.gradClip = gradClip;
    }

    /** AdamW and schedule as the training config says. */
    public static StepRunner create(Model model, TrainingConfig cfg, Parallel pool, long seed) {
        return new StepRunner(model, AdamW.from(model.parameters(), cfg), LrSchedule.of(cfg), pool, seed,
                cfg.gradClip());
    }

    public StepStats step(Batch batch) {
        long step = optimizer.steps();
        model.parameters().zeroGrads();
        Model.Result r = model.forwardBackward(new StepContext(pool, true, seed, step), batch);
        double norm = AdamW.clipGradNorm(pool, model.parameters(), gradClip);
        double lr = schedule.lr(step);
        double beta1 = schedule.beta1(step);
        optimizer.update(pool, lr, beta1);
        return new StepStats(step, r.loss(), r.correct(), r.size(), lr, beta1, norm);
    }

    /** Dev/test: the model's forward-only evaluation path, with the run's seed. */
    public Model.Result evaluate(Batch batch) {
        return model.evaluate(pool, seed, batch);
    }

    /** Updates done so far = index of the next step. */
    public long steps() {
        return optimizer.steps();
    }

    /**
     * Checkpoint key of the model's pooling. Pooling has no parameters of its own, so the parameter shapes cannot
     * tell a mean-pooled model from a cls one; this key can. Checkpoints from before it pooled by mean.
     */
    public static final String POOLING_KEY = "model.pooling";

    /**
     * Writes weights, optimiser state, step and seed, the model's pooling ({@link #POOLING_KEY}) and the trainer's
     * own key-values; see {@link Checkpoint}.
     */
    public void save(Path file, Map<String, String> extra) throws IOException {
        Map<String, String> all = new HashMap<>(extra);
        all.put(POOLING_KEY, model.config().pooling().toString());
        Checkpoint.save(file, model.parameters(), optimizer, seed, all);
    }

    /**
     * Restores weights, optimiser state and step; returns the trainer's key-values. Fails when the checkpoint was
     * written with another seed, because the dropout masks of the continued run would then differ, and when it
     * was written by a model of another pooling, whose weights mean something else here.
     */
    public Map<String, String> load(Path file) throws IOException {
        Checkpoint.Header header = Checkpoint.readHeader(file);
        long written = header.seed();
        if (written != seed) {
            throw new IllegalStateException("checkpoint " + file + " was written by a run with seed " + written
                    + ", this run has seed " + seed);
        }
        String pooling = header.extra().getOrDefault(POOLING_KEY, Pooling.MEAN.toString());
        String ours = model.config().pooling().toString();
        if (!pooling.equals(ours)) {
            throw new CheckpointFormatException(file, "written by a model with model.pooling " + pooling
                    + ", this model has model.pooling " + ours, null);
        }
        return Checkpoint.load(file, model.parameters(), optimizer).extra();
    }

    public Model model() {
        return model;
    }

    public AdamW optimizer() {
        return optimizer;
    }

    public LrSchedule schedule() {
        return schedule;
    }

    public Parallel pool() {
        return pool;
    }

    public long seed() {
        return seed;
    }
}
