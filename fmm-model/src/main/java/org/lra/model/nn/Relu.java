package org.lra.model.nn;

import org.lra.model.tensor.Buf;

/** max(0, x). Used only in the small classification head, so it runs on the calling thread. */
public final class Relu {
    private Relu() {
    }

    // x [n] -> y [n] (y may be x)
    public static void forward(Buf x, Buf y, int n) {
        for (int i = 0; i < n; i++) {
            double v = x.get(i);
            y.set(i, v > 0 ? v : 0);
        }
    }

    // dy [n], y [n] (forward output; y > 0 exactly where x > 0) -> dx [n] (dx may be dy)
    public static void backward(Buf dy, Buf y, Buf dx, int n) {
        for (int i = 0; i < n; i++) {
            dx.set(i, y.get(i) > 0 ? dy.get(i) : 0);
        }
    }
}
