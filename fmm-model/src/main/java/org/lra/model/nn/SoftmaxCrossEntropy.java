package org.lra.model.nn;

import org.lra.model.tensor.Buf;

/**
 * Mean cross-entropy over the batch, as torch.nn.functional.cross_entropy, plus the argmax predictions for
 * accuracy (ties go to the lowest class index, like torch.argmax). Keeps the softmax for backward.
 */
public final class SoftmaxCrossEntropy {
    private double[] probs = new double[0];
    private int batch;
    private int classes;
    private int[] labels;

    /** logits [B, C], labels [B] -> mean loss; predictions[b] = argmax_c logits[b, c]. */
    public double forward(Buf logits, int[] labels, int batch, int classes, int[] predictions) {
        if (probs.length < batch * classes) {
            probs = new double[batch * classes];
        }
        this.batch = batch;
        this.classes = classes;
        this.labels = labels;
        double loss = 0;
        for (int b = 0; b < batch; b++) {
            int base = b * classes;
            double max = Double.NEGATIVE_INFINITY;
            int arg = 0;
            for (int c = 0; c < classes; c++) {
                double v = logits.get(base + c);
                if (v > max) {
                    max = v;
                    arg = c;
                }
            }
            predictions[b] = arg;
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(logits.get(base + c) - max);
                probs[base + c] = e;
                sum += e;
            }
            for (int c = 0; c < classes; c++) {
                probs[base + c] /= sum;
            }
            int y = labels[b];
            if (y < 0 || y >= classes) {
                throw new IllegalArgumentException("label " + y + " outside [0, " + classes + ")");
            }
            loss += -(logits.get(base + y) - max - Math.log(sum));
        }
        return loss / batch;
    }

    /** The softmax probability of {@code predictions[b]} for each example of the last {@link #forward}. */
    public double[] probabilitiesOf(int[] predictions) {
        double[] p = new double[batch];
        for (int b = 0; b < batch; b++) {
            p[b] = probs[b * classes + predictions[b]];
        }
        return p;
    }

    // -> dLogits [B, C] = (softmax - onehot(label)) / B  (overwritten)
    public void backward(Buf dLogits) {
        for (int b = 0; b < batch; b++) {
            int base = b * classes;
            for (int c = 0; c < classes; c++) {
                double target = c == labels[b] ? 1 : 0;
                dLogits.set(base + c, (probs[base + c] - target) / batch);
            }
        }
    }
}
