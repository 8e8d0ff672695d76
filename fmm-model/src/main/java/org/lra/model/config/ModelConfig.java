package org.lra.model.config;

/**
 * The LRA classifier's shape (docs/reference.md §1.2). Every field is required: the CLI fills absent keys
 * from its embedded defaults file before binding, so there are no hidden defaults here.
 *
 * @param vocabSize       token ids are in [0, vocabSize); id 0 is padding when {@code zeroIsPadding}
 * @param maxLength       longest sequence; the learned position table has nextPow2(maxLength) rows
 * @param numClasses      classifier outputs
 * @param dim             model width (64)
 * @param heads           attention heads (2)
 * @param headDim         width of one head (32); heads * headDim is the Q/K/V width
 * @param layers          pre-LN transformer blocks (2)
 * @param ffnDim          hidden width of the block MLP (128)
 * @param headHidden      hidden width of the classification head (128)
 * @param dropout         dropout after embedding, attention output and MLP (0.1)
 * @param attentionDropout dropout on attention probabilities (softmax and band) (0.1)
 * @param zeroIsPadding   reference rule: token id 0 is padding (masked as key, zeroed before pooling).
 *                        For Image/Pathfinder this masks black pixels too; false keeps them as data.
 * @param pooling         how the final states become one vector per sequence: mean (the reference), mean-tokens
 *                        or cls ({@link Pooling})
 * @param dual            two-tower model for Retrieval: head reads [u, v, u*v, u-v]
 * @param attention       which attention and its knobs
 */
public record ModelConfig(
        int vocabSize,
        int maxLength,
        int numClasses,
        int dim,
        int heads,
        int headDim,
        int layers,
        int ffnDim,
        int headHidden,
        double dropout,
        double attentionDropout,
        boolean zeroIsPadding,
        Pooling pooling,
        boolean dual,
        AttentionConfig attention) {

    /** This shape with another pooling. */
    public ModelConfig withPooling(Pooling newPooling) {
        return new ModelConfig(vocabSize, maxLength, numClasses, dim, heads, headDim, layers, ffnDim, headHidden,
                dropout, attentionDropout, zeroIsPadding, newPooling, dual, attention);
    }

    /** Size of the learned position table: {@link SequenceLength#padded} of maxLength. */
    public int positionTableSize() {
        return SequenceLength.padded(maxLength);
    }
}
