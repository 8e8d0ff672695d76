package org.lra.cli.rundir;

/**
 * The trainer's {@code result.json}: one run's outcome and cost. Fields the run has not reached yet
 * (a running run has no test accuracy) are null. Accuracies are fractions in [0, 1].
 *
 * @param runId            the run directory's name, e.g. {@code listops__softmax__s0}
 * @param name             model row label ({@code RunConfig.name})
 * @param task             listops | text | retrieval | image | pathfinder
 * @param scale            paper | cpu
 * @param status           finished | running | stopped (by a signal, after checkpointing) | diverged
 * @param steps            optimiser steps done
 * @param bestStep         step of the best dev accuracy (its weights are used for test)
 * @param bestDevAcc       best mean dev accuracy
 * @param testAcc          exact accuracy over the whole test split (our headline number)
 * @param testAccBatchMean reference metric: mean of per-batch accuracies, drop_last (docs/reference.md §2.6)
 * @param testExamples     examples behind testAcc
 * @param medianStepMs     median training step time
 * @param p90StepMs        90th percentile step time
 * @param tokensPerS       training tokens per second
 * @param peakRssMb        peak resident memory of the process
 * @param wallSeconds      wall time of the whole run
 * @param threads          compute threads used
 * @param configHash       {@code RunConfig.configHash()}, ties the row to run.json / config.yaml
 */
public record RunResult(
        String runId,
        String name,
        String task,
        String scale,
        Integer seed,
        String status,
        Integer steps,
        Integer bestStep,
        Double bestDevAcc,
        Double testAcc,
        Double testAccBatchMean,
        Integer testExamples,
        Double medianStepMs,
        Double p90StepMs,
        Double tokensPerS,
        Double peakRssMb,
        Double wallSeconds,
        Integer threads,
        String configHash) {

    public static final String FINISHED = "finished";
    public static final String RUNNING = "running";
    public static final String STOPPED = "stopped";
    public static final String DIVERGED = "diverged";

    public boolean finished() {
        return FINISHED.equals(status) && testAcc != null;
    }
}
