package org.lra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class BenchStepCommandTest {
    /** lra bench step: a case that cannot fit is refused before anything runs: one line naming the case, exit 2, no output. */
    @Test
    void aCaseLargerThanTheMachineIsRefusedBeforeRunning() {
        LraCommandTest.Run r = LraCommandTest.run("bench", "step", "--attention", "band,fmm", "--seq-len", "1024,67108864",
                "--batch", "8", "--threads", "1");
        assertEquals(ExitCodes.INPUT, r.code(), r.err());
        assertEquals("", r.out(), "nothing ran");
        String[] lines = r.err().strip().split("\n");
        assertEquals(1, lines.length, r.err());
        assertTrue(lines[0].contains("--attention band --seq-len 67108864 --batch 8 needs about")
                && lines[0].contains("more than this machine's"), lines[0]);
    }

    /** A length an attention cannot run at is refused by train's rule before any child JVM: one line naming --seq-len. */
    @Test
    void aLengthTheAttentionCannotRunAtIsRefusedBeforeRunning() {
        LraCommandTest.Run r = LraCommandTest.run("bench", "step", "--attention", "nystrom", "--seq-len", "64");
        assertEquals(ExitCodes.INPUT, r.code(), r.err());
        assertEquals("", r.out(), "nothing ran");
        assertEquals("lra bench step: error: --seq-len 64: --attention nystrom cannot run at this length: its "
                + "numLandmarks must divide the sequence length 64 and be smaller, got 64", r.err().strip());
        r = LraCommandTest.run("bench", "step", "--attention", "fmm,reformer", "--seq-len", "1000");
        assertEquals(ExitCodes.INPUT, r.code(), r.err());
        assertEquals("lra bench step: error: --seq-len 1000: --attention reformer cannot run at this length: its "
                + "lshChunkLength must divide the sequence length 1000 when shorter than it, got 64", r.err().strip());
    }

    /** --eval times the forward-only evaluation pass: one CSV row (on System.out, as the parent reads it) in the same columns. */
    @Test
    void evalPrintsTheSameColumns() {
        PrintStream stdout = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        LraCommandTest.Run r;
        try {
            System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
            r = LraCommandTest.run("bench", "step", "--eval", "--in-process", "--attention", "band", "--seq-len", "64",
                    "--batch", "2", "--threads", "1", "--warmup", "1", "--steps", "2", "--jit-warmup-seconds", "0");
        } finally {
            System.setOut(stdout);
        }
        assertEquals(ExitCodes.OK, r.code(), r.err());
        String[] row = printed.toString(StandardCharsets.UTF_8).strip().split(",");
        assertEquals("attention,seq_len,batch,threads,median_step_ms,p90_step_ms,tokens_per_s,peak_rss_mb".split(",").length,
                row.length, printed.toString(StandardCharsets.UTF_8));
        assertEquals("band", row[0]);
        assertEquals("64", row[1]);
        assertTrue(Double.parseDouble(row[6]) > 0, String.join(",", row));
    }

    /** The twin and --out's table compare training steps, so --eval refuses them (exit 2) before anything runs. */
    @Test
    void evalRefusesTheTwinAndTheTable() {
        LraCommandTest.Run r = LraCommandTest.run("bench", "step", "--eval", "--out", "bench.csv");
        assertEquals(ExitCodes.INPUT, r.code(), r.err());
        assertEquals("", r.out(), "nothing ran");
        assertTrue(r.err().contains("--eval times evaluation passes"), r.err());
    }
}
