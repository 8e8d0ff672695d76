package org.lra.model.config;

/**
 * The optimisation protocol (docs/reference.md §3.1–3.2). Every field is required (the CLI's defaults file fills them).
 *
 * @param batchSize      examples per optimiser step
 * @param steps          optimiser steps in the whole run (OneCycle total_steps)
 * @param warmupSteps    steps of the linear warm-up (OneCycle pct_start = warmupSteps / steps)
 * @param lr             peak learning rate (max_lr)
 * @param schedule       onecycle (PyTorch OneCycleLR, anneal linear) | constant
 * @param divFactor      start lr = lr / divFactor (25)
 * @param finalDivFactor end lr = start lr / finalDivFactor (1e4)
 * @param cycleMomentum  cycle Adam beta1 between beta1Max and beta1Min opposite to the lr (PyTorch default true)
 * @param beta1Max       beta1 at start and end of the cycle (0.95); the fixed beta1 when not cycling
 * @param beta1Min       beta1 at peak lr (0.85)
 * @param beta2          Adam beta2 (0.999)
 * @param eps            Adam epsilon (1e-6)
 * @param weightDecay    decoupled weight decay (0 in the reference)
 * @param gradClip       clip the global gradient L2 norm to this value; 0 disables
 * @param evalEvery      evaluate on dev every this many steps
 * @param evalSteps      dev batches per evaluation (reference num_eval_steps)
 */
public record TrainingConfig(
        int batchSize,
        int steps,
        int warmupSteps,
        double lr,
        String schedule,
        double divFactor,
        double finalDivFactor,
        boolean cycleMomentum,
        double beta1Max,
        double beta1Min,
        double beta2,
        double eps,
        double weightDecay,
        double gradClip,
        int evalEvery,
        int evalSteps) {
}
