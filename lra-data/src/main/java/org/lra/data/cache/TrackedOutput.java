package org.lra.data.cache;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/** A buffered little-endian file writer that counts its bytes and keeps their CRC32C for the manifest. */
final class TrackedOutput implements Closeable {
    private final OutputStream out;
    private final byte[] buffer = new byte[1 << 16];
    private final CRC32C crc = new CRC32C();
    private int used;
    private long bytes;

    TrackedOutput(Path file) throws IOException {
        this.out = Files.newOutputStream(file);
    }

    void writeByte(int value) throws IOException {
        if (used == buffer.length) {
            flushBuffer();
        }
        buffer[used++] = (byte) value;
    }

    void writeShort(int value) throws IOException {
        if (used + 2 > buffer.length) {
            flushBuffer();
        }
        buffer[used++] = (byte) value;
        buffer[used++] = (byte) (value >>> 8);
    }

    void writeLong(long value) throws IOException {
        if (used + 8 > buffer.length) {
            flushBuffer();
        }
        for (int i = 0; i < 8; i++) {
            buffer[used++] = (byte) (value >>> (8 * i));
        }
    }

    /** Writes token ids as 1- or 2-byte unsigned values in one tight loop (the import hot path). */
    void writeIds(int[] ids, int width) throws IOException {
        int i = 0;
        while (i < ids.length) {
            if (buffer.length - used < width) {
                flushBuffer();
            }
            int n = Math.min(ids.length - i, (buffer.length - used) / width);
            if (width == 1) {
                for (int k = 0; k < n; k++) {
                    buffer[used + k] = (byte) ids[i + k];
                }
            } else {
                for (int k = 0; k < n; k++) {
                    int id = ids[i + k];
                    buffer[used + 2 * k] = (byte) id;
                    buffer[used + 2 * k + 1] = (byte) (id >>> 8);
                }
            }
            used += n * width;
            i += n;
        }
    }

    private void flushBuffer() throws IOException {
        out.write(buffer, 0, used);
        crc.update(buffer, 0, used);
        bytes += used;
        used = 0;
    }

    long bytes() {
        return bytes + used;
    }

    /** CRC32C of everything written; call after {@link #close()}. */
    String crc32c() {
        return String.format("%08x", crc.getValue());
    }

    @Override
    public void close() throws IOException {
        try {
            flushBuffer();
        } finally {
            out.close();   // also when the flush failed (a full disk): a leaked descriptor keeps the space in use
        }
    }
}
