package org.lra.model.config;

/** Shapes a blend weight can take; see {@link WeightSpec}. */
public enum WeightShape {
    scalar, per_head, per_head_dim, complement
}
