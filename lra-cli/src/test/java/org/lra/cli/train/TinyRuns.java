package org.lra.cli.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.lra.data.DataSettings;
import org.lra.data.Task;
import org.lra.data.generate.ListOpsGenerator;
import org.lra.data.ingest.Importer;

/** A generated ListOps set small enough to train on in seconds, and a config for it; shared by the run tests. */
final class TinyRuns {
    static final String DATASET = "listops-tiny";

    /** {@code steps} steps of 8, dev evaluation and checkpoint every 20; {@code dim} 16 is the small model. */
    static String config(int steps, int dim) {
        return """
                name: fmm-2kernel-band5
                scale: cpu
                threads: 1
                task: {name: listops, dataset: %s, maxLength: 64}
                model:
                  vocabSize: 32
                  maxLength: 64
                  numClasses: 10
                  dim: %d
                  heads: 2
                  headDim: %d
                  ffnDim: %d
                  headHidden: 32
                  attention:
                    type: fmm
                    bandwidth: 3
                    kernels: [elu, elu_flip]
                    blend:
                      near: {shape: per_head, init: 1.0, learnable: true}
                      far: {shape: per_head, init: 0.0, learnable: true}
                      kernels: [{shape: scalar, init: 1.0, learnable: true}, {shape: scalar, init: 0.0, learnable: true}]
                training: {batchSize: 8, steps: %d, warmupSteps: %d, lr: 1.0e-3, evalEvery: 20, evalSteps: 4}
                """.formatted(DATASET, dim, dim / 2, 2 * dim, steps, steps / 10);
    }

    /** Generates and imports the tiny set into {@code dataDir}. */
    static void makeData(Path tmp, Path dataDir) throws IOException {
        Path tsv = tmp.resolve("tsv");
        new ListOpsGenerator().generate(tsv, ListOpsGenerator.Options.defaults().withSplits(400, 60, 60)
                .withLengths(5, 64).withThreads(1));
        new Importer(dataDir).importTask(Task.LISTOPS, tsv,
                DataSettings.defaults().withMaxLength(64).withName(DATASET), true);
    }

    static Path writeConfig(Path file, int steps, int dim) throws IOException {
        Files.writeString(file, config(steps, dim));
        return file;
    }

    private TinyRuns() {
    }
}
