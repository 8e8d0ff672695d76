package org.lra.model.optim;

import org.lra.model.config.TrainingConfig;

/** Learning rate and Adam β1 for optimiser step {@code step} (0-based: the first update uses step 0). */
public interface LrSchedule {
    double lr(long step);

    double beta1(long step);

    /** The schedule a training config names: "onecycle" or "constant". */
    static LrSchedule of(TrainingConfig cfg) {
        return switch (cfg.schedule()) {
            case "onecycle" -> OneCycleSchedule.of(cfg);
            case "constant" -> new ConstantSchedule(cfg.lr(), cfg.beta1Max());
            default -> throw new IllegalArgumentException(
                    "training config: schedule must be onecycle or constant, got " + cfg.schedule());
        };
    }
}
