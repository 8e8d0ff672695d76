package org.lra.cli.sweep;

import org.lra.cli.LraCommand;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs each run in its own JVM with this JVM's flags and class path: runs cannot share ND4J's native state,
 * a crash or OOM takes down one run only, and --threads is honoured per process.
 */
public final class JvmLauncher implements RunLauncher {

    @Override
    public int launch(PlannedRun run, List<String> lraArgs, Path logFile) throws IOException, InterruptedException {
        Files.createDirectories(logFile.toAbsolutePath().getParent());
        ProcessBuilder pb = new ProcessBuilder(command(lraArgs))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        Process process = pb.start();
        try {
            return process.waitFor();
        } catch (InterruptedException e) {
            process.destroy(); // the sweep was stopped: do not leave orphan trainers behind
            throw e;
        }
    }

    static List<String> command(List<String> lraArgs) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            // A debugger agent would fight over its port in every child.
            if (!flag.startsWith("-agentlib:jdwp") && !flag.startsWith("-Xrunjdwp")) {
                cmd.add(flag);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LraCommand.class.getName());
        cmd.addAll(lraArgs);
        return cmd;
    }
}
