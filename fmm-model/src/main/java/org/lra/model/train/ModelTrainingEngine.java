package org.lra.model.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.lra.data.Batch;
import org.lra.model.Model;
import org.lra.model.StepRunner;

/** The real {@link TrainingEngine}: a model and its AdamW + schedule, stepped by {@link StepRunner}. */
public final class ModelTrainingEngine implements TrainingEngine {
    private final StepRunner runner;

    public ModelTrainingEngine(StepRunner runner) {
        this.runner = runner;
    }

    public StepRunner runner() {
        return runner;
    }

    @Override
    public StepResult step(Batch batch, long step) {
        if (step != runner.steps()) {
            throw new IllegalStateException("loop is at step " + step + " but the optimiser has done " + runner.steps());
        }
        StepRunner.StepStats s = runner.step(batch);
        return new StepResult(s.loss(), s.correct(), s.size(), s.lr());
    }

    @Override
    public EvalResult evaluate(Batch batch) {
        Model.Result r = runner.evaluate(batch);
        return new EvalResult(r.loss() * r.size(), r.correct(), r.size(), r.predictions(), r.pPredicted());
    }

    @Override
    public void save(Path file, long step, Map<String, String> extra) throws IOException {
        if (step != runner.steps()) {
            throw new IllegalStateException("saving step " + step + " but the optimiser has done " + runner.steps());
        }
        runner.save(file, extra);
    }

    @Override
    public Restored load(Path file) throws IOException {
        Map<String, String> extra = runner.load(file);
        return new Restored(runner.steps(), extra);
    }
}
