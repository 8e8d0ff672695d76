package org.lra.model.tensor;

/**
 * One named parameter tensor: a slice [offset, offset+size) of {@link Parameters#values()} and,
 * at the same offset, of {@link Parameters#grads()}.
 *
 * @param decay whether AdamW's decoupled weight decay applies (weights yes; biases, LayerNorm and blend weights no)
 */
public record Param(String name, int offset, int[] shape, boolean decay, Init init) {
    public int size() {
        int n = 1;
        for (int s : shape) {
            n *= s;
        }
        return n;
    }
}
