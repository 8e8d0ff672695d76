package org.lra.model.nn;

import org.lra.model.attention.Attention;
import org.lra.model.attention.AttentionShape;
import org.lra.model.config.AttentionConfig;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parameters;

/**
 * Test-only attention core so the model can be built and tested without the production variants.
 * <ul>
 *   <li>{@link Mode#IDENTITY}: out = v (dq = dk = 0, dv = dOut): costs nothing, so a benchmark with it measures
 *       everything except attention.</li>
 *   <li>{@link Mode#SOFTMAX}: naive O(T²) masked softmax attention of the reference
 *       ({@code s = q·k/sqrt(D) − 1e6·(1 − mask_k)}, softmax, dropout on the probabilities, times v),
 *       computed in double on heap arrays; for gradient checks and the learning test (small T only).</li>
 * </ul>
 */
public final class IdentityMixAttention implements Attention {
    public enum Mode { IDENTITY, SOFTMAX }

    private final Mode mode;
    private final Dropout dropout;
    private AttentionShape shape;
    private Buf q;
    private Buf k;
    private Buf v;
    private double[] probs = new double[0]; // [B, H, T, T] softmax before dropout
    private StepContext forwardCtx;

    public IdentityMixAttention(Mode mode, double attentionDropout, int layerIndex) {
        this.mode = mode;
        this.dropout = new Dropout(attentionDropout, layerIndex, 0);
    }

    /** A provider for ModelBuilder. */
    public static AttentionProvider provider(Mode mode) {
        return (AttentionConfig cfg, Parameters params, String prefix, int heads, int headDim, double p, int layer,
                int maxSeqLen) ->
                new IdentityMixAttention(mode, p, layer);
    }

    @Override
    public void forward(StepContext ctx, AttentionShape shape, Buf q, Buf k, Buf v, Buf keyMask, Buf out) {
        this.shape = shape;
        this.q = q;
        this.k = k;
        this.v = v;
        this.forwardCtx = ctx;
        int n = shape.rows() * shape.width();
        if (mode == Mode.IDENTITY) {
            out.copyFrom(v, 0, 0, n);
            return;
        }
        int bs = shape.batch();
        int t = shape.seqLen();
        int h = shape.heads();
        int d = shape.headDim();
        int w = shape.width();
        if (probs.length < bs * h * t * t) {
            probs = new double[bs * h * t * t];
        }
        double scale = 1 / Math.sqrt(d);
        long key = dropout.key(ctx);
        for (int b = 0; b < bs; b++) {
            for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < t; i++) {
                    int pBase = ((b * h + hh) * t + i) * t;
                    int qi = (b * t + i) * w + hh * d;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < t; j++) {
                        int kj = (b * t + j) * w + hh * d;
                        double s = 0;
                        for (int c = 0; c < d; c++) {
                            s += q.get(qi + c) * k.get(kj + c);
                        }
                        s = s * scale - 1e6 * (1 - keyMask.get(b * t + j));
                        probs[pBase + j] = s;
                        max = Math.max(max, s);
                    }
                    double sum = 0;
                    for (int j = 0; j < t; j++) {
                        probs[pBase + j] = Math.exp(probs[pBase + j] - max);
                        sum += probs[pBase + j];
                    }
                    for (int c = 0; c < d; c++) {
                        double o = 0;
                        for (int j = 0; j < t; j++) {
                            double a = probs[pBase + j] / sum;
                            o += a * dropout.factor(ctx, key, pBase + j) * v.get((b * t + j) * w + hh * d + c);
                        }
                        out.set(qi + c, o);
                    }
                    for (int j = 0; j < t; j++) {
                        probs[pBase + j] /= sum;
                    }
                }
            }
        }
    }

    @Override
    public void backward(StepContext ctx, Buf dOut, Buf dq, Buf dk, Buf dv) {
        int n = shape.rows() * shape.width();
        if (mode == Mode.IDENTITY) {
            dq.fill(0, n, 0);
            dk.fill(0, n, 0);
            dv.copyFrom(dOut, 0, 0, n);
            return;
        }
        dq.fill(0, n, 0);
        dk.fill(0, n, 0);
        dv.fill(0, n, 0);
        int bs = shape.batch();
        int t = shape.seqLen();
        int h = shape.heads();
        int d = shape.headDim();
        int w = shape.width();
        double scale = 1 / Math.sqrt(d);
        long key = dropout.key(forwardCtx);
        double[] dA = new double[t];
        for (int b = 0; b < bs; b++) {
            for (int hh = 0; hh < h; hh++) {
                for (int i = 0; i < t; i++) {
                    int pBase = ((b * h + hh) * t + i) * t;
                    int qi = (b * t + i) * w + hh * d;
                    double dot = 0;
                    for (int j = 0; j < t; j++) {
                        int vj = (b * t + j) * w + hh * d;
                        double f = dropout.factor(forwardCtx, key, pBase + j);
                        double g = 0;
                        for (int c = 0; c < d; c++) {
                            g += dOut.get(qi + c) * v.get(vj + c);
                            dv.add(vj + c, probs[pBase + j] * f * dOut.get(qi + c));
                        }
                        dA[j] = g * f;
                        dot += dA[j] * probs[pBase + j];
                    }
                    for (int j = 0; j < t; j++) {
                        double ds = probs[pBase + j] * (dA[j] - dot) * scale;
                        int kj = (b * t + j) * w + hh * d;
                        for (int c = 0; c < d; c++) {
                            dq.add(qi + c, ds * k.get(kj + c));
                            dk.add(kj + c, ds * q.get(qi + c));
                        }
                    }
                }
            }
        }
    }
}
