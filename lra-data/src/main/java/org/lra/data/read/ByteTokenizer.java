package org.lra.data.read;

/**
 * The byte-level encoding shared by Text and Retrieval (TFDS {@code ByteTextEncoder}): each byte of the
 * UTF-8 text becomes id {@code byte + 1} (1..256), so that id 0 stays free for padding. Encoding is
 * done on raw bytes: no decoding to characters and back, which would change invalid sequences.
 */
public final class ByteTokenizer {
    /** Byte ids run 1..256, plus padding 0. */
    public static final int VOCAB_SIZE = 257;

    private ByteTokenizer() {
    }

    /** Encodes {@code bytes[from, from+length)} truncated to at most {@code maxLength} ids. */
    public static int[] encode(byte[] bytes, int from, int length, int maxLength) {
        int n = Math.min(length, maxLength);
        int[] ids = new int[n];
        for (int i = 0; i < n; i++) {
            ids[i] = (bytes[from + i] & 0xFF) + 1;
        }
        return ids;
    }

    public static int[] encode(byte[] bytes, int maxLength) {
        return encode(bytes, 0, bytes.length, maxLength);
    }
}
