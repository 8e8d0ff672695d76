package org.lra.model.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.lra.data.Batch;
import org.lra.data.Example;
import org.lra.data.ExampleList;
import org.lra.data.batch.EvalPass;
import org.lra.data.predictions.Predictions;

class SplitEvaluationTest {

    /** Predicts the first id mod 3 with probability (first id + 1) / 100; knows nothing else. */
    static final class FirstIdEngine implements TrainingEngine {
        final boolean perExample;

        FirstIdEngine(boolean perExample) {
            this.perExample = perExample;
        }

        @Override
        public EvalResult evaluate(Batch batch) {
            int[] predicted = new int[batch.size()];
            double[] p = new double[batch.size()];
            int correct = 0;
            for (int b = 0; b < batch.size(); b++) {
                int first = batch.ids()[b * batch.seqLen()];
                predicted[b] = first % 3;
                p[b] = (first + 1) / 100.0;
                correct += predicted[b] == batch.labels()[b] ? 1 : 0;
            }
            return perExample ? new EvalResult(batch.size(), correct, batch.size(), predicted, p)
                    : new EvalResult(batch.size(), correct, batch.size());
        }

        @Override
        public StepResult step(Batch batch, long step) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void save(Path file, long step, Map<String, String> extra) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Restored load(Path file) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void predictionsCoverEveryExampleInSplitOrderAcrossBatches() {
        // example i: first id 10 + i, label i % 2; 7 examples in batches of 3, 3 and 1
        List<Example> examples = IntStream.range(0, 7).mapToObj(i -> Example.single(new int[] {10 + i, 1}, i % 2)).toList();
        SplitEvaluation e = SplitEvaluation.of(new FirstIdEngine(true), new EvalPass(new ExampleList(examples), 3, 4, false));
        Predictions p = e.predictions();
        assertArrayEquals(new int[] {0, 1, 0, 1, 0, 1, 0}, p.labels());
        assertArrayEquals(new int[] {1, 2, 0, 1, 2, 0, 1}, p.predicted());   // (10 + i) % 3
        assertArrayEquals(new double[] {0.11, 0.12, 0.13, 0.14, 0.15, 0.16, 0.17}, p.pPredicted(), 1e-12);
        // right at 2 (label 0, 12 % 3 = 0) and 3 (label 1, 13 % 3 = 1)
        assertEquals(2 / 7.0, e.exact(), 1e-12);
        assertEquals(e.exact(), p.accuracy(), 1e-12);
        assertEquals(7, e.examples());
    }

    @Test
    void anEngineWithoutPerExampleOutputGivesNoPredictions() {
        List<Example> examples = List.of(Example.single(new int[] {1}, 0), Example.single(new int[] {2}, 1));
        assertNull(SplitEvaluation.of(new FirstIdEngine(false), new EvalPass(new ExampleList(examples), 2, 2, false))
                .predictions());
    }
}
