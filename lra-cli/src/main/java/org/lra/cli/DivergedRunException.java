package org.lra.cli;

/**
 * A training run whose loss became NaN or infinite. Distinct from a crash so that sweep drivers and
 * Slurm requeue logic can tell "this configuration diverges" from "the machine failed"
 * (exit code {@link ExitCodes#DIVERGED}).
 */
public class DivergedRunException extends RuntimeException {

    public DivergedRunException(String message) {
        super(message);
    }
}
