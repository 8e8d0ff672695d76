package org.lra.model.config;

/**
 * Far-field feature maps phi, applied elementwise to raw Q and K (docs/reference.md §1.3).
 * elu: elu(x)+1; elu_flip: elu(-x)+1; tanh: tanh(x)+1.
 */
public enum KernelType {
    elu, elu_flip, tanh
}
