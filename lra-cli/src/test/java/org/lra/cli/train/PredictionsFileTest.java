package org.lra.cli.train;

import static org.lra.cli.CliRuns.lra;
import org.lra.cli.CliRuns.Run;
import org.lra.cli.rundir.RunFiles;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lra.cli.ExitCodes;
import org.lra.data.Split;
import org.lra.data.SplitData;
import org.lra.data.cache.CachedDataset;
import org.lra.data.predictions.Predictions;

/** Per-example predictions: what a 20-step tiny run writes after its final test, and what lra eval --predictions writes. */
class PredictionsFileTest {

    @TempDir
    static Path tmp;
    static Path data;
    static Path run;
    static SplitData test;
    static SplitData val;



    @BeforeAll
    static void aTinyFinishedRun() throws IOException {
        data = tmp.resolve("data");
        TinyRuns.makeData(tmp, data);
        run = tmp.resolve("run");
        Run trained = lra("train", "--config", TinyRuns.writeConfig(tmp.resolve("tiny.yaml"), 20, 16).toString(),
                "--out", run.toString(), "--data-dir", data.toString());
        assertEquals(0, trained.code(), trained.err());
        CachedDataset ds = CachedDataset.open(data, TinyRuns.DATASET);
        test = ds.split(Split.TEST);
        val = ds.split(Split.VAL);
    }

    @Test
    void trainWritesTheTestPredictionsOfItsFinalTest() throws IOException {
        Predictions p = Predictions.read(run.resolve(RunFiles.PREDICTIONS_TEST));
        assertEquals(60, p.size());
        assertArrayEquals(labels(test), p.labels(), "one row per test example, in split order");
        JsonNode result = new ObjectMapper().readTree(run.resolve("result.json").toFile());
        assertEquals(result.get("testAcc").asDouble(), p.accuracy(), 1e-12, "the same pass as result.json's testAcc");
        for (double prob : p.pPredicted()) {
            assertTrue(prob >= 0.1 - 1e-6 && prob <= 1, "the argmax of 10 classes has at least 1/10: " + prob);
        }
    }

    @Test
    void evalWritesThePredictionsOfTheSplitAndPrintsOnlyItsLine() throws IOException {
        Path file = tmp.resolve("out/test-best.csv");   // a directory that does not exist yet
        Run r = lra("eval", run.toString(), "--split", "test", "--checkpoint", "best", "--predictions", file.toString(),
                "--data-dir", data.toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(1, r.out().strip().lines().count(), r.out());
        assertTrue(r.out().startsWith("run BEST checkpoint (step 20) on TEST: accuracy "), r.out());
        assertFalse(r.out().contains(file.toString()), "files are not announced on stdout: " + r.out());
        // the best checkpoint on the test split is what the trainer's final test evaluated
        assertEquals(Files.readString(run.resolve(RunFiles.PREDICTIONS_TEST)), Files.readString(file));
        JsonNode json = new ObjectMapper().readTree(run.resolve("eval-test-best.json").toFile());
        assertEquals(Predictions.read(file).accuracy(), json.get("accuracy").asDouble(), 1e-12);
        assertEquals(file.toString(), json.get("predictions").asText());

        Path valFile = tmp.resolve("val-last.csv");
        assertEquals(0, lra("eval", run.toString(), "--split", "val", "--checkpoint", "last", "--predictions",
                valFile.toString(), "--data-dir", data.toString()).code());
        Predictions v = Predictions.read(valFile);
        assertArrayEquals(labels(val), v.labels());
        assertTrue(Files.readString(valFile).startsWith("index,label,predicted,p_predicted\n0,"));
    }

    @Test
    void aDirectoryOrAPathUnderAFileIsOneLineAndExit2BeforeEvaluating() throws IOException {
        Path dir = Files.createDirectories(tmp.resolve("a-dir"));
        assertInputError(dir, dir + " is a directory");
        Path underFile = run.resolve("config.yaml/predictions.csv");
        assertInputError(underFile, run.resolve("config.yaml") + " is not a directory");
    }

    private static void assertInputError(Path predictions, String says) {
        Run r = lra("eval", run.toString(), "--predictions", predictions.toString(), "--data-dir", data.toString());
        assertEquals(ExitCodes.INPUT, r.code(), r.err());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("lra eval: error: --predictions " + predictions) && err.contains(says), err);
        assertFalse(err.contains("Exception"), err);
        assertEquals("", r.out());
    }

    private static int[] labels(SplitData split) {
        return IntStream.range(0, split.size()).map(split::label).toArray();
    }
}
