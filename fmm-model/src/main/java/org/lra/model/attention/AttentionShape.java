package org.lra.model.attention;

/** Sizes of one attention call: B sequences of T tokens, H heads of width D. */
public record AttentionShape(int batch, int seqLen, int heads, int headDim) {
    public int rows() {
        return batch * seqLen;
    }

    public int width() {
        return heads * headDim;
    }

    /**
     * Where head bh % H of sequence bh / H starts in a [B*T, H*D] buffer: its row t is the headDim values at
     * headOffset(bh) + t * width().
     */
    public int headOffset(int bh) {
        return (bh / heads) * seqLen * width() + (bh % heads) * headDim;
    }
}
