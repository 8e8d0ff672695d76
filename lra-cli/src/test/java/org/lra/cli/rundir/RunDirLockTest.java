package org.lra.cli.rundir;

import org.lra.cli.rundir.RunFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.InputException;

/**
 * OS file locks belong to the process, and closing any channel on the file drops them all: asking who holds a
 * run directory, or trying to take it twice, from the JVM that holds it must leave it held. Only another process
 * can see that, so a child JVM probes the lock.
 */
class RunDirLockTest {

    @TempDir
    Path tmp;

    @Test
    void askingFromTheHoldingJvmKeepsTheLock() throws Exception {
        Path run = tmp.resolve("run");
        try (RunDirLock held = RunDirLock.acquire(run)) {
            long self = ProcessHandle.current().pid();
            assertEquals(Optional.of(self), RunDirLock.holder(run));
            InputException twice = assertThrows(InputException.class, () -> RunDirLock.acquire(run));
            assertTrue(twice.getMessage().contains("PID " + self + " (this process)"), twice.getMessage());
            assertEquals("locked", probeFromAnotherProcess(run.resolve(RunFiles.LOCK)),
                    "holder() and the refused acquire() left the OS lock in place");
        }
        assertEquals(Optional.empty(), RunDirLock.holder(run));
        assertEquals("free", probeFromAnotherProcess(run.resolve(RunFiles.LOCK)));
        try (RunDirLock again = RunDirLock.acquire(run)) {
            assertEquals(Optional.of(ProcessHandle.current().pid()), RunDirLock.holder(run), "taken again after close");
        }
    }

    /** "locked" or "free", as a child JVM's tryLock on {@code file} finds it. */
    private String probeFromAnotherProcess(Path file) throws IOException, InterruptedException {
        Path probe = tmp.resolve("Probe.java");
        Files.writeString(probe, """
                import java.nio.channels.FileChannel;
                import java.nio.file.Path;
                import java.nio.file.StandardOpenOption;
                public class Probe {
                    public static void main(String[] args) throws Exception {
                        try (FileChannel ch = FileChannel.open(Path.of(args[0]), StandardOpenOption.WRITE)) {
                            System.out.print(ch.tryLock() == null ? "locked" : "free");
                        }
                    }
                }
                """);
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), probe.toString(), file.toString())
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "probe finished");
        String out = new String(p.getInputStream().readAllBytes()).strip();
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
