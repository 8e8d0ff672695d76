package org.lra.model.config;

import java.util.List;

/**
 * Which attention a block uses, and its knobs.
 *
 * @param type       softmax | linear | band | fmm | performer | reformer
 * @param bandwidth  band keeps keys with |i - j| <= bandwidth - 1 (paper: 5, i.e. 9 keys per query)
 * @param kernels    far-field feature maps for fmm (and the map used by linear: its first entry)
 * @param blend      how fmm mixes near and far field; ignored by the other types
 * @param causal     query i sees only keys j <= i (language-model variant, reference §1.4)
 * @param normalized linear/fmm far field divided by phi(q).sum(phi(k)) (Katharopoulos form);
 *                   false is the reference LRA code (no normaliser, each side scaled by N^-1/4)
 * @param rpDim      performer: random features per head (reference {@code performer-256}: 256)
 * @param performerKernel performer: relu | exp
 * @param numHashes  reformer: LSH hashing rounds (reference {@code reformer-2}: 2)
 * @param lshChunkLength reformer: queries per chunk, each chunk also sees the previous one (HF default 64)
 * @param lshNumBuckets  reformer: buckets per round, even; 0 picks HF's rule from the sequence length
 */
public record AttentionConfig(
        AttentionType type,
        int bandwidth,
        List<KernelType> kernels,
        BlendConfig blend,
        boolean causal,
        boolean normalized,
        int rpDim,
        PerformerKernel performerKernel,
        int numHashes,
        int lshChunkLength,
        int lshNumBuckets) {

    public static final int DEFAULT_RP_DIM = 256;
    public static final int DEFAULT_NUM_HASHES = 2;
    public static final int DEFAULT_LSH_CHUNK_LENGTH = 64;

    /** The original six knobs, with the performer and reformer ones at their reference defaults. */
    public AttentionConfig(AttentionType type, int bandwidth, List<KernelType> kernels, BlendConfig blend,
                           boolean causal, boolean normalized) {
        this(type, bandwidth, kernels, blend, causal, normalized, DEFAULT_RP_DIM, PerformerKernel.relu,
                DEFAULT_NUM_HASHES, DEFAULT_LSH_CHUNK_LENGTH, 0);
    }
}
