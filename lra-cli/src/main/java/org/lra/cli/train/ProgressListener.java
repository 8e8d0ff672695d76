package org.lra.cli.train;

import java.util.Locale;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.lra.model.train.TrainingListener;
import org.lra.model.train.TrainingResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Shows progress: a live bar with loss and dev accuracy on a terminal, a log line every {@code logEvery}
 * steps (and at every evaluation) otherwise, so CI logs and cluster job logs stay readable.
 */
public final class ProgressListener implements TrainingListener {
    private static final Logger LOG = LoggerFactory.getLogger("lra.train");

    private final String label;
    private final boolean terminal;
    private final int logEvery;
    private ProgressBar bar;
    private double lastDevAcc = Double.NaN;

    public ProgressListener(String label, boolean terminal, int logEvery) {
        this.label = label;
        this.terminal = terminal;
        this.logEvery = Math.max(1, logEvery);
    }

    @Override
    public void onStart(long firstStep, long totalSteps) {
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName(label).setInitialMax(totalSteps)
                    .setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250).continuousUpdate().build();
            bar.stepTo(firstStep);
        } else {
            if (firstStep < totalSteps) {
                LOG.info("{}: steps {}..{}", label, firstStep + 1, totalSteps);
            } else {
                LOG.info("{}: all {} steps done; testing the best checkpoint", label, totalSteps);
            }
        }
    }

    @Override
    public void onStep(StepRecord r) {
        if (bar != null) {
            bar.stepTo(r.step());
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.3f dev %.3f %.0fms/step", r.loss(), lastDevAcc, r.stepMs()));
        } else if (r.step() % logEvery == 0) {
            LOG.info(String.format(Locale.ROOT, "%s step %d  lr %.2e  loss %.4f  acc %.3f  %.1f ms/step",
                    label, r.step(), r.lr(), r.loss(), r.trainAcc(), r.stepMs()));
        }
    }

    @Override
    public void onEval(EvalRecord r) {
        lastDevAcc = r.devAcc();
        if (bar == null) {
            LOG.info(String.format(Locale.ROOT, "%s step %d  dev loss %.4f  dev acc %.4f%s",
                    label, r.step(), r.devLoss(), r.devAcc(), r.improved() ? "  (best)" : ""));
        }
    }

    @Override
    public void onFinish(TrainingResult result) {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }

    /** Closes the bar if the run stops early. */
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
