package org.lra.cli.config;

import org.lra.model.attention.AttentionFactory;
import org.lra.model.attention.AttentionLength;
import org.lra.data.Task;
import org.lra.model.config.AttentionConfig;
import org.lra.model.config.AttentionType;
import org.lra.model.config.BlendConfig;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.Pooling;
import org.lra.model.config.TrainingConfig;
import org.lra.model.config.WeightShape;
import org.lra.model.config.WeightSpec;

import java.util.ArrayList;
import java.util.List;

/**
 * Every semantic rule on a {@link RunConfig}, in one place. Structure and types are already guaranteed by
 * binding; this checks meaning (positive sizes, consistent shapes, a blend that fits the kernels, the data
 * facts of each task). All problems are reported together, on one line, each naming its key and source.
 */
public final class ConfigValidator {

    private static final List<String> SCHEDULES = List.of("onecycle", "constant");

    private final ConfigOrigins origins;
    private final List<String> problems = new ArrayList<>();

    private ConfigValidator(ConfigOrigins origins) {
        this.origins = origins;
    }

    /** Throws a ConfigException listing every problem; returns normally when the config is usable. */
    public static void validate(RunConfig config, ConfigOrigins origins) {
        ConfigValidator v = new ConfigValidator(origins);
        v.checkRun(config);
        if (!v.problems.isEmpty()) {
            throw new ConfigException(String.join("; ", v.problems));
        }
    }

    /** For configs built in code: no file names to report. */
    public static void validate(RunConfig config) {
        validate(config, ConfigOrigins.NONE);
    }

    private void checkRun(RunConfig c) {
        require(!c.name().isBlank(), "name", "must not be blank");
        require(RunConfig.SCALES.contains(c.scale()), "scale",
                "must be one of " + String.join("|", RunConfig.SCALES) + ", got '" + c.scale() + "'");
        require(c.seed() >= 0, "seed", "must be >= 0, got " + c.seed());
        require(c.threads() >= 1, "threads", "must be >= 1, got " + c.threads());
        checkTask(c.task());
        checkModel(c.model(), c.task());
        checkTraining(c.training());
    }

    private void checkTask(TaskConfig t) {
        boolean known = TaskConfig.TASKS.contains(t.name());
        require(known, "task.name", "must be one of " + String.join("|", TaskConfig.TASKS) + ", got '" + t.name() + "'");
        require(!t.dataset().isBlank(), "task.dataset", "must not be blank");
        positive(t.maxLength(), "task.maxLength");
        require(t.trainLimit() >= 0, "task.trainLimit", "must be >= 0 (0 = whole split), got " + t.trainLimit());
        require(t.valLimit() >= 0, "task.valLimit", "must be >= 0 (0 = whole split), got " + t.valLimit());
        require(t.testLimit() >= 0, "task.testLimit", "must be >= 0 (0 = whole split), got " + t.testLimit());
    }

    private void checkModel(ModelConfig m, TaskConfig task) {
        positive(m.vocabSize(), "model.vocabSize");
        positive(m.maxLength(), "model.maxLength");
        positive(m.dim(), "model.dim");
        positive(m.heads(), "model.heads");
        positive(m.headDim(), "model.headDim");
        positive(m.layers(), "model.layers");
        positive(m.ffnDim(), "model.ffnDim");
        positive(m.headHidden(), "model.headHidden");
        probability(m.dropout(), "model.dropout");
        probability(m.attentionDropout(), "model.attentionDropout");
        require(m.heads() * m.headDim() == m.dim(), "model.headDim",
                "heads * headDim must equal dim (" + m.heads() + " * " + m.headDim() + " != " + m.dim() + ")");
        require(m.maxLength() >= task.maxLength(), "model.maxLength",
                "must be >= task.maxLength (" + m.maxLength() + " < " + task.maxLength() + ")");
        if (TaskConfig.TASKS.contains(task.name())) {
            // the task's facts (org.lra.data.Task): a wrong value would silently train a wrong head
            Task facts = Task.fromConfigName(task.name());
            require(m.numClasses() == facts.numClasses(), "model.numClasses",
                    "task " + task.name() + " has " + facts.numClasses() + " classes, got " + m.numClasses());
            int minVocab = facts.vocabSize();
            require(m.vocabSize() >= minVocab, "model.vocabSize",
                    "task " + task.name() + " produces token ids up to " + (minVocab - 1) + ", so it must be >= "
                            + minVocab + ", got " + m.vocabSize());
            require(m.dual() == facts.dual(), "model.dual", facts.dual()
                    ? task.name() + " compares two documents and needs dual: true" : "only retrieval is dual");
            // the official append_cls takes the last id for its token; one the data uses would be two tokens in one
            require(m.pooling() != Pooling.CLS || m.vocabSize() > minVocab, "model.pooling",
                    "cls uses token id vocabSize - 1 = " + (m.vocabSize() - 1) + " for its token, which task "
                            + task.name() + " uses for data; set model.vocabSize >= " + (minVocab + 1));
        }
        checkAttention(m.attention(), task);
    }

