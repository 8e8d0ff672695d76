package org.lra.data.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.lra.data.DataFormatException;

/**
 * The lock that serialises every writer of one dataset name: {@code lra data generate} (release files, then
 * the import) and {@code lra data import}. An OS file lock on {@code <dataDir>/.<name>.lock} holding the
 * writer's PID; a second writer of the same name is refused at once (exit 2) instead of renaming its files
 * over the first one's. The OS drops the lock when its process dies, however it dies, so a stale file never
 * blocks anything.
 *
 * <p>Re-entrant for the thread that holds it ({@code generate} holds it and its import takes it again); another
 * thread of the same JVM is refused like another process. OS locks belong to the process, and a second channel
 * on the file would drop them when closed, so this JVM keeps the locks it holds and counts their holds.
 */
public final class DatasetLock implements AutoCloseable {

    private static final Map<Path, DatasetLock> HELD_HERE = new ConcurrentHashMap<>();

    private final Path file;
    private final FileChannel channel;
    private final FileLock lock;
    private final Thread owner = Thread.currentThread();
    private int holds = 1;

    private DatasetLock(Path file, FileChannel channel, FileLock lock) {
        this.file = file;
        this.channel = channel;
        this.lock = lock;
    }

    /** The lock file of dataset {@code name}: beside its directory, hidden, so it is never taken for a dataset. */
    public static Path file(Path dataDir, String name) {
        return dataDir.resolve("." + name + ".lock");
    }

    /** Locks dataset {@code name} under {@code dataDir} for writing, or refuses naming the holder. */
    public static DatasetLock acquire(Path dataDir, String name) throws IOException {
        Path file = file(dataDir, name).toAbsolutePath().normalize();
        synchronized (HELD_HERE) {
            DatasetLock held = HELD_HERE.get(file);
            if (held != null) {
                if (held.owner != Thread.currentThread()) {
                    throw busy(dataDir, name, "this process (PID " + ProcessHandle.current().pid() + ")");
                }
                held.holds++;
                return held;
            }
            Files.createDirectories(file.getParent());
            FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                    StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (IOException | RuntimeException e) {
                ch.close();
                throw e;
            }
            if (lock == null) {
                String holder = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
                ch.close();
                throw busy(dataDir, name, holder.isEmpty() ? "another process" : "PID " + holder);
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)), 0);
            DatasetLock acquired = new DatasetLock(file, ch, lock);
            HELD_HERE.put(file, acquired);
            return acquired;
        }
    }

    private static DataFormatException busy(Path dataDir, String name, String holder) {
        return new DataFormatException(dataDir.resolve(name).toString(), holder + " is writing this dataset "
                + "(data generate or import); wait for it to finish, then run this again");
    }

    @Override
    public void close() throws IOException {
        synchronized (HELD_HERE) {
            if (--holds > 0) {
                return;
            }
            HELD_HERE.remove(file);
            try {
                lock.release();
            } finally {
                channel.close();
            }
        }
    }
}
