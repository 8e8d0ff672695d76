package org.lra.cli.sweep;

import java.util.ArrayList;
import java.util.List;

/**
 * The {@code lra train} arguments for a planned run; one definition shared by local execution and the
 * emitted Slurm / GNU parallel scripts so they cannot drift apart.
 */
public final class TrainArgs {

    private TrainArgs() {
    }

    /** {@code train --config C --seed S --threads T --out DIR [--set k=v ...]} */
    public static List<String> fresh(PlannedRun run, int threads) {
        List<String> args = new ArrayList<>(List.of("train",
                "--config", run.config().toString(),
                "--seed", String.valueOf(run.seed()),
                "--threads", String.valueOf(threads),
                "--out", run.runDir().toString()));
        for (String set : run.sets()) {
            args.add("--set");
            args.add(set);
        }
        return args;
    }

    /** {@code train --resume DIR --threads T}: the run dir holds the resolved config and the checkpoint. */
    public static List<String> resume(PlannedRun run, int threads) {
        return List.of("train", "--resume", run.runDir().toString(), "--threads", String.valueOf(threads));
    }
}
