package org.lra.data.read;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.lra.data.DataFormatException;

class ByteLinesTest {

    @Test
    void splitsOnNewlinesAndDropsCarriageReturns() throws Exception {
        ByteLines lines = new ByteLines(new ByteArrayInputStream("a\tb\r\n\nlast".getBytes(StandardCharsets.UTF_8)), "f.tsv");
        assertTrue(lines.next());
        assertEquals("a\tb", lines.text());
        assertTrue(lines.next());
        assertEquals("", lines.text());
        assertTrue(lines.next());
        assertEquals("last", lines.text());
        assertEquals(3, lines.lineNumber());
        assertFalse(lines.next());
    }

    /** An endless line (a hostile archive's gigabytes without a newline) stops at the cap, naming file and line. */
    @Test
    void anEndlessLineIsAnInputErrorNotAnOutOfMemoryError() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return 'x';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                java.util.Arrays.fill(b, off, off + len, (byte) 'x');
                return len;
            }
        };
        InputStream in = new SequenceInputStream(new ByteArrayInputStream("Source\tTarget\n".getBytes()), endless);
        ByteLines lines = new ByteLines(in, "basic_train.tsv");
        DataFormatException e = assertThrows(DataFormatException.class, () -> {
            while (lines.next()) {
                // read on
            }
        });
        assertTrue(e.getMessage().startsWith("basic_train.tsv:2: "), e.getMessage());
        assertTrue(e.getMessage().contains("line longer than 64 MB"), e.getMessage());
    }
}
