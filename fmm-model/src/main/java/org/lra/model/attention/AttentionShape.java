package org.lra.model.attention;

/** Sizes of one attention call: B sequences of T tokens, H heads of width D. */
public record AttentionShape(int batch, int seqLen, int heads, int headDim) {
    public int rows() {
        return batch * seqLen;
    }

    public int width() {
        return heads * headDim;
    }
}
