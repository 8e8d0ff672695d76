package org.lra.model.config;

/**
 * The attention variants; names as written in configs. The last four are the LRA baselines that every
 * peer harness runs under the same protocol (Nyströmformer, Linformer, Performer, Reformer).
 */
public enum AttentionType {
    softmax, linear, band, fmm, nystrom, linformer, performer, reformer
}
