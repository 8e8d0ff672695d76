package org.lra.model.checkpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.data.Batch;
import org.lra.model.Model;
import org.lra.model.ModelBuilder;
import org.lra.model.StepRunner;
import org.lra.model.TestModels;
import org.lra.model.config.ModelConfig;
import org.lra.model.config.Pooling;
import org.lra.model.config.TrainingConfig;
import org.lra.model.nn.IdentityMixAttention;
import org.lra.model.nn.AttentionProvider;
import org.lra.model.tensor.Parallel;
import org.lra.model.tensor.Precision;

class CheckpointTest {
    private static final AttentionProvider SOFTMAX = IdentityMixAttention.provider(IdentityMixAttention.Mode.SOFTMAX);
    private static final ModelConfig CFG = TestModels.tiny(11, 16, 3, 0.1, false);
    private static final TrainingConfig TRAIN = TestModels.training(40, 4, 3e-3, "onecycle");

    @TempDir
    Path dir;

    private static StepRunner runner(Parallel pool) {
        Model m = ModelBuilder.build(CFG, Precision.FLOAT32, 7, SOFTMAX);
        return StepRunner.create(m, TRAIN, pool, 123);
    }

    private static Batch batch(long i) {
        return TestModels.randomBatch(4, 16, 11, 3, 1000 + i, false);
    }

    @Test
    void resumeFromCheckpointIsBitIdenticalToTrainingStraightThrough() throws IOException {
        int k = 5;
        try (Parallel pool = new Parallel(2)) {
            StepRunner straight = runner(pool);
            for (int i = 0; i < 2 * k; i++) {
                straight.step(batch(i));
            }

            StepRunner first = runner(pool);
            for (int i = 0; i < k; i++) {
                first.step(batch(i));
            }
            Path file = dir.resolve("run/ckpt.bin");
            first.save(file, Map.of("data.position", "5", "best.dev", "0.5\nline two"));
            assertFalse(Files.exists(dir.resolve("run/ckpt.bin.tmp")), "temporary file renamed away");

            StepRunner resumed = runner(pool);
            Map<String, String> extra = resumed.load(file);
            assertEquals("5", extra.get("data.position"));
            assertEquals("0.5\nline two", extra.get("best.dev"));
            assertEquals(k, resumed.steps());
            for (int i = k; i < 2 * k; i++) {
                resumed.step(batch(i));
            }
            var a = straight.model().parameters();
            var b = resumed.model().parameters();
            assertArrayEquals(a.values().toDoubleArray(0, a.size()), b.values().toDoubleArray(0, b.size()));
            assertArrayEquals(straight.optimizer().secondMoment().toDoubleArray(0, a.size()),
                    resumed.optimizer().secondMoment().toDoubleArray(0, a.size()));
        }
    }

    @Test
    void headerRecordsStepSeedPrecisionAndLayout() throws IOException {
        try (Parallel pool = new Parallel(1)) {
            StepRunner r = runner(pool);
            r.step(batch(0));
            Path file = dir.resolve("c.bin");
            r.save(file, Map.of("config.sha256", "abc"));
            Checkpoint.Header h = Checkpoint.readHeader(file);
            assertEquals(1, h.step());
            assertEquals(123, h.seed());
            assertEquals(Precision.FLOAT32, h.precision());
            assertEquals(r.model().parameters().size(), h.size());
            assertEquals(r.model().parameters().list().size(), h.params().size());
            assertEquals("abc", h.extra().get("config.sha256"));
            assertEquals("AdamW", h.raw().get("optimizer"));
        }
    }

