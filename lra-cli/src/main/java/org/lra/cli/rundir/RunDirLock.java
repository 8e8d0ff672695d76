package org.lra.cli.rundir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.lra.cli.InputException;

/**
 * The lock a training run holds on its directory: an OS file lock on {@code RUN_DIR/run.lock}, whose content is
 * the holder's PID (one line). A second {@code lra train} into the same directory (fresh, {@code --force} or
 * {@code --resume}) is refused instead of deleting or overwriting what the first is writing.
 *
 * <p>The OS releases the lock when the holding process dies, however it dies (SIGKILL, OOM, power), so a stale
 * {@code run.lock} never blocks anything. The file stays when a run ends: deleting a lock file while another
 * process has it open would let two processes lock two different files of the same name. (A start that fails
 * before writing anything, e.g. for want of data, removes it, so the directory is as empty as before.)
 *
 * <p>OS file locks belong to the process, and closing any channel on the file drops every lock the process holds
 * on it. So this JVM never opens a channel on a lock file it holds: it keeps the ones it holds in
 * {@link #HELD_HERE} and answers from there ({@link #holder} from a report or a sweep status in the same JVM).
 */
public final class RunDirLock implements AutoCloseable {

    /** How long {@link #acquire} keeps trying: covers another process briefly probing with {@link #holder}. */
    private static final long ACQUIRE_PATIENCE_MS = 500;

    /** The lock files (absolute, normalised) this JVM holds. */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;

    private RunDirLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Creates {@code runDir} if needed and locks it, writing this process's PID into {@code run.lock}.
     *
     * @throws InputException when another live process holds the lock (names the directory and its PID)
     */
    public static RunDirLock acquire(Path runDir) throws IOException {
        Files.createDirectories(runDir);
        Path file = lockFile(runDir);
        if (!HELD_HERE.add(file)) {
            throw inUse(runDir, "PID " + ProcessHandle.current().pid() + " (this process)");
        }
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(file);
            throw e;
        }
        try {
            long deadline = System.nanoTime() + ACQUIRE_PATIENCE_MS * 1_000_000L;
            FileLock lock = tryLock(ch, false);
            while (lock == null && System.nanoTime() < deadline) {
                sleep(50);
                lock = tryLock(ch, false);
            }
            if (lock == null) {
                throw inUse(runDir, otherHolder(file).map(p -> "PID " + p).orElse("another process"));
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            ch.force(true);
            return new RunDirLock(file, ch, lock);
        } catch (IOException | RuntimeException e) {
            ch.close();
            HELD_HERE.remove(file);
            throw e;
        }
    }

    private static InputException inUse(Path runDir, String holder) {
        return new InputException("run directory " + runDir + " is in use by " + holder
                + " (an lra train writing it); wait for it to finish or stop it first");
    }

    private static Path lockFile(Path runDir) {
        return runDir.resolve(RunFiles.LOCK).toAbsolutePath().normalize();
    }

    /**
     * The PID of the live process training in {@code runDir}, or empty when none is (no {@code run.lock}, or
     * nobody holds it). 0 when the holder has locked but not yet written its PID.
     */
    public static Optional<Long> holder(Path runDir) throws IOException {
        Path file = lockFile(runDir);
        if (HELD_HERE.contains(file)) {
            return Optional.of(ProcessHandle.current().pid());
        }
        return otherHolder(file);
    }

    /** The PID of another process holding {@code file}; this JVM does not hold it (see the class comment). */
    private static Optional<Long> otherHolder(Path file) throws IOException {
        FileChannel ch;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try (ch) {
            FileLock probe;
            try {
                probe = ch.tryLock(0, Long.MAX_VALUE, true);
            } catch (OverlappingFileLockException e) {
                return Optional.of(ProcessHandle.current().pid());   // a lock taken here outside this class
            }
            if (probe != null) {
                probe.release();
                return Optional.empty();
            }
            String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
            try {
                return Optional.of(Long.parseLong(text));
            } catch (NumberFormatException e) {
                return Optional.of(0L);
            }
        }
    }

    /** The exclusive lock, or null when another process holds it; another holder in this JVM counts as held. */
    private static FileLock tryLock(FileChannel ch, boolean shared) throws IOException {
        try {
            return ch.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException e) {
            return null;
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            try {
                channel.close();
            } finally {
                HELD_HERE.remove(file);
            }
        }
    }
}
