package org.lra.data.cache;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A read-only memory-mapped file of fixed-width little-endian unsigned elements (1, 2 or 8 bytes).
 * One mapping is limited to 2 GiB, and a Path-X split is larger, so the file is mapped in chunks of
 * 2^30 bytes; element reads that span a chunk boundary are split in two.
 */
final class MappedFile {
    private static final int CHUNK_BITS = 30;

    private final int chunkBits;
    private final long chunkBytes;
    private final MappedByteBuffer[] chunks;
    private final int width;
    private final long elements;

    MappedFile(Path file, int width) throws IOException {
        this(file, width, CHUNK_BITS);
    }

    /** Tests use tiny chunks to exercise reads across chunk boundaries. */
    MappedFile(Path file, int width, int chunkBits) throws IOException {
        this.width = width;
        this.chunkBits = chunkBits;
        this.chunkBytes = 1L << chunkBits;
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            this.elements = size / width;
            int n = (int) ((size + chunkBytes - 1) / chunkBytes);
            chunks = new MappedByteBuffer[n];
            for (int c = 0; c < n; c++) {
                long start = c * chunkBytes;
                chunks[c] = channel.map(FileChannel.MapMode.READ_ONLY, start, Math.min(chunkBytes, size - start));
                chunks[c].order(ByteOrder.LITTLE_ENDIAN);
            }
        }
    }

    long elements() {
        return elements;
    }

    long getLong(long index) {
        long byteOffset = index * 8;
        return chunks[(int) (byteOffset >>> chunkBits)].getLong((int) (byteOffset & (chunkBytes - 1)));
    }

    int getUnsignedByte(long index) {
        return chunks[(int) (index >>> chunkBits)].get((int) (index & (chunkBytes - 1))) & 0xFF;
    }

    /** Copies {@code count} unsigned elements starting at element {@code first} into {@code dst[off...]}. */
    void copy(long first, int count, int[] dst, int off) {
        long byteOffset = first * width;
        while (count > 0) {
            MappedByteBuffer chunk = chunks[(int) (byteOffset >>> chunkBits)];
            int pos = (int) (byteOffset & (chunkBytes - 1));
            int n = Math.min(count, (int) ((chunkBytes - pos) / width));
            if (width == 1) {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = chunk.get(pos + i) & 0xFF;
                }
            } else {
                for (int i = 0; i < n; i++) {
                    dst[off + i] = chunk.getShort(pos + 2 * i) & 0xFFFF;
                }
            }
            count -= n;
            off += n;
            byteOffset += (long) n * width;
        }
    }
}
