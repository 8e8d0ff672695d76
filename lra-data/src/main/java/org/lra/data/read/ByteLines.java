package org.lra.data.read;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.lra.data.DataFormatException;

/**
 * Reads a stream line by line as raw bytes, reusing one growing buffer: AAN lines hold two whole
 * papers and are read at hundreds of MB/s without decoding to characters. A line ends at {@code \n};
 * a trailing {@code \r} is dropped. A line longer than {@link #MAX_LINE_BYTES} is refused naming its file and
 * line, so a damaged or hostile file (gigabytes without a newline) is an input error, not an OutOfMemoryError.
 */
final class ByteLines {
    /** Far above any real line (an AAN line holds two papers, a few hundred KB; a ListOps line ~10 KB). */
    static final int MAX_LINE_BYTES = 64 << 20;

    private final InputStream in;
    private final String location;
    private final byte[] chunk = new byte[1 << 16];
    private int chunkPos;
    private int chunkEnd;
    private byte[] line = new byte[1 << 14];
    private int lineLength;
    private long lineNumber;

    /** @param location the file (or archive entry) being read, for error messages */
    ByteLines(InputStream in, String location) {
        this.in = in;
        this.location = location;
    }

    /** Advances to the next line; false at end of input. */
    boolean next() throws IOException {
        lineLength = 0;
        boolean any = false;
        while (true) {
            if (chunkPos == chunkEnd) {
                chunkEnd = in.read(chunk);
                chunkPos = 0;
                if (chunkEnd <= 0) {
                    chunkEnd = 0;
                    if (any) {
                        break;
                    }
                    return false;
                }
            }
            any = true;
            int start = chunkPos;
            while (chunkPos < chunkEnd && chunk[chunkPos] != '\n') {
                chunkPos++;
            }
            append(start, chunkPos - start);
            if (chunkPos < chunkEnd) {
                chunkPos++; // the newline
                break;
            }
        }
        if (lineLength > 0 && line[lineLength - 1] == '\r') {
            lineLength--;
        }
        lineNumber++;
        return true;
    }

    private void append(int from, int count) {
        if ((long) lineLength + count > MAX_LINE_BYTES) {
            throw DataFormatException.atLine(location, lineNumber + 1, "line longer than " + (MAX_LINE_BYTES >> 20)
                    + " MB without a newline; not a release file of this task, or damaged");
        }
        if (lineLength + count > line.length) {
            line = Arrays.copyOf(line, Math.max(line.length * 2, lineLength + count));
        }
        System.arraycopy(chunk, from, line, lineLength, count);
        lineLength += count;
    }

    /** The current line's bytes are {@code bytes()[0, length())}; valid until the next call to {@link #next()}. */
    /** The current line as text (release files are UTF-8). */
    String text() {
        return new String(line, 0, lineLength, StandardCharsets.UTF_8);
    }

    byte[] bytes() {
        return line;
    }

    int length() {
        return lineLength;
    }

    /** 1-based number of the current line. */
    long lineNumber() {
        return lineNumber;
    }
}
