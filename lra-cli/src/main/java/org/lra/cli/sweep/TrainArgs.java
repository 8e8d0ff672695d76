package org.lra.cli.sweep;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code lra train} arguments of a sweep's runs; one definition shared by local execution and the emitted
 * Slurm / GNU parallel scripts so they cannot drift apart. The options the sweep itself was given travel with
 * every run: {@code --threads} always, {@code --data-dir} when it was given (absolute, so a script run from
 * another directory reads the same data; without it each run resolves {@code $LRA_DATA_DIR} on its node).
 *
 * @param threads compute threads per run
 * @param dataDir the sweep's {@code --data-dir}, or null when it had none
 */
public record TrainArgs(int threads, Path dataDir) {

    public TrainArgs {
        dataDir = dataDir == null ? null : dataDir.toAbsolutePath().normalize();
    }

    /** {@code train --config C --seed S --threads T [--data-dir D] --out DIR [--set k=v ...]} */
    public List<String> fresh(PlannedRun run) {
        List<String> args = new ArrayList<>(List.of("train",
                "--config", run.config().toString(),
                "--seed", String.valueOf(run.seed())));
        args.addAll(sweepOptions());
        args.addAll(List.of("--out", run.runDir().toString()));
        for (String set : run.sets()) {
            args.add("--set");
            args.add(set);
        }
        return args;
    }

    /** {@code train --resume DIR --threads T [--data-dir D]}: the run dir holds the resolved config and the checkpoint. */
    public List<String> resume(PlannedRun run) {
        List<String> args = new ArrayList<>(List.of("train", "--resume", run.runDir().toString()));
        args.addAll(sweepOptions());
        return args;
    }

    /** {@code --threads T [--data-dir D]} */
    List<String> sweepOptions() {
        List<String> args = new ArrayList<>(List.of("--threads", String.valueOf(threads)));
        if (dataDir != null) {
            args.addAll(List.of("--data-dir", dataDir.toString()));
        }
        return args;
    }
}
