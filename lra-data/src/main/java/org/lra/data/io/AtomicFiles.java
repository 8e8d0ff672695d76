package org.lra.data.io;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * The one way every lra writer puts a file in place (cache, checkpoints, metrics, run.json, result.json, reports,
 * generated data): write a temporary file in the same directory, fsync it, rename it over the target, fsync the
 * directory. A reader never sees half a file, and a crash or a full disk leaves the previous version intact and
 * no temporary file behind.
 *
 * <p>A full disk surfaces as {@link DiskFullException}, whose message names the file being written, so the user
 * reads "no space left on device writing RUN/checkpoints/last.ckpt" instead of a bare "No space left on device".
 */
public final class AtomicFiles {

    /** Writes a file's content to a stream; the stream is buffered, and closed by {@link #write(Path, Body)}. */
    @FunctionalInterface
    public interface Body {
        void writeTo(OutputStream out) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Replaces {@code target} with what {@code body} writes, atomically and durably. */
    public static void write(Path target, Body body) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                    OutputStream out = new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16);
                    body.writeTo(out);
                    out.flush();
                    ch.force(true);
                }
                rename(tmp, target);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw explain(e, target);
        }
    }

    public static void write(Path target, byte[] content) throws IOException {
        write(target, out -> out.write(content));
    }

    public static void write(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * Puts a finished temporary file or directory (written by a streaming writer in the target's directory)
     * in place: fsyncs its files, renames it over {@code target}, fsyncs the directory. For writers that cannot
     * hand their content to {@link #write(Path, Body)} (resumable downloads, a cache directory).
     */
    public static void moveIntoPlace(Path tmp, Path target) throws IOException {
        try {
            if (Files.isDirectory(tmp)) {
                try (Stream<Path> files = Files.walk(tmp)) {
                    for (Path f : files.filter(Files::isRegularFile).toList()) {
                        force(f);
                    }
                }
            } else {
                force(tmp);
            }
            rename(tmp, target);
        } catch (IOException e) {
            throw explain(e, target);
        }
    }

    /**
     * {@code e} as a {@link DiskFullException} naming {@code target} when the device is full, else {@code e}
     * itself; for writers that append (metrics.csv) and so cannot go through {@link #write(Path, Body)}.
     */
    public static IOException explain(IOException e, Path target) {
        if (e instanceof DiskFullException) {
            return e;
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getMessage() != null && t.getMessage().contains("No space left on device")) {
                return new DiskFullException(target, e);
            }
        }
        return e;
    }

    private static void rename(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        forceDirectory(target.toAbsolutePath().getParent());
    }

    private static void force(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.force(true);
        }
    }

    /** Makes the rename itself durable. Linux allows opening a directory to fsync it; other systems may not. */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // not supported here (e.g. Windows); the rename is still atomic
        }
    }
}
