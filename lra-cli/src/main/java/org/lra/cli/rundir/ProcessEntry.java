package org.lra.cli.rundir;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One process that trained a run, as {@code run.json}'s {@code processes} list records it: every start and every
 * {@code --resume} appends one, so a run made across sessions says which build trained which steps, on which
 * machine, without a hand-written table. Checkpoints carry the entry of the process that wrote them
 * ({@link #checkpointExtra}).
 *
 * @param build     the commit the jar was built from ({@code -dirty} when built from changed sources)
 * @param gitCommit HEAD of the checkout the process was started in
 * @param jvm       JVM name and version
 * @param host      host name
 * @param cpu       CPU model
 * @param threads   compute threads
 * @param firstStep the first step this process trained (1 for a fresh run)
 * @param lastStep  the last step it checkpointed; null before its first checkpoint
 * @param startedAt ISO-8601 instant
 * @param endedAt   ISO-8601 instant, null while running (or when the process was killed outright)
 * @param outcome   finished, stopped (SIGTERM/SIGINT), diverged or failed; null while running or killed
 */
public record ProcessEntry(String build, String gitCommit, String jvm, String host, String cpu, int threads,
                           long firstStep, Long lastStep, String startedAt, String endedAt, String outcome) {

    /** This entry when its process ends: the last step checkpointed, when, and how it ended. */
    public ProcessEntry ended(Long lastCheckpointed, String at, String how) {
        return new ProcessEntry(build, gitCommit, jvm, host, cpu, threads, firstStep, lastCheckpointed, startedAt, at, how);
    }

    /** This entry after a checkpoint at {@code step}. */
    public ProcessEntry checkpointed(long step) {
        return new ProcessEntry(build, gitCommit, jvm, host, cpu, threads, firstStep, step, startedAt, endedAt, outcome);
    }

    /** The entry as checkpoint extras ({@code process.build}, ...): what wrote the checkpoint, in the file itself. */
    public Map<String, String> checkpointExtra() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("process.build", build);
        m.put("process.gitCommit", gitCommit);
        m.put("process.jvm", jvm);
        m.put("process.host", host);
        m.put("process.threads", String.valueOf(threads));
        m.put("process.firstStep", String.valueOf(firstStep));
        m.put("process.startedAt", startedAt);
        return m;
    }
}