    @Test
    void wrongShapeFailsNamingTheParameterAndBothShapes() throws IOException {
        try (Parallel pool = new Parallel(1)) {
            Path file = dir.resolve("c.bin");
            runner(pool).save(file, Map.of());
            ModelConfig wider = new ModelConfig(11, 16, 3, 8, 2, 4, 2, 20, 10, 0.1, 0.1, true, Pooling.MEAN, false, TestModels.SOFTMAX);
            StepRunner other = StepRunner.create(ModelBuilder.build(wider, Precision.FLOAT32, 7, SOFTMAX), TRAIN, pool, 123);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.load(file));
            assertTrue(e.getMessage().contains("block0.mlp.fc1.weight: checkpoint has shape 12x8, model has 20x8"),
                    e.getMessage());
            ModelConfig fewerLayers = new ModelConfig(11, 16, 3, 8, 2, 4, 1, 12, 10, 0.1, 0.1, true, Pooling.MEAN, false, TestModels.SOFTMAX);
            StepRunner shallow = StepRunner.create(ModelBuilder.build(fewerLayers, Precision.FLOAT32, 7, SOFTMAX), TRAIN, pool, 123);
            e = assertThrows(IllegalArgumentException.class, () -> shallow.load(file));
            assertTrue(e.getMessage().contains("not in model: block1.attn.wq.weight 8x8"), e.getMessage());
        }
    }

    @Test
    void corruptOrForeignFilesAreRejected() throws IOException {
        try (Parallel pool = new Parallel(1)) {
            Path file = dir.resolve("c.bin");
            StepRunner r = runner(pool);
            r.save(file, Map.of());
            byte[] bytes = Files.readAllBytes(file);
            bytes[bytes.length - 20] ^= 1; // flip a bit in the v block
            Files.write(file, bytes);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> runner(pool).load(file));
            assertTrue(e.getMessage().contains("checksum"), e.getMessage());

            Path junk = dir.resolve("junk.bin");
            Files.writeString(junk, "hello world, not a checkpoint");
            e = assertThrows(IllegalArgumentException.class, () -> runner(pool).load(junk));
            assertTrue(e.getMessage().contains("bad magic"), e.getMessage());

            r.save(file, Map.of());
            bytes = Files.readAllBytes(file);
            bytes[11] = 1; // format version 1: the int32 after the 8-byte magic
            Path old = dir.resolve("old.bin");
            Files.write(old, bytes);
            e = assertThrows(IllegalArgumentException.class, () -> runner(pool).load(old));
            assertEquals(old + ": checkpoint format version 1, this build reads only version 2 (written by an older"
                    + " lra; retrain, or evaluate with that build)", e.getMessage());

            StepRunner otherSeed = StepRunner.create(ModelBuilder.build(CFG, Precision.FLOAT32, 7, SOFTMAX), TRAIN, pool, 9);
            IllegalStateException s = assertThrows(IllegalStateException.class, () -> otherSeed.load(file));
            assertTrue(s.getMessage().contains("seed 123"), s.getMessage());
        }
    }

    /**
     * Pooling has no parameters, so the shapes of a cls model and a mean one agree; the recorded pooling tells
     * them apart. A checkpoint without the key (written before it existed) was a mean model's.
     */
    @Test
    void aCheckpointOfAnotherPoolingIsRefusedInOneLine() throws IOException {
        try (Parallel pool = new Parallel(1)) {
            Path file = dir.resolve("c.bin");
            StepRunner mean = runner(pool);
            mean.save(file, Map.of());
            assertEquals("mean", Checkpoint.readHeader(file).extra().get(StepRunner.POOLING_KEY));
            StepRunner cls = StepRunner.create(ModelBuilder.build(CFG.withPooling(Pooling.CLS), Precision.FLOAT32, 7,
                    SOFTMAX), TRAIN, pool, 123);
            CheckpointFormatException e = assertThrows(CheckpointFormatException.class, () -> cls.load(file));
            assertEquals(file + ": written by a model with model.pooling mean, this model has model.pooling cls",
                    e.getMessage());

            cls.save(file, Map.of());
            e = assertThrows(CheckpointFormatException.class, () -> runner(pool).load(file));
            assertTrue(e.getMessage().endsWith("model.pooling cls, this model has model.pooling mean"), e.getMessage());
            cls.load(file); // its own pooling loads

            Path older = dir.resolve("older.bin");
            Checkpoint.save(older, mean.model().parameters(), mean.optimizer(), 123, Map.of()); // no pooling key
            runner(pool).load(older);
            assertThrows(CheckpointFormatException.class, () -> cls.load(older));
        }
    }
}
