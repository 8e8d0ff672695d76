package org.lra.model.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;
import org.lra.model.tensor.Buf;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Parameters;
import org.lra.model.tensor.Precision;
import org.lra.model.testing.FiniteDifference;
import org.lra.model.testing.GradCheck;

class EmbeddingTest {
    @Test
    void scatterAddGradientIsRightForRepeatedIds() {
        try (Parallel pool = new Parallel(2)) {
            int b = 2;
            int t = 5;
            int c = 3;
            Parameters params = new Parameters();
            Embedding emb = new Embedding(params, "emb", 6, 8, c);
            params.allocate(Precision.FLOAT64, 11);
            int[] ids = {3, 3, 0, 3, 5, 1, 3, 3, 2, 0}; // id 3 five times, across both sequences
            Buf r = GradCheck.random(b * t * c, 12, 1.0);
            Buf x = Buf.zeros(Precision.FLOAT64, b * t * c);
            emb.backward(pool, ids, b, t, r);
            DoubleSupplier loss = () -> {
                emb.forward(pool, ids, b, t, x);
                return FiniteDifference.dot(x, r, b * t * c);
            };
            GradCheck.parameters(params, loss);
            // the token-3 row collects five rows of r
            double want = 0;
            for (int row : new int[] {0, 1, 3, 6, 7}) {
                want += r.get(row * c);
            }
            assertEquals(want, params.grads().get(emb.tokenTable.offset() + 3 * c), 1e-12);
        }
    }

    @Test
    void rejectsSequencesLongerThanThePositionTable() {
        try (Parallel pool = new Parallel(1)) {
            Parameters params = new Parameters();
            Embedding emb = new Embedding(params, "emb", 4, 4, 2);
            params.allocate(Precision.FLOAT64, 1);
            Buf x = Buf.zeros(Precision.FLOAT64, 10);
            assertThrows(IllegalArgumentException.class, () -> emb.forward(pool, new int[5], 1, 5, x));
        }
    }
}
