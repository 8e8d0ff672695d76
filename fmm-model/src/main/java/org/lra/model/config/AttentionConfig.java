package org.lra.model.config;

import java.util.List;

/**
 * Which attention a block uses, and its knobs. Each type reads only its own knobs; the others keep their
 * defaults (the reference values, as the CLI's defaults.yaml and the six-argument constructor set them).
 *
 * @param type            softmax | linear | band | fmm | nystrom | linformer | performer | reformer
 * @param bandwidth       band keeps keys with |i - j| <= bandwidth - 1 (paper: 5, i.e. 9 keys per query)
 * @param kernels         far-field feature maps for fmm (and the map used by linear: its first entry)
 * @param blend           how fmm mixes near and far field; ignored by the other types
 * @param causal          query i sees only keys j <= i (language-model variant, docs/reference.md §1.4)
 * @param normalized      linear/fmm far field divided by phi(q).sum(phi(k)) (Katharopoulos form);
 *                        false is the reference LRA code (no normaliser, each side scaled by N^-1/4)
 * @param numLandmarks    nystrom: landmarks m, segment means over T/m tokens; must divide the padded length
 *                        and be smaller than it (reference nystrom-64)
 * @param convKernelSize  nystrom: depthwise convolution over V along the sequence, one filter per head
 *                        (reference 35); 0 = none
 * @param linformerK      linformer: rows of the projection E [H, k, T] shared by all layers (reference 256)
 * @param rpDim           performer: random features per head (reference performer-256)
 * @param performerKernel performer: feature map, relu (reference) or exp (FAVOR+ softmax kernel)
 * @param numHashes       reformer: hash rounds (reference reformer-2)
 * @param lshChunkLength  reformer: queries per chunk (HF ReformerConfig default 64)
 * @param numBuckets      reformer: buckets per hash round; 0 = as HF chooses, about 2·T/lshChunkLength
 * @param lshChunksBefore reformer: neighbouring chunks attended before (HF default 1; the only value implemented)
 * @param lshChunksAfter  reformer: neighbouring chunks attended after (HF default 0; the only value implemented)
 */
public record AttentionConfig(
        AttentionType type,
        int bandwidth,
        List<KernelType> kernels,
        BlendConfig blend,
        boolean causal,
        boolean normalized,
        int numLandmarks,
        int convKernelSize,
        int linformerK,
        int rpDim,
        PerformerKernel performerKernel,
        int numHashes,
        int lshChunkLength,
        int numBuckets,
        int lshChunksBefore,
        int lshChunksAfter) {

    /** The FMMformer knobs only; the baseline knobs take their reference values. */
    public AttentionConfig(AttentionType type, int bandwidth, List<KernelType> kernels, BlendConfig blend,
                           boolean causal, boolean normalized) {
        this(type, bandwidth, kernels, blend, causal, normalized, 64, 35, 256, 256, PerformerKernel.relu, 2, 64, 0,
                1, 0);
    }

    /** This config with Nyströmformer's knobs replaced. */
    public AttentionConfig withNystrom(int landmarks, int convKernel) {
        return new AttentionConfig(type, bandwidth, kernels, blend, causal, normalized, landmarks, convKernel,
                linformerK, rpDim, performerKernel, numHashes, lshChunkLength, numBuckets, lshChunksBefore,
                lshChunksAfter);
    }

    /** This config with Linformer's k replaced. */
    public AttentionConfig withLinformerK(int k) {
        return new AttentionConfig(type, bandwidth, kernels, blend, causal, normalized, numLandmarks, convKernelSize,
                k, rpDim, performerKernel, numHashes, lshChunkLength, numBuckets, lshChunksBefore, lshChunksAfter);
    }

    /** This config with the Performer's feature count and map replaced. */
    public AttentionConfig withPerformer(int features, PerformerKernel kernel) {
        return new AttentionConfig(type, bandwidth, kernels, blend, causal, normalized, numLandmarks, convKernelSize,
                linformerK, features, kernel, numHashes, lshChunkLength, numBuckets, lshChunksBefore, lshChunksAfter);
    }

    /** This config with the Reformer's hash rounds, chunk length and bucket count replaced. */
    public AttentionConfig withReformer(int hashes, int chunkLength, int buckets) {
        return new AttentionConfig(type, bandwidth, kernels, blend, causal, normalized, numLandmarks, convKernelSize,
                linformerK, rpDim, performerKernel, hashes, chunkLength, buckets, lshChunksBefore, lshChunksAfter);
    }
}
