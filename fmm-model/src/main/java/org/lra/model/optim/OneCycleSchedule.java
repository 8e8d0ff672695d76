package org.lra.model.optim;

import org.lra.model.config.TrainingConfig;

/**
 * PyTorch's {@code OneCycleLR(max_lr, total_steps, pct_start, anneal_strategy='linear', div_factor,
 * final_div_factor, three_phase=False, cycle_momentum, base_momentum, max_momentum)}, as stepped once per
 * optimiser step (docs/reference.md §3.2). Two linear phases:
 * <pre>
 *   phase 1, steps 0 .. s1 = pct_start·total − 1:   lr  initial → max,  β1 max_momentum → base_momentum
 *   phase 2, steps s1 .. s2 = total − 1:            lr  max → min,      β1 base_momentum → max_momentum
 *   initial = max_lr / div_factor,  min = initial / final_div_factor
 * </pre>
 * At step i, the first phase whose end ≥ i (else the last) gives pct = (i − start)/(end − start), where start
 * is the previous phase's end (0 for the first), exactly as {@code OneCycleLR.get_lr}. s1 is a double, as in
 * PyTorch. Where PyTorch divides by a zero-length phase (pct_start·total = 1) and raises, we take the phase's
 * end value. With cycle_momentum false, β1 is the fixed max_momentum.
 */
public final class OneCycleSchedule implements LrSchedule {
    private final double maxLr;
    private final double initialLr;
    private final double minLr;
    private final long totalSteps;
    private final double phase1End;
    private final double phase2End;
    private final boolean cycleMomentum;
    private final double baseMomentum;
    private final double maxMomentum;

    public OneCycleSchedule(double maxLr, long totalSteps, double pctStart, double divFactor, double finalDivFactor,
                            boolean cycleMomentum, double baseMomentum, double maxMomentum) {
        if (totalSteps <= 0) {
            throw new IllegalArgumentException("one-cycle schedule: total steps must be > 0, got " + totalSteps);
        }
        if (!(pctStart >= 0 && pctStart <= 1)) {
            throw new IllegalArgumentException("one-cycle schedule: pct_start must be in [0, 1], got " + pctStart);
        }
        this.maxLr = maxLr;
        this.initialLr = maxLr / divFactor;
        this.minLr = initialLr / finalDivFactor;
        this.totalSteps = totalSteps;
        this.phase1End = pctStart * totalSteps - 1;
        this.phase2End = totalSteps - 1;
        this.cycleMomentum = cycleMomentum;
        this.baseMomentum = baseMomentum;
        this.maxMomentum = maxMomentum;
    }

    /** pct_start = warmupSteps / steps, momenta beta1Min (base) and beta1Max (max). */
    public static OneCycleSchedule of(TrainingConfig cfg) {
        return new OneCycleSchedule(cfg.lr(), cfg.steps(), (double) cfg.warmupSteps() / cfg.steps(),
                cfg.divFactor(), cfg.finalDivFactor(), cfg.cycleMomentum(), cfg.beta1Min(), cfg.beta1Max());
    }

    @Override
    public double lr(long step) {
        return anneal(step, initialLr, maxLr, maxLr, minLr);
    }

    @Override
    public double beta1(long step) {
        return cycleMomentum ? anneal(step, maxMomentum, baseMomentum, baseMomentum, maxMomentum) : maxMomentum;
    }

    private double anneal(long step, double start1, double end1, double start2, double end2) {
        if (step < 0 || step > totalSteps) {
            throw new IllegalArgumentException("one-cycle schedule: step " + step + " outside [0, " + totalSteps + "]");
        }
        if (step <= phase1End) {
            return linear(start1, end1, pct(step, 0, phase1End));
        }
        return linear(start2, end2, pct(step, phase1End, phase2End));
    }

    private static double pct(long step, double start, double end) {
        return end == start ? 1.0 : (step - start) / (end - start);
    }

    /** PyTorch's _annealing_linear. */
    private static double linear(double start, double end, double pct) {
        return (end - start) * pct + start;
    }
}
