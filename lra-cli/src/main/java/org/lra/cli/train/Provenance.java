package org.lra.cli.train;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.lra.cli.VersionProvider;
import org.nd4j.linalg.factory.Nd4j;

/**
 * How a run was made (after Tribuo's provenance): the machine, the software and the source revision.
 * Together with the resolved config and the data manifests it goes into {@code run.json}, so every
 * result row can be traced back to the knobs and bits that produced it.
 */
public final class Provenance {
    private Provenance() {
    }

    /** Environment facts: JVM, ND4J backend, CPU, cores, host, git commit, time. */
    public static Map<String, Object> environment(int threads) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("startedAt", Instant.now().toString());
        // The commit the jar was built from, and the HEAD of the checkout the run was started in; they differ
        // when the source moved on after the build.
        m.put("buildCommit", VersionProvider.buildCommit());
        m.put("gitCommit", gitCommit());
        m.put("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("nd4jBackend", Nd4j.getBackend().getClass().getSimpleName());
        m.put("blas", "OpenBLAS (bytedeco openblas, single-threaded; engine pool splits work)");
        m.put("cpu", cpuModel());
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("threads", threads);
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        m.put("host", hostName());
        return m;
    }

    /**
     * HEAD of the git checkout around the working directory, with "-dirty" when tracked files have uncommitted
     * changes; "unknown" outside git. This is where the run was started, not necessarily what the jar was built
     * from (see {@link VersionProvider#buildCommit()}).
     */
    public static String gitCommit() {
        String head = run("git", "rev-parse", "HEAD");
        if (head == null) {
            return "unknown";
        }
        String status = run("git", "status", "--porcelain", "--untracked-files=no");
        return status == null || status.isEmpty() ? head : head + "-dirty";
    }

    private static String run(String... cmd) {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            if (!p.waitFor(5, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            return out;
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) {
                    return line.substring(line.indexOf(':') + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }

    static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