    private void checkAttention(AttentionConfig a, TaskConfig task) {
        String at = "model.attention";
        checkBaseline(a, task);
        boolean banded = a.type() == AttentionType.band || a.type() == AttentionType.fmm;
        if (banded) {
            positive(a.bandwidth(), at + ".bandwidth");
        }
        if (a.type() == AttentionType.linear || a.type() == AttentionType.fmm) {
            require(!a.kernels().isEmpty(), at + ".kernels", a.type() + " attention needs at least one kernel");
        }
        if (a.type() == AttentionType.fmm) {
            checkBlend(a.blend(), a.kernels().size());
        }
    }

    /** The four LRA baselines' knobs; each type checks only its own. */
    private void checkBaseline(AttentionConfig a, TaskConfig task) {
        String at = "model.attention";
        AttentionLength padded = new AttentionLength(task.paddedLength(), "the padded length " + task.paddedLength()
                + " (task.maxLength " + task.maxLength() + " rounded up to a power of two)");
        AttentionFactory.lengthProblems(a, padded, new AttentionLength(task.maxLength(), "task.maxLength"))
                .forEach((knob, problem) -> problem(at + "." + knob, problem));
        switch (a.type()) {
            case nystrom -> require(a.convKernelSize() >= 0, at + ".convKernelSize",
                    "must be >= 0 (0 = no convolution), got " + a.convKernelSize());
            case performer -> positive(a.rpDim(), at + ".rpDim");
            case reformer -> {
                positive(a.numHashes(), at + ".numHashes");
                positive(a.lshChunkLength(), at + ".lshChunkLength");
                require(a.numBuckets() >= 0, at + ".numBuckets", "must be >= 0 (0 = automatic), got "
                        + a.numBuckets());
                // the reformer attends to its own chunk and the one before, as HF's defaults; other windows
                // are not implemented, so they are refused rather than ignored
                require(a.lshChunksBefore() == 1, at + ".lshChunksBefore", "only 1 (HF's default) is implemented, got "
                        + a.lshChunksBefore());
                require(a.lshChunksAfter() == 0, at + ".lshChunksAfter", "only 0 (HF's default) is implemented, got "
                        + a.lshChunksAfter());
            }
            default -> {
            }
        }
    }

    /** One weight per far-field kernel; only the far weight may be {@code complement} (1 - near), never learnable. */
    private void checkBlend(BlendConfig b, int kernelCount) {
        String at = "model.attention.blend";
        require(b.kernels().size() == kernelCount, at + ".kernels",
                "needs one weight per attention kernel (" + kernelCount + "), got " + b.kernels().size());
        notComplement(b.near(), at + ".near");
        for (int i = 0; i < b.kernels().size(); i++) {
            notComplement(b.kernels().get(i), at + ".kernels[" + i + "]");
        }
        if (b.far().shape() == WeightShape.complement) {
            require(!b.far().learnable(), at + ".far.learnable",
                    "complement is derived from near (1 - near) and cannot itself be learnable; set it to false");
        }
    }

    private void notComplement(WeightSpec w, String path) {
        require(w.shape() != WeightShape.complement, path + ".shape",
                "complement (1 - near) is only allowed for blend.far");
    }

    private void checkTraining(TrainingConfig t) {
        String at = "training";
        positive(t.batchSize(), at + ".batchSize");
        positive(t.steps(), at + ".steps");
        require(t.warmupSteps() >= 0 && t.warmupSteps() < t.steps(), at + ".warmupSteps",
                "must be in [0, steps) = [0, " + t.steps() + "), got " + t.warmupSteps());
        require(t.lr() > 0, at + ".lr", "must be > 0, got " + t.lr());
        require(SCHEDULES.contains(t.schedule()), at + ".schedule",
                "must be one of " + String.join("|", SCHEDULES) + ", got '" + t.schedule() + "'");
        require(t.divFactor() > 0, at + ".divFactor", "must be > 0, got " + t.divFactor());
        require(t.finalDivFactor() > 0, at + ".finalDivFactor", "must be > 0, got " + t.finalDivFactor());
        require(t.beta1Max() >= 0 && t.beta1Max() < 1, at + ".beta1Max", "must be in [0, 1), got " + t.beta1Max());
        require(t.beta1Min() >= 0 && t.beta1Min() <= t.beta1Max(), at + ".beta1Min",
                "must be in [0, beta1Max], got " + t.beta1Min());
        require(t.beta2() >= 0 && t.beta2() < 1, at + ".beta2", "must be in [0, 1), got " + t.beta2());
        require(t.eps() > 0, at + ".eps", "must be > 0, got " + t.eps());
        require(t.weightDecay() >= 0, at + ".weightDecay", "must be >= 0, got " + t.weightDecay());
        require(t.gradClip() >= 0, at + ".gradClip", "must be >= 0 (0 disables), got " + t.gradClip());
        positive(t.evalEvery(), at + ".evalEvery");
        positive(t.evalSteps(), at + ".evalSteps");
    }

    private void positive(long value, String path) {
        require(value > 0, path, "must be >= 1, got " + value);
    }

    private void probability(double value, String path) {
        require(value >= 0 && value < 1, path, "must be in [0, 1), got " + value);
    }

    private void require(boolean ok, String path, String problem) {
        if (!ok) {
            problem(path, problem);
        }
    }

    private void problem(String path, String problem) {
        problems.add(ConfigException.at(path, problem, origins.sourceOf(path)).getMessage());
    }
}
