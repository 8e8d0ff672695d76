package org.lra.model.tensor;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * All trainable numbers of a model in one contiguous block, gradients in a parallel block (after llm.c).
 * Layers {@link #register} their tensors while the model is built; {@link #allocate} then creates both
 * blocks and initialises the values. The optimiser is one loop over two flat buffers, zeroing gradients
 * is one fill, and a checkpoint is the block written in order.
 */
public final class Parameters {
    private final List<Param> params = new ArrayList<>();
    private int size;
    private Buf values;
    private Buf grads;

    /** Reserves a tensor; its memory exists after {@link #allocate}. Names must be unique. */
    public Param register(String name, Init init, boolean decay, int... shape) {
        if (values != null) {
            throw new IllegalStateException("parameters already allocated; register " + name + " earlier");
        }
        for (Param p : params) {
            if (p.name().equals(name)) {
                throw new IllegalArgumentException("duplicate parameter name " + name);
            }
        }
        Param p = new Param(name, size, shape.clone(), decay, init);
        params.add(p);
        size += p.size();
        return p;
    }

    /** Creates the value and gradient blocks and draws initial values from {@code seed}. */
    public void allocate(Precision precision, long seed) {
        values = Buf.zeros(precision, size);
        grads = Buf.zeros(precision, size);
        for (int idx = 0; idx < params.size(); idx++) {
            Param p = params.get(idx);
            long key = Rng.key(seed, 0x1417, idx);
            for (int i = 0; i < p.size(); i++) {
                values.set(p.offset() + i, draw(p.init(), key, i));
            }
        }
    }

    private static double draw(Init init, long key, int i) {
        if (init instanceof Init.Constant c) {
            return c.value();
        }
        if (init instanceof Init.Normal n) {
            return n.std() * Rng.normal(key, i);
        }
        Init.Uniform u = (Init.Uniform) init;
        return u.bound() * (2 * Rng.uniform(key, i) - 1);
    }

    public List<Param> list() {
        return Collections.unmodifiableList(params);
    }

    public Param get(String name) {
        for (Param p : params) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("no parameter " + name);
    }

    /** Total number of scalars. */
    public int size() {
        return size;
    }

    public Buf values() {
        return values;
    }

    public Buf grads() {
        return grads;
    }

    public Precision precision() {
        return values.precision();
    }

    public void zeroGrads() {
        grads.zero();
    }
}
