package org.lra.model.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.GradCheck;

class SoftmaxCrossEntropyTest {
    @Test
    void lossMatchesTorchAndGradientMatchesFiniteDifferences() {
        int b = 2;
        int c = 3;
        Buf logits = Buf.zeros(Precision.FLOAT64, b * c);
        double[] v = {1.0, 2.0, 0.5, -1.0, 0.0, 3.0};
        for (int i = 0; i < v.length; i++) {
            logits.set(i, v[i]);
        }
        int[] labels = {0, 2};
        int[] pred = new int[b];
        SoftmaxCrossEntropy ce = new SoftmaxCrossEntropy();
        double loss = ce.forward(logits, labels, b, c, pred);
        // torch.nn.functional.cross_entropy(torch.tensor([[1,2,.5],[-1,0,3.]]), torch.tensor([0,2]))
        assertEquals(0.765126343932687, loss, 1e-12);
        assertArrayEquals(new int[] {1, 2}, pred);
        // torch.softmax(logits, 1)[[0, 1], [1, 2]]: the probability of each predicted class
        assertArrayEquals(new double[] {0.6285317192117625, 0.9362395518765056}, ce.probabilitiesOf(pred), 1e-12);

        Buf grad = Buf.zeros(Precision.FLOAT64, b * c);
        ce.backward(grad);
        DoubleSupplier f = () -> new SoftmaxCrossEntropy().forward(logits, labels, b, c, new int[b]);
        GradCheck.input("logits", logits, grad, b * c, f);
    }

    @Test
    void largeLogitsStayFinite() {
        Buf logits = Buf.zeros(Precision.FLOAT64, 2);
        logits.set(0, 1000);
        logits.set(1, -1000);
        double loss = new SoftmaxCrossEntropy().forward(logits, new int[] {1}, 1, 2, new int[1]);
        assertEquals(2000, loss, 1e-9);
    }
}
