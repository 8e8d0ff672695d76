package org.lra.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
}
