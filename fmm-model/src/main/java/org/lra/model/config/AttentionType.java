package org.lra.model.config;

/** The attention variants; names as written in configs. */
public enum AttentionType {
    softmax, linear, band, fmm, performer, reformer
}
